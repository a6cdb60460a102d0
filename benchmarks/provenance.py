"""Provenance benchmark: copies, translations and bundled passages on real data, beside MinHash-LSH.

Data (read from ../shared/datasets):
- WMT21 ru-en news test: per document the Russian original, the human translations (A, B) and ten MT
  outputs. English versions of one document must be linked to each other and to the Russian original;
  versions of different documents must not.
- MultiLing 2011: 100 English WikiNews articles with French and Czech translations, mixed together
  (ten topics of ten articles: same-topic articles are hard negatives).
- A reprint set built from Multi-News validation documents: copies with boilerplate added, truncated
  copies, copies with paragraphs shuffled, and articles bundled after another article's text. Other
  documents of the same Multi-News cluster (same story, another outlet) are hard negatives.
Quality is precision / recall / F1 over unordered document pairs. The peer is a plain datasketch
MinHash-LSH pass (same shingles, same threshold), run on the same documents in the same run.

Articles are built directly (no cleaner / spaCy): WMT segments and MultiLing lines are the sentences,
Multi-News paragraphs are split with pysbd. Run: ``.venv/bin/python benchmarks/provenance.py``
(``--quick`` for a subset while developing).
"""

from __future__ import annotations

import argparse
import ast
import csv
import itertools
import json
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pysbd
from datasketch import MinHashLSH

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "src"))

from storydesk.link.fingerprints import minhash, normalise_words, shingles  # noqa: E402
from storydesk.link.sources import COPY_RELATIONS, ProvenanceFinder, source_groups  # noqa: E402
from storydesk.records import Article, Paragraph, ProvenanceLink, Sentence  # noqa: E402
from storydesk.settings import LinkSettings, load_settings  # noqa: E402

csv.field_size_limit(1 << 30)
Pair = tuple[str, str]


# ----------------------------------------------------------------------------------- articles


def make_article(article_id: str, paragraphs: Sequence[Sequence[str]], language: str) -> Article:
    """An Article from paragraphs given as lists of sentences (offsets into the joined text)."""
    text = ""
    paras: list[Paragraph] = []
    sents: list[Sentence] = []
    for p_index, sentences in enumerate(paragraphs):
        start = len(text)
        para_text = " ".join(sentences)
        paras.append(Paragraph(index=p_index, text=para_text, start=start))
        cursor = start
        for sentence in sentences:
            sents.append(
                Sentence(index=len(sents), text=sentence, start=cursor, end=cursor + len(sentence),
                         paragraph=p_index)
            )
            cursor += len(sentence) + 1
        text += para_text + "\n\n"
    return Article(
        id=article_id, location=article_id, text=text.rstrip(), paragraphs=paras, sentences=sents,
        language=language,
    )


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


# ----------------------------------------------------------------------------------- datasets


@dataclass
class Corpus:
    name: str
    articles: list[Article]
    family: dict[str, str]  # article id → gold family (versions / copies of one text)
    gold_relation: dict[Pair, set[str]] = field(default_factory=dict)  # optional relation labels

    def gold_pairs(self) -> set[Pair]:
        members: dict[str, list[str]] = defaultdict(list)
        for aid, fam in self.family.items():
            members[fam].append(aid)
        out: set[Pair] = set()
        for ids in members.values():
            out.update(pair(a, b) for a, b in itertools.combinations(ids, 2))
        return out


def load_wmt(max_docs: int | None) -> Corpus:
    root = ET.parse(DATA / "wmt21_ru_en" / "newstest2021.ru-en.all.xml").getroot()
    articles: list[Article] = []
    family: dict[str, str] = {}
    for doc in list(root.iter("doc"))[:max_docs]:
        doc_id = doc.get("id", "")
        for version in doc:
            if version.tag == "src":
                name, language = "src", "ru"
            elif version.tag == "ref":
                name, language = "ref-" + version.get("translator", "?"), "en"
            else:
                name, language = "mt-" + version.get("system", "?"), "en"
            paragraphs = [
                [(seg.text or "").strip() for seg in p.iter("seg") if (seg.text or "").strip()]
                for p in version.iter("p")
            ]
            aid = f"{doc_id}|{name}"
            articles.append(make_article(aid, [p for p in paragraphs if p], language))
            family[aid] = doc_id
    return Corpus("wmt21_ru_en", articles, family)


def load_multiling() -> Corpus:
    folder = DATA / "multiling2011" / "SourceTexts"
    codes = {"english": "en", "french": "fr", "czech": "cs"}
    articles: list[Article] = []
    family: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        stem, _, lang = path.name.partition(".")
        if lang not in codes:
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # one Czech file is in cp1250
            text = raw.decode("cp1250")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        segmenter = _segmenter(codes[lang])
        paragraphs = [[s.strip() for s in segmenter.segment(ln) if s.strip()] for ln in lines]
        aid = f"{stem}.{codes[lang]}"
        articles.append(make_article(aid, [p for p in paragraphs if p], codes[lang]))
        family[aid] = stem
    return Corpus("multiling2011", articles, family)


_SEGMENTERS: dict[str, pysbd.Segmenter] = {}


def _segmenter(language: str) -> pysbd.Segmenter:
    if language not in _SEGMENTERS:
        try:
            _SEGMENTERS[language] = pysbd.Segmenter(language=language, clean=False)
        except ValueError:  # pysbd has no Czech rules: English ones split Czech well enough
            _SEGMENTERS[language] = pysbd.Segmenter(language="en", clean=False)
    return _SEGMENTERS[language]


def multinews_documents() -> list[tuple[int, list[list[str]]]]:
    """(cluster, paragraphs as sentence lists) for every usable Multi-News validation document."""
    segmenter = _segmenter("en")
    out: list[tuple[int, list[list[str]]]] = []
    with open(DATA / "multinews_val" / "sample_validation.csv", encoding="utf-8") as handle:
        for row_index, row in enumerate(csv.DictReader(handle)):
            for doc in ast.literal_eval(row["documents"]):
                blocks = [b.strip() for b in re.split(r"\n\s*\n", doc.replace(" \n \n ", "\n\n")) if b.strip()]
                paragraphs = [[s.strip() for s in segmenter.segment(b) if s.strip()] for b in blocks]
                paragraphs = [p for p in paragraphs if p]
                words = sum(len(s.split()) for p in paragraphs for s in p)
                if sum(len(p) for p in paragraphs) >= 8 and words >= 150:  # drop tweet embeds and stubs
                    out.append((row_index, paragraphs))
    return out


BOILERPLATE = [
    ["Share this article on Facebook, Twitter and email.", "Click here to subscribe to our newsletter."],
    ["Advertisement"],
    ["Copyright 2016 The Associated Press. All rights reserved.",
     "This material may not be published, broadcast, rewritten or redistributed."],
    ["Related coverage: what you need to know this week.", "Sign up for our daily briefing."],
    ["We welcome your comments below.", "Please keep the discussion civil and on topic."],
]  # fmt: skip


def _remove_natural_copies(docs: list[tuple[int, list[list[str]]]], shingle_size: int) -> list[int]:
    """Indexes of documents that do not already copy another one (Multi-News holds some reprints)."""
    sets = [shingles(normalise_words(" ".join(s for p in d for s in p)), shingle_size) for _, d in docs]
    lsh = MinHashLSH(threshold=0.2, num_perm=128)
    hashes = [minhash(s, 128) for s in sets]
    for i, h in enumerate(hashes):
        lsh.insert(str(i), h)
    dropped: set[int] = set()
    for i, h in enumerate(hashes):
        if i in dropped:
            continue
        for other in lsh.query(h):
            j = int(other)
            if j == i or j in dropped:
                continue
            inter = len(sets[i] & sets[j])
            if inter / max(1, min(len(sets[i]), len(sets[j]))) >= 0.3:
                dropped.add(j)
    return [i for i in range(len(docs)) if i not in dropped]


Content = dict[int, set[tuple[int, int]]]  # original document → its (paragraph, sentence) ids used


def reprint_relations(content: dict[str, Content]) -> dict[Pair, set[str]]:
    """Gold relations from what each article is made of (transitive by construction).

    Two articles are copies when the original text they share is at least half of the shorter one:
    "duplicate" when it is also most (≥ 0.7) of the longer one, "contains" when it is less than half
    of the longer one, either in between. Boilerplate lines are nobody's content.
    """
    by_original: dict[int, list[str]] = defaultdict(list)
    for aid, parts in content.items():
        for original in parts:
            by_original[original].append(aid)
    sizes = {aid: sum(len(v) for v in parts.values()) for aid, parts in content.items()}
    out: dict[Pair, set[str]] = {}
    seen: set[Pair] = set()
    for ids in by_original.values():
        for a, b in itertools.combinations(sorted(ids), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            shared = sum(len(content[a][o] & content[b].get(o, set())) for o in content[a])
            small, large = sorted((sizes[a], sizes[b]))
            if not small or shared < 0.5 * small:
                continue
            ratio = shared / large
            if ratio >= 0.7:
                out[(a, b)] = {"duplicate"}
            elif ratio < 0.5:
                out[(a, b)] = {"contains"}
            else:
                out[(a, b)] = {"duplicate", "contains"}
    return out


def build_reprints(docs: list[tuple[int, list[list[str]]]], seed: int, limit: int | None) -> Corpus:
    """Originals plus reprint variants; gold relations follow from each article's content."""
    rng = random.Random(seed)
    order = _remove_natural_copies(docs, 5)
    rng.shuffle(order)
    if limit:
        order = order[:limit]
    articles: list[Article] = []
    family: dict[str, str] = {}
    content: dict[str, Content] = {}

    def ids(i: int, paragraphs: Sequence[Sequence[str]] | None = None) -> set[tuple[int, int]]:
        src = docs[i][1] if paragraphs is None else paragraphs
        return {(pi, si) for pi, p in enumerate(src) for si in range(len(p))}

    for i in order:
        articles.append(make_article(f"mn{i}", docs[i][1], "en"))
        family[f"mn{i}"] = f"f{i}"
        content[f"mn{i}"] = {i: ids(i)}
    kinds = ["boilerplate", "truncated", "shuffled", "embedded", "none"]
    for n, i in enumerate(order):
        kind = kinds[n % len(kinds)]
        paragraphs = [list(p) for p in docs[i][1]]
        if kind == "none":
            continue
        vid = f"mn{i}~{kind}"
        variant: list[list[str]]
        if kind == "boilerplate":
            variant = [rng.choice(BOILERPLATE), *paragraphs, rng.choice(BOILERPLATE)]
            content[vid] = {i: ids(i)}
        elif kind == "truncated":
            total = sum(len(p) for p in paragraphs)
            budget = max(3, int(total * rng.uniform(0.7, 0.9)))
            variant = []
            used = 0
            kept: set[tuple[int, int]] = set()
            for pi, p in enumerate(paragraphs):
                if used >= budget:
                    break
                variant.append(p[: budget - used])
                kept.update((pi, si) for si in range(len(variant[-1])))
                used += len(variant[-1])
            variant.append(rng.choice(BOILERPLATE))
            content[vid] = {i: kept}
        elif kind == "shuffled":
            variant = paragraphs[:]
            rng.shuffle(variant)
            content[vid] = {i: ids(i)}
        else:  # embedded: a host article from another cluster, then this one bundled after it
            host = rng.choice([h for h in order if docs[h][0] != docs[i][0] and h != i])
            variant = [*docs[host][1], ["Related materials"], *paragraphs]
            vid = f"mn{i}~in~mn{host}"
            content[vid] = {host: ids(host), i: ids(i)}
        articles.append(make_article(vid, variant, "en"))
        family[vid] = f"f{i}"
    return Corpus("multinews_reprints", articles, family, reprint_relations(content))


def reprint_gold(corpus: Corpus) -> set[Pair]:
    return set(corpus.gold_relation)


# ----------------------------------------------------------------------------------- scoring


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    def row(self) -> str:
        return f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def score(predicted: Iterable[Pair], gold: set[Pair], universe: Iterable[Pair] | None = None) -> Score:
    pred = set(predicted)
    if universe is not None:
        allowed = set(universe)
        pred &= allowed
        gold = gold & allowed
    tp = len(pred & gold)
    fp = len(pred - gold)
    fn = len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(round(p, 4), round(r, 4), round(f, 4), tp, fp, fn)


def filter_pairs(pairs: Iterable[Pair], languages: dict[str, str], want: tuple[str, str]) -> set[Pair]:
    out = set()
    for a, b in pairs:
        langs = {languages[a], languages[b]}
        if langs == set(want) and (want[0] != want[1] or languages[a] == languages[b]):
            out.add((a, b))
    return out


def all_pairs(ids: Sequence[str], languages: dict[str, str], want: tuple[str, str]) -> set[Pair]:
    return filter_pairs((pair(a, b) for a, b in itertools.combinations(ids, 2)), languages, want)


# ----------------------------------------------------------------------------------- runs


def run_linker(articles: list[Article], settings: LinkSettings) -> tuple[list[ProvenanceLink], float, ProvenanceFinder]:
    finder = ProvenanceFinder(settings)
    start = time.perf_counter()
    links = finder.find(articles)
    return links, time.perf_counter() - start, finder


def run_peer(articles: list[Article], settings: LinkSettings) -> tuple[set[Pair], float]:
    """Plain datasketch MinHash-LSH: shingle, hash, insert, query. A pair is a link when it collides."""
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=settings.lsh_threshold, num_perm=settings.num_perm)
    hashes = {}
    for a in articles:
        h = minhash(shingles(normalise_words(a.text), settings.shingle_size), settings.num_perm)
        hashes[a.id] = h
        lsh.insert(a.id, h)
    found: set[Pair] = set()
    for aid, h in hashes.items():
        for other in lsh.query(h):
            if other != aid:
                found.add(pair(aid, other))
    return found, time.perf_counter() - start


def linked_pairs(links: Iterable[ProvenanceLink], relations: Iterable[str] | None = COPY_RELATIONS) -> set[Pair]:
    """Pairs the linker calls copies (the relations that merge source groups; "shares" does not)."""
    wanted = None if relations is None else set(relations)
    return {pair(lk.article, lk.derived_from) for lk in links if wanted is None or lk.relation in wanted}


def bench_wmt(settings: LinkSettings, max_docs: int | None, results: dict[str, object]) -> None:
    corpus = load_wmt(max_docs)
    languages = {a.id: a.language for a in corpus.articles}
    english = [a for a in corpus.articles if a.language == "en"]
    gold = corpus.gold_pairs()
    ids = [a.id for a in corpus.articles]

    # English–English: the linker and the peer on the same English versions
    links, seconds, finder = run_linker(english, settings)
    peer, peer_seconds = run_peer(english, settings)
    en_universe = all_pairs([a.id for a in english], languages, ("en", "en"))
    ours_en = score(linked_pairs(links), gold, en_universe)
    peer_en = score(peer, gold, en_universe)

    # Russian–English: originals mixed with every English version, one run
    links_all, seconds_all, finder_all = run_linker(corpus.articles, settings)
    ru_universe = all_pairs(ids, languages, ("ru", "en"))
    ours_ru = score(linked_pairs(links_all), gold, ru_universe)
    peer_all, _ = run_peer(corpus.articles, settings)
    peer_ru = score(peer_all, gold, ru_universe)
    groups = source_groups(ids, links_all)
    pure = sum(1 for g in groups if len({corpus.family[a] for a in g}) == 1)
    relations: dict[str, int] = defaultdict(int)
    for link in links_all:
        relations[link.relation] += 1
    results["wmt21_ru_en"] = {
        "documents": len({corpus.family[a] for a in ids}),
        "articles_en": len(english),
        "articles_ru": len(ids) - len(english),
        "en_en": {"storydesk": vars(ours_en), "minhash_lsh": vars(peer_en)},
        "ru_en": {"storydesk": vars(ours_ru), "minhash_lsh": vars(peer_ru)},
        "seconds_en": round(seconds, 2),
        "seconds_peer_en": round(peer_seconds, 3),
        "seconds_per_1000_en": round(seconds / len(english) * 1000, 2),
        "seconds_peer_per_1000_en": round(peer_seconds / len(english) * 1000, 3),
        "seconds_mixed": round(seconds_all, 2),
        "candidates_en": asdict(finder.stats),
        "candidates_mixed": asdict(finder_all.stats),
        "source_groups": len(groups),
        "pure_source_groups": pure,
        "relations_mixed": dict(relations),
    }
    print(f"WMT21 EN-EN   storydesk {ours_en.row()}   [{seconds:.1f}s]")
    print(f"              MinHash-LSH {peer_en.row()}   [{peer_seconds:.2f}s]")
    print(f"WMT21 RU-EN   storydesk {ours_ru.row()}   [mixed run {seconds_all:.1f}s]")
    print(f"              MinHash-LSH {peer_ru.row()}")
    print(f"              source groups {len(groups)} for {len(set(corpus.family.values()))} documents "
          f"({pure} pure)")


def bench_multiling(settings: LinkSettings, results: dict[str, object]) -> None:
    corpus = load_multiling()
    languages = {a.id: a.language for a in corpus.articles}
    ids = [a.id for a in corpus.articles]
    gold = corpus.gold_pairs()
    links, seconds, finder = run_linker(corpus.articles, settings)
    peer, peer_seconds = run_peer(corpus.articles, settings)
    out: dict[str, object] = {"articles": len(ids), "seconds": round(seconds, 2),
                              "seconds_peer": round(peer_seconds, 3), "candidates": asdict(finder.stats)}
    for want in (("en", "fr"), ("en", "cs"), ("fr", "cs"), ("en", "en")):
        universe = all_pairs(ids, languages, want)
        ours = score(linked_pairs(links), gold, universe)
        theirs = score(peer, gold, universe)
        out["-".join(want)] = {"storydesk": vars(ours), "minhash_lsh": vars(theirs)}
        print(f"MultiLing {want[0].upper()}-{want[1].upper()}  storydesk {ours.row()}")
        print(f"                MinHash-LSH {theirs.row()}")
    print(f"                [{seconds:.1f}s, peer {peer_seconds:.2f}s]")
    results["multiling2011"] = out


def bench_reprints(settings: LinkSettings, limit: int | None, results: dict[str, object]) -> list:
    docs = multinews_documents()
    corpus = build_reprints(docs, seed=7, limit=limit)
    ids = [a.id for a in corpus.articles]
    gold = reprint_gold(corpus)
    links, seconds, finder = run_linker(corpus.articles, settings)
    peer, peer_seconds = run_peer(corpus.articles, settings)
    ours = score(linked_pairs(links), gold)
    theirs = score(peer, gold)
    predicted_relation = {pair(lk.article, lk.derived_from): lk.relation for lk in links}
    per_relation: dict[str, object] = {}
    for rel in ("duplicate", "contains"):
        gold_rel = {p for p, ok in corpus.gold_relation.items() if rel in ok and len(ok) == 1}
        accept = {p for p, ok in corpus.gold_relation.items() if rel in ok}
        pred_rel = {p for p, r in predicted_relation.items() if r == rel}
        tp = len(pred_rel & accept)
        fp = len(pred_rel - accept)
        fn = len(gold_rel - pred_rel)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = (len(gold_rel & pred_rel) / len(gold_rel)) if gold_rel else 1.0
        per_relation[rel] = {"precision": round(p, 4), "recall": round(r, 4), "tp": tp, "fp": fp, "fn": fn}
        print(f"Reprints {rel:9s} P {p:.3f} R {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    cluster_of = {}
    for a in corpus.articles:
        m = re.match(r"mn(\d+)", a.id)
        cluster_of[a.id] = m.group(1) if m else a.id
    print(f"Reprints any-link storydesk {ours.row()}   [{seconds:.1f}s]")
    print(f"                  MinHash-LSH {theirs.row()}   [{peer_seconds:.2f}s]")
    results["multinews_reprints"] = {
        "articles": len(ids), "gold_pairs": len(gold), "any_link": {"storydesk": vars(ours), "minhash_lsh": vars(theirs)},
        "per_relation": per_relation, "seconds": round(seconds, 2), "seconds_peer": round(peer_seconds, 3),
        "candidates": asdict(finder.stats),
    }
    return docs


def scaling_corpus(docs: list[tuple[int, list[list[str]]]], size: int, seed: int) -> list[Article]:
    """``size`` English articles with the same copy structure at every size.

    A quarter are reprint variants (boilerplate, truncated, shuffled), each of a different base
    article, so families never grow with the corpus. The bases are the real documents and, beyond
    them, "fresh" articles whose sentences are drawn at random from the real ones: real sentences
    and embeddings, but no document copies another (there are not 15,000 more real articles here).
    """
    rng = random.Random(seed)
    variants = size // 4
    bases: list[list[list[str]]] = [paragraphs for _, paragraphs in docs[: size - variants]]
    sentences = [s for _, paragraphs in docs for p in paragraphs for s in p]
    while len(bases) < size - variants:
        picked = rng.sample(sentences, rng.randint(12, 30))
        bases.append([picked[k : k + 4] for k in range(0, len(picked), 4)])
    out = [make_article(f"s{i}", paragraphs, "en") for i, paragraphs in enumerate(bases)]
    for n, i in enumerate(rng.sample(range(len(bases)), variants)):
        paragraphs = [list(p) for p in bases[i]]
        kind = ("boilerplate", "truncated", "shuffled")[n % 3]
        if kind == "boilerplate":
            paragraphs = [rng.choice(BOILERPLATE), *paragraphs]
        elif kind == "truncated":
            paragraphs = paragraphs[: max(2, int(len(paragraphs) * 0.8))]
        else:
            rng.shuffle(paragraphs)
        out.append(make_article(f"s{i}~{kind}", paragraphs, "en"))
    return out


def scaling_documents(docs: list[tuple[int, list[list[str]]]]) -> list[tuple[int, list[list[str]]]]:
    """Real English documents from several datasets (Multi-News, NeuS, WMT references, MultiLing)."""
    out = list(docs)
    segmenter = _segmenter("en")
    source = (DATA / "neus_val" / "val.source").read_text(encoding="utf-8").splitlines()
    for line_no, line in enumerate(source):
        for part in line.split(" [SEP] "):
            body = part.split("ARTICLE=>", 1)[-1].strip()
            sentences = [s.strip() for s in segmenter.segment(body) if s.strip()]
            if len(sentences) >= 8:
                out.append((100_000 + line_no, [sentences[k : k + 4] for k in range(0, len(sentences), 4)]))
    wmt = load_wmt(None)
    for a in wmt.articles:
        if a.id.endswith("|ref-A"):
            paragraphs: dict[int, list[str]] = defaultdict(list)
            for s in a.sentences:
                paragraphs[s.paragraph].append(s.text)
            out.append((200_000, list(paragraphs.values())))
    return out


def bench_scaling(settings: LinkSettings, docs: list[tuple[int, list[list[str]]]], sizes: list[int],
                  results: dict[str, object]) -> None:
    pool = scaling_documents(docs)
    rows = []
    for size in sizes:
        articles = scaling_corpus(pool, size, seed=size)
        links, seconds, finder = run_linker(articles, settings)
        _, peer_seconds = run_peer(articles, settings)
        rows.append({"articles": size, "seconds": round(seconds, 2), "seconds_peer": round(peer_seconds, 2),
                     "per_1000": round(seconds / size * 1000, 2),
                     "peer_per_1000": round(peer_seconds / size * 1000, 2),
                     "candidates": finder.stats.candidates, "aligned": finder.stats.aligned,
                     "links": len(links), "real_documents": min(size - size // 4, len(pool)),
                     "variants": size // 4})
        print(f"Scaling {size:6d} articles: storydesk {seconds:7.1f}s ({seconds / size * 1000:.1f}s/1k, "
              f"{finder.stats.candidates} candidates)   MinHash-LSH {peer_seconds:6.1f}s")
    results["scaling"] = rows


def write_results(results: dict[str, object], name: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    lines = ["# Provenance benchmark", "", "Pairs of documents; P / R / F1 (peer: plain datasketch MinHash-LSH, "
             "same shingles and threshold, same run). Articles built directly (WMT segments / pysbd "
             "sentences, no spaCy).", "", "| set | storydesk P / R / F1 | MinHash-LSH P / R / F1 |", "|---|---|---|"]

    def cell(s: dict) -> str:
        return f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"

    wmt = results.get("wmt21_ru_en")
    if isinstance(wmt, dict):
        lines.append(f"| WMT21 EN-EN ({wmt['articles_en']} versions) | {cell(wmt['en_en']['storydesk'])} | {cell(wmt['en_en']['minhash_lsh'])} |")
        lines.append(f"| WMT21 RU-EN ({wmt['articles_ru']} originals) | {cell(wmt['ru_en']['storydesk'])} | {cell(wmt['ru_en']['minhash_lsh'])} |")
    ml = results.get("multiling2011")
    if isinstance(ml, dict):
        for key in ("en-fr", "en-cs", "fr-cs", "en-en"):
            lines.append(f"| MultiLing 2011 {key.upper()} | {cell(ml[key]['storydesk'])} | {cell(ml[key]['minhash_lsh'])} |")
    mn = results.get("multinews_reprints")
    if isinstance(mn, dict):
        lines.append(f"| Multi-News reprints, any link ({mn['articles']} articles) | {cell(mn['any_link']['storydesk'])} | {cell(mn['any_link']['minhash_lsh'])} |")
        for rel, s in mn["per_relation"].items():
            lines.append(f"| Multi-News reprints, {rel} | {s['precision']:.3f} / {s['recall']:.3f} / - | - |")
    lines += ["", "| timing | storydesk | MinHash-LSH |", "|---|---|---|"]
    if isinstance(wmt, dict):
        lines.append(f"| WMT21 EN-EN, s per 1,000 articles | {wmt['seconds_per_1000_en']} | {wmt['seconds_peer_per_1000_en']} |")
    scaling = results.get("scaling")
    for row in scaling if isinstance(scaling, list) else []:
        lines.append(f"| {row['articles']} articles (s) | {row['seconds']} ({row['per_1000']}/1k) | {row['seconds_peer']} ({row['peer_per_1000']}/1k) |")
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsets, no scaling run (development)")
    parser.add_argument("--only", default="wmt,multiling,reprints,scaling")
    parser.add_argument("--sizes", default="5000,10000,20000")
    args = parser.parse_args()
    settings = load_settings().link
    only = set(args.only.split(","))
    results: dict[str, object] = {"quick": args.quick}
    started = time.perf_counter()
    if "wmt" in only:
        bench_wmt(settings, 30 if args.quick else None, results)
    if "multiling" in only:
        bench_multiling(settings, results)
    docs = None
    if "reprints" in only:
        docs = bench_reprints(settings, 150 if args.quick else None, results)
    if "scaling" in only and not args.quick:
        docs = docs or multinews_documents()
        bench_scaling(settings, docs, [int(s) for s in args.sizes.split(",")], results)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    write_results(results, "provenance_quick" if args.quick else "provenance")


if __name__ == "__main__":
    main()

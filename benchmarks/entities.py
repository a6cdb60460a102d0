"""Cross-document coreference of person-name mentions on ECB+, beside an exact-string baseline.

Run: ``.venv/bin/python benchmarks/entities.py [--topics N]``. Writes benchmarks/results/entities.{json,md}.

Data: ../shared/datasets/ecbplus (Cybulska & Vossen 2014, CC BY 3.0). Gold mentions are the
HUMAN_PART_PER mentions, in the sentences listed in ECBplus_coreference_sentences.csv, whose words are a
person *name*: every word capitalised once a title like "Sen." and a leading "the" are set aside, and
at least one word that is neither a stop word nor an English word of the spaCy model's lemma tables
("Tara Reid", "Reid"; not "her rep", "She", "Host", "Party Girl"; also not "Cheeks" alone). Gold clusters come from CROSS_DOC_COREF instance ids, then
INTRA_DOC_COREF chains, else singletons. Each topic (both its seminal events, ecb and ecbplus documents)
is one story: names are linked across all its documents, as storydesk does for a story.

Systems, all on the same gold mentions:
- exact string: mentions with the same text (case-insensitive) in a topic are one entity (the
  baseline named in the issue);
- last word: mentions sharing their last word (the surname) are one entity (a stronger reference);
- storydesk: :class:`EntityCanonicalizer` over the topic's documents (gold mentions given as PERSON
  mentions), each mention scored in the entity it was placed in.
Scores: MUC, B³ and CEAF-e F1, and CoNLL F1 (their mean), over all topics together.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.analyse.canon import EntityCanonicalizer  # noqa: E402
from storydesk.analyse.names import HONORIFICS, STOP_WORDS, fold, looks_like_name_token  # noqa: E402
from storydesk.annotate.entities import common_words, model_for  # noqa: E402
from storydesk.records import Article, Mention, Paragraph, Sentence, Story  # noqa: E402
from storydesk.settings import load_settings  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "ecbplus"
RESULTS = ROOT / "benchmarks" / "results"

Clustering = dict[str, str]  # mention key -> cluster id


@dataclass(slots=True)
class GoldMention:
    key: str  # topic/doc/m_id
    doc: str
    text: str
    start: int
    end: int
    sentence: int
    cluster: str


def is_name(words: list[str], lexicon: frozenset[str]) -> bool:
    """Every word capitalised, and not only English words ("She", "Host", "Party Girl" are not names)."""
    words = [w for w in words if w not in ("'s", "’s")]
    while words and (fold(words[0]) in HONORIFICS or words[0].lower() in ("the", "a", "an") or words[0].endswith(".")):
        words = words[1:]
    if not words or not all(looks_like_name_token(w) or w == "-" for w in words):
        return False
    return any(w.lower() not in lexicon and w.lower() not in STOP_WORDS for w in words)


def load_topic(
    topic_dir: Path, selected: set[tuple[str, str, int]], lexicon: frozenset[str]
) -> tuple[list[Article], list[GoldMention]]:
    articles: list[Article] = []
    gold: list[GoldMention] = []
    for path in sorted(topic_dir.glob("*.xml")):
        doc = path.stem  # e.g. 1_10ecbplus
        topic, _, name = doc.partition("_")
        root = ET.parse(path).getroot()
        tokens = [(int(t.get("t_id", "0")), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")]
        # Text: tokens joined by spaces, one sentence per line (offsets kept per token).
        offsets: dict[int, tuple[int, int]] = {}
        parts: list[str] = []
        pos = 0
        sentences: list[Sentence] = []
        current = -1
        sent_start = 0
        for tid, sent, word in tokens:
            if sent != current:
                if current >= 0:
                    sentences.append(Sentence(index=len(sentences), text="".join(parts)[sent_start:pos].strip(),
                                              start=sent_start, end=pos, paragraph=len(sentences)))
                    parts.append("\n\n")
                    pos += 2
                current, sent_start = sent, pos
            elif parts:
                parts.append(" ")
                pos += 1
            offsets[tid] = (pos, pos + len(word))
            parts.append(word)
            pos += len(word)
        if current >= 0:
            sentences.append(Sentence(index=len(sentences), text="".join(parts)[sent_start:pos].strip(),
                                      start=sent_start, end=pos, paragraph=len(sentences)))
        text = "".join(parts)
        sent_of = {tid: sent for tid, sent, _ in tokens}
        sent_index = {s: i for i, s in enumerate(sorted({sent for _, sent, _ in tokens}))}
        markables = root.find("Markables")
        anchors: dict[str, list[int]] = {}
        kinds: dict[str, str] = {}
        if markables is not None:
            for m in markables:
                mid = m.get("m_id", "")
                kinds[mid] = m.tag
                ids = [int(a.get("t_id", "0")) for a in m.findall("token_anchor")]
                if ids:
                    anchors[mid] = ids
        cluster_of: dict[str, str] = {}
        relations = root.find("Relations")
        if relations is not None:
            for rel in relations:
                sources = [s.get("m_id", "") for s in rel.findall("source")]
                target = rel.find("target")
                if rel.tag == "CROSS_DOC_COREF":
                    for s in sources:
                        cluster_of[s] = rel.get("note", "")
                elif rel.tag == "INTRA_DOC_COREF" and target is not None:
                    for s in sources:
                        cluster_of.setdefault(s, f"{doc}/intra/{target.get('m_id')}")
        art = Article(id=doc, location=str(path), text=text, language="en", sentences=sentences)
        art.paragraphs = [Paragraph(index=s.index, text=text[s.start : s.end], start=s.start) for s in sentences]
        for mid, ids in anchors.items():
            if kinds.get(mid) != "HUMAN_PART_PER":
                continue
            sent = sent_of[ids[0]]
            if (topic, name, sent) not in selected:
                continue
            words = [w for tid, _, w in tokens if tid in ids]
            if not is_name(words, lexicon):
                continue
            start, end = offsets[min(ids)][0], offsets[max(ids)][1]
            key = f"{doc}/{mid}"
            gold.append(GoldMention(key, doc, text[start:end], start, end, sent_index[sent],
                                    cluster_of.get(mid, f"{key}/single")))
            art.mentions.append(Mention(text=text[start:end], label="PERSON", start=start, end=end,
                                        sentence=sent_index[sent]))
        art.mentions.sort(key=lambda m: m.start)
        articles.append(art)
    return articles, gold


# ------------------------------------------------------------------------ metrics


def _clusters(assign: Clustering) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for k, c in assign.items():
        groups[c].add(k)
    return list(groups.values())


def muc(key: list[set[str]], response: list[set[str]]) -> tuple[float, float]:
    def score(a: list[set[str]], b: list[set[str]]) -> float:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, f"single-{m}") for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num / den if den else 0.0

    return score(key, response), score(response, key)  # recall, precision


def b_cubed(key: list[set[str]], response: list[set[str]]) -> tuple[float, float]:
    k_of = {m: c for c in key for m in c}
    r_of = {m: c for c in response for m in c}
    mentions = list(k_of)
    recall = sum(len(k_of[m] & r_of[m]) / len(k_of[m]) for m in mentions) / len(mentions)
    precision = sum(len(k_of[m] & r_of[m]) / len(r_of[m]) for m in mentions) / len(mentions)
    return recall, precision


def ceaf_e(key: list[set[str]], response: list[set[str]]) -> tuple[float, float]:
    from scipy.optimize import linear_sum_assignment

    sim = np.zeros((len(key), len(response)))
    r_index = {m: j for j, c in enumerate(response) for m in c}
    for i, c in enumerate(key):
        for m in c:
            j = r_index[m]
            sim[i, j] += 2.0 / (len(c) + len(response[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    return total / len(key), total / len(response)


def f1(r: float, p: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(gold: Clustering, system: Clustering) -> dict[str, float]:
    key, response = _clusters(gold), _clusters(system)
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        r, p = fn(key, response)
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = round(p, 4), round(r, 4), round(f1(r, p), 4)
    out["conll_f1"] = round((out["muc_f1"] + out["b3_f1"] + out["ceafe_f1"]) / 3, 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=0, help="only the first N topics (0: all)")
    args = parser.parse_args()
    selected: set[tuple[str, str, int]] = set()
    with (DATA / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            selected.add((row["Topic"], row["File"], int(row["Sentence Number"])))
    topics = sorted((p for p in (DATA / "ECB+").iterdir() if p.is_dir()), key=lambda p: int(p.name))
    if args.topics:
        topics = topics[: args.topics]
    settings = load_settings()
    canon = EntityCanonicalizer(settings.analyse)
    # English words from the spaCy model's lemma tables: tells a name from "Host" or "Woman".
    lexicon = common_words(model_for("en", settings.annotate.spacy_models) or "en_core_web_sm")
    gold: Clustering = {}
    exact: Clustering = {}
    last: Clustering = {}
    ours: Clustering = {}
    n_mentions = n_docs = 0
    t_ours = t_load = 0.0
    for topic in topics:
        t0 = time.perf_counter()
        articles, mentions = load_topic(topic, selected, lexicon)
        t_load += time.perf_counter() - t0
        n_docs += len(articles)
        n_mentions += len(mentions)
        for m in mentions:
            gold[m.key] = f"{topic.name}/{m.cluster}"
            exact[m.key] = f"{topic.name}/{m.text.lower()}"
            words = re.findall(r"[\w'-]+", m.text.replace("'s", ""))
            last[m.key] = f"{topic.name}/{(words[-1] if words else m.text).lower()}"
        story = Story(id=topic.name, articles=[a.id for a in articles])
        t0 = time.perf_counter()
        canon.analyse(story, {a.id: a for a in articles})
        t_ours += time.perf_counter() - t0
        for m in mentions:
            entity = canon.mention_entities.get((m.doc, m.start))
            ours[m.key] = f"{topic.name}/{entity}" if entity else f"{m.key}/unplaced"
    results = {
        "dataset": "ECB+ 1.0, person-name mentions (HUMAN_PART_PER) in the annotated sentences",
        "topics": len(topics),
        "documents": n_docs,
        "mentions": n_mentions,
        "gold_entities": len(set(gold.values())),
        "exact_string_baseline": evaluate(gold, exact),
        "last_word_baseline": evaluate(gold, last),
        "storydesk": evaluate(gold, ours),
        "storydesk_seconds": round(t_ours, 2),
        "target": "storydesk CoNLL F1 >= exact-string baseline + 10 points",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "entities.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Person-name cross-document coreference on ECB+ ({len(topics)} topics, {n_docs} documents, "
        f"{n_mentions} name mentions, {results['gold_entities']} gold entities)",
        "",
        "| system | MUC F1 | B³ F1 | CEAF-e F1 | CoNLL F1 |",
        "|---|---|---|---|---|",
    ]
    for label, key in (("exact string (baseline)", "exact_string_baseline"), ("last word", "last_word_baseline"),
                       ("storydesk EntityCanonicalizer", "storydesk")):
        r = results[key]
        assert isinstance(r, dict)
        lines.append(f"| {label} | {r['muc_f1']:.3f} | {r['b3_f1']:.3f} | {r['ceafe_f1']:.3f} | {r['conll_f1']:.3f} |")
    lines += ["", f"storydesk time: {t_ours:.2f} s for all topics (loading the XML: {t_load:.1f} s).", ""]
    (RESULTS / "entities.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

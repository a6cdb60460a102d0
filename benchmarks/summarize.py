"""Multi-document summaries: storydesk against sumy's LexRank and TextRank and a Lead baseline.

Every system sees the same clusters in the same run and gets the same word budget; every output is
cut to the budget (whole sentences in the system's own order, the last one truncated), then scored
with Google's ``rouge-score`` (ROUGE-1/2/L F1, Porter stemming on).

Datasets (read from ../shared/datasets):
- Multi-News validation sample (250 clusters), budget = the reference summary's length in words;
- NeuS / AllSides validation (307 clusters of 3 outlets), budget = the reference's length;
- MultiLing 2011 English (10 topics x 10 WikiNews articles, 3 human summaries each), budget = 250
  words (the task's limit); scores are averaged over the three references.

How rouge-score differs from ROUGE-1.5.5 (the Perl script behind the published numbers): it
tokenises on non-alphanumerics and lower-cases; it has no stop-word removal, no jackknifing over
multiple references, no "-l/-b" length cut (we cut outputs ourselves to the same budget), and its
ROUGE-L is sentence-level LCS over the whole text (not ROUGE-1.5.5's summary-level union LCS).
Published Multi-News figures (Fabbri et al. 2019) are ROUGE-1.5.5 F1 on the *test* split at their
own length settings; ours are on 250 validation clusters: compare orders of magnitude, not decimals.

Input is the datasets' plain text, split into sentences by the annotator's splitter (pysbd) without
spaCy NER: running spaCy over 250 Multi-News clusters on a shared 2-core machine is too slow, and the
summariser runs the same code on these Articles as in the pipeline (its fallbacks stand in for the
facts, entities and provenance the full pipeline would add). ``--clean`` runs storydesk's
BoilerplateCleaner over every document first, for all systems alike.

Run: ``.venv/bin/python benchmarks/summarize.py [--limit N] [--datasets multinews,neus,multiling] [--clean]``
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "src"))

from storydesk.records import Article, Story  # noqa: E402
from storydesk.settings import Settings, load_settings  # noqa: E402
from storydesk.summarise.extractive import ExtractiveSummarizer  # noqa: E402
from storydesk.summarise.segment import ensure_sentences  # noqa: E402

PUBLISHED = {
    "multinews": "Fabbri et al. 2019, Multi-News test, ROUGE-1.5.5 F1 (R-1/R-2): LexRank 38.27/12.70, "
    "TextRank 38.44/13.10, MMR 38.77/11.98, Hi-MAP (supervised) 43.47/14.89",
    "multiling": "MultiLing 2011 English, ROUGE-1.5.5 (R-1/R-2 F): centroid baseline (ID9) 37.9/10.9, "
    "best system (ID3/ID2) 45.4/18.2 and 46.1/16.9",
    "neus": "no published extractive figures on NeuS validation",
}


# ------------------------------------------------------------------------------------------ data
@dataclass(slots=True)
class Cluster:
    id: str
    documents: list[tuple[str, str]]  # (title, text)
    references: list[str]
    budget: int


def _words(text: str) -> list[str]:
    return text.split()


def load_multinews(limit: int | None) -> Iterator[Cluster]:
    csv.field_size_limit(10**9)
    path = DATASETS / "multinews_val" / "sample_validation.csv"
    with path.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and i >= limit:
                break
            docs = [d for d in ast.literal_eval(row["documents"]) if d.strip()]
            ref = row["summary"].lstrip("– ").strip()
            yield Cluster(f"multinews-{i}", [("", d) for d in docs], [ref], len(_words(ref)))


_NEUS_PART = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.S)


def _neus_split(part: str) -> tuple[str, str]:
    m = _NEUS_PART.search(part)
    return (m.group(1).strip(), m.group(2).strip()) if m else ("", part.strip())


def load_neus(limit: int | None) -> Iterator[Cluster]:
    base = DATASETS / "neus_val"
    sources = (base / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (base / "val.target").read_text(encoding="utf-8").splitlines()
    for i, (src, tgt) in enumerate(zip(sources, targets, strict=True)):
        if limit is not None and i >= limit:
            break
        docs = [_neus_split(p) for p in src.split("[SEP]")]
        ref = _neus_split(tgt)[1]
        yield Cluster(f"neus-{i}", [d for d in docs if d[1]], [ref], len(_words(ref)))


def load_multiling(limit: int | None) -> Iterator[Cluster]:
    base = DATASETS / "multiling2011"
    for topic in range(10):
        if limit is not None and topic >= limit:
            break
        docs = []
        for k in range(10):
            text = (base / "SourceTexts" / f"M00{topic}{k}.english").read_text(encoding="utf-8")
            lines = text.strip().split("\n", 1)
            # the first line is "YYYY/MM/DD Title"; the article body follows
            docs.append((lines[0], lines[1] if len(lines) > 1 else ""))
        refs = sorted((base / "Model Summaries" / "English").glob(f"M00{topic}.*.250"))
        yield Cluster(
            f"multiling-M00{topic}", docs, [p.read_text(encoding="utf-8").strip() for p in refs], 250
        )


LOADERS: dict[str, Callable[[int | None], Iterator[Cluster]]] = {
    "multinews": load_multinews,
    "neus": load_neus,
    "multiling": load_multiling,
}


# --------------------------------------------------------------------------------------- systems
def truncate(sentences: list[str], budget: int) -> str:
    """Whole sentences in order until the budget, the last one cut: the same cut for every system."""
    out: list[str] = []
    for sent in sentences:
        out.extend(_words(sent))
        if len(out) >= budget:
            break
    return " ".join(out[:budget])


def build_articles(cluster: Cluster) -> list[Article]:
    """Articles as the product reads plain-text inputs (title on its own line, then the body)."""
    arts = []
    for k, (title, text) in enumerate(cluster.documents):
        body = text.strip()
        arts.append(Article(id=f"{cluster.id}-{k}", location=f"{cluster.id}/{k}.txt", raw=body, title=title, text=body))
    return arts


def clean_clusters(clusters: list[Cluster]) -> float:
    """Run storydesk's BoilerplateCleaner over every document (all systems then read the same text)."""
    from storydesk.clean.boilerplate import BoilerplateCleaner
    from storydesk.errors import InputError
    from storydesk.settings import CleanSettings

    cleaner = BoilerplateCleaner(CleanSettings())
    start = time.perf_counter()
    for cluster in clusters:
        docs = []
        for k, (title, text) in enumerate(cluster.documents):
            article = Article(id=f"{cluster.id}-{k}", location=f"{cluster.id}/{k}.txt", raw=text, title=title)
            try:
                docs.append((title, cleaner.process(article).text))
            except InputError:
                continue  # nothing left after cleaning (a tweet embed, a cookie wall)
        cluster.documents = docs or cluster.documents
    return time.perf_counter() - start


class StorydeskSystem:
    name = "storydesk"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, cluster: Cluster) -> list[str]:
        arts = build_articles(cluster)
        for a in arts:
            ensure_sentences(a)  # the summariser's own light path: pysbd sentences, no NER
        story = Story(id=cluster.id, articles=[a.id for a in arts])
        summariser = ExtractiveSummarizer(
            dataclasses.replace(self.settings.summarise, max_words=cluster.budget, max_sentences=1000),
            self.settings.link,
        )
        summariser.analyse(story, {a.id: a for a in arts})
        return [s.text for s in story.summary]


class PysbdTokenizer:
    """sumy's tokenizer interface backed by pysbd (sumy's own Tokenizer needs NLTK data downloads)."""

    language = "english"
    _word = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

    def __init__(self) -> None:
        import pysbd

        self._seg = pysbd.Segmenter(language="en", clean=False)

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._seg.segment(text) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._word.findall(sentence))


class SumySystem:
    """sumy's LexRank or TextRank as its README sets them up: English stemmer and stop words."""

    def __init__(self, kind: str) -> None:
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        self.name = kind
        self.tokenizer = PysbdTokenizer()
        cls = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer
        self.summarizer = cls(Stemmer("english"))
        self.summarizer.stop_words = get_stop_words("english")

    def __call__(self, cluster: Cluster) -> list[str]:
        from sumy.parsers.plaintext import PlaintextParser

        text = "\n\n".join(b for _t, b in cluster.documents)  # the same body text storydesk gets
        doc = PlaintextParser.from_string(text, self.tokenizer).document
        ratings = self._ratings(doc)
        ranked = sorted(range(len(doc.sentences)), key=lambda i: -ratings[i])
        # as sumy's own __call__ does: the best sentences up to the budget, shown in document order
        chosen: list[int] = []
        used = 0
        for i in ranked:
            if used >= cluster.budget:
                break
            chosen.append(i)
            used += len(_words(str(doc.sentences[i])))
        return [str(doc.sentences[i]) for i in sorted(chosen)]

    def _ratings(self, doc: object) -> list[float]:
        s = self.summarizer
        sentences = doc.sentences  # type: ignore[attr-defined]
        if not sentences:
            return []
        if self.name == "textrank":
            rated = s.rate_sentences(doc)
            return [float(rated[x]) for x in sentences]
        # LexRankSummarizer.__call__ computes these and keeps them to itself; same steps here.
        words = [s._to_words_set(x) for x in sentences]
        tf = s._compute_tf(words)
        idf = s._compute_idf(words)
        matrix = s._create_matrix(words, s.threshold, tf, idf)
        return [float(v) for v in s.power_method(matrix, s.epsilon)]


class LeadSystem:
    """First sentences of each document in turn (lead-1 of every document, then lead-2, ...)."""

    name = "lead"

    def __call__(self, cluster: Cluster) -> list[str]:
        arts = [ensure_sentences(a) for a in build_articles(cluster)]
        bodies = []
        for a in arts:
            headings = {p.index for p in a.paragraphs if p.is_heading}
            bodies.append([s.text for s in a.sentences if s.paragraph not in headings])
        out: list[str] = []
        depth = 0
        while any(depth < len(b) for b in bodies) and len(_words(" ".join(out))) < cluster.budget:
            out.extend(b[depth] for b in bodies if depth < len(b))
            depth += 1
        return out


# ------------------------------------------------------------------------------------------ eval
@dataclass(slots=True)
class Scores:
    rouge1: list[float] = field(default_factory=list)
    rouge2: list[float] = field(default_factory=list)
    rougeL: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "rouge1": 100 * statistics.fmean(self.rouge1),
            "rouge2": 100 * statistics.fmean(self.rouge2),
            "rougeL": 100 * statistics.fmean(self.rougeL),
            "ms_per_cluster": 1000 * statistics.fmean(self.seconds),
        }


def paired_delta(ours: list[float], theirs: list[float], seed: int = 0, rounds: int = 2000) -> tuple[float, float, float]:
    """Mean per-cluster difference (x100) with a 95% paired bootstrap interval."""
    import random

    rng = random.Random(seed)
    diffs = [a - b for a, b in zip(ours, theirs, strict=True)]
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(rounds))
    return 100 * statistics.fmean(diffs), 100 * means[int(0.025 * rounds)], 100 * means[int(0.975 * rounds)]


def evaluate(name: str, clusters: list[Cluster], systems: list[Callable[[Cluster], list[str]]]) -> dict[str, Scores]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores = {getattr(s, "name", str(s)): Scores() for s in systems}
    for cluster in clusters:
        for system in systems:
            start = time.perf_counter()
            sentences = system(cluster)
            elapsed = time.perf_counter() - start
            summary = truncate(sentences, cluster.budget)
            per_ref = [scorer.score(ref, summary) for ref in cluster.references]
            sc = scores[getattr(system, "name", str(system))]
            sc.seconds.append(elapsed)
            for key in ("rouge1", "rouge2", "rougeL"):
                getattr(sc, key).append(statistics.fmean(r[key].fmeasure for r in per_ref))
    return scores


def markdown(
    results: dict[str, dict[str, dict[str, float]]],
    counts: dict[str, int],
    deltas: dict[str, dict[str, tuple[float, float, float]]],
    raw: bool,
) -> str:
    lines = [
        "# Multi-document summarization: storydesk vs sumy LexRank / TextRank / Lead",
        "",
        "Produced by `benchmarks/summarize.py`. ROUGE-1/2/L F1 (x100) with `rouge-score` 0.1.2",
        "(`use_stemmer=True`). All systems get the same clusters, the same input text"
        + (" (raw)" if raw else " (after storydesk's BoilerplateCleaner)")
        + " and the same word budget in the same run; each output is cut to the budget.",
        "Budgets: Multi-News and NeuS = the reference's length in words; MultiLing = 250 words (3 references, averaged).",
        "",
        "- storydesk: `ExtractiveSummarizer` with the packaged settings, on Articles split by the annotator's",
        "  sentence splitter (pysbd) without spaCy NER, no facts/entities/provenance (each article its own",
        "  source group), so it runs on its own fallbacks: wordllama statement clustering, capitalised-name",
        "  salience, regex dates. Time includes sentence splitting and embeddings (model loaded beforehand).",
        "- lexrank / textrank: sumy 0.13 with its English stemmer and stop words; sentences from a pysbd",
        "  tokenizer (sumy's own needs NLTK data); best-rated sentences up to the budget, in document order.",
        "- lead: first sentence of every document, then the second of every document, ... (headings skipped).",
        "",
        "rouge-score vs ROUGE-1.5.5: tokenises on non-alphanumerics, no stop-word removal, no jackknifing",
        "over references, no `-l`/`-b` length cut (we cut to the budget ourselves) and sentence-level ROUGE-L.",
        "",
        "| dataset | clusters | system | R-1 | R-2 | R-L | ms / cluster |",
        "|---|---|---|---|---|---|---|",
    ]
    for ds, by_system in results.items():
        for system, m in by_system.items():
            lines.append(
                f"| {ds} | {counts[ds]} | {system} | {m['rouge1']:.2f} | {m['rouge2']:.2f} | {m['rougeL']:.2f} | {m['ms_per_cluster']:.1f} |"
            )
    lines += ["", "R-2 difference, storydesk minus peer, per-cluster mean with a 95% paired bootstrap interval:", ""]
    for ds, by_peer in deltas.items():
        for peer, (mean, lo, hi) in by_peer.items():
            lines.append(f"- {ds} vs {peer}: {mean:+.2f} ({lo:+.2f} .. {hi:+.2f})")
    lines += [
        "",
        "Published figures, for orientation only: ROUGE-1.5.5 on other splits (Multi-News *test*) and",
        "with other length settings, so they are lower than ours and not comparable decimal for decimal:",
        "",
    ]
    lines += [f"- {ds}: {PUBLISHED[ds]}" for ds in results]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="clusters per dataset (default: all)")
    parser.add_argument("--datasets", default="multinews,neus,multiling")
    parser.add_argument("--systems", default="storydesk,lexrank,textrank,lead")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a [summarise] setting, e.g. --set weight_position=1.5")
    parser.add_argument("--no-write", action="store_true", help="print only (for tuning runs)")
    parser.add_argument("--clean", action="store_true",
                        help="run storydesk's BoilerplateCleaner first (all systems then read the cleaned text)")
    args = parser.parse_args(argv)

    overrides: dict[str, object] = {}
    for item in args.set:
        key, value = item.split("=", 1)
        overrides[key] = json.loads(value)
    settings = load_settings(overrides={"summarise": overrides} if overrides else None)

    makers: dict[str, Callable[[], Callable[[Cluster], list[str]]]] = {
        "storydesk": lambda: StorydeskSystem(settings),
        "lexrank": lambda: SumySystem("lexrank"),
        "textrank": lambda: SumySystem("textrank"),
        "lead": LeadSystem,
    }
    systems = [makers[s]() for s in args.systems.split(",")]
    # load models before the clock starts (the embedder loads once per process in the product too)
    from storydesk.annotate.embeddings import get_embedder

    get_embedder(settings.link.embedding_model).embed(["warm up"])

    results: dict[str, dict[str, dict[str, float]]] = {}
    counts: dict[str, int] = {}
    deltas: dict[str, dict[str, tuple[float, float, float]]] = {}
    total_start = time.perf_counter()
    for ds in args.datasets.split(","):
        clusters = list(LOADERS[ds](args.limit))
        counts[ds] = len(clusters)
        cleaning = clean_clusters(clusters) if args.clean else 0.0
        start = time.perf_counter()
        raw_scores = evaluate(ds, clusters, systems)
        results[ds] = {k: v.summary() for k, v in raw_scores.items()}
        if "storydesk" in raw_scores:
            for peer in ("lexrank", "textrank"):
                if peer in raw_scores:
                    deltas.setdefault(ds, {})[peer] = paired_delta(
                        raw_scores["storydesk"].rouge2, raw_scores[peer].rouge2
                    )
        print(f"\n{ds}: {len(clusters)} clusters ({time.perf_counter() - start:.0f}s; shared cleaning {cleaning:.0f}s)")
        print(f"  {'system':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'ms/cluster':>11}")
        for name, m in results[ds].items():
            print(f"  {name:<10} {m['rouge1']:6.2f} {m['rouge2']:6.2f} {m['rougeL']:6.2f} {m['ms_per_cluster']:11.1f}")
        for peer, (mean, lo, hi) in deltas.get(ds, {}).items():
            print(f"  R-2 storydesk - {peer}: {mean:+.2f} (95% paired bootstrap {lo:+.2f} .. {hi:+.2f})")
        print(f"  published: {PUBLISHED[ds]}")
    print(f"\ntotal {time.perf_counter() - total_start:.0f}s")
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        payload = {
            "datasets": results,
            "clusters": counts,
            "settings": dataclasses.asdict(settings.summarise),
            "metric": "rouge-score 0.1.2, F1, use_stemmer=True, outputs cut to the word budget",
            "published": PUBLISHED,
            "rouge2_delta_vs_peers": {
                ds: {p: {"mean": m, "ci95": [lo, hi]} for p, (m, lo, hi) in d.items()} for ds, d in deltas.items()
            },
            "input": "storydesk BoilerplateCleaner text, the same for every system" if args.clean else "raw text",
        }
        (RESULTS / "summarize.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "summarize.md").write_text(markdown(results, counts, deltas, not args.clean), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

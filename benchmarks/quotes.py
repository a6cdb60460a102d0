"""Quote and speaker attribution on PolNeAR dev, beside textacy's ``direct_quotations``.

Run: ``.venv/bin/python benchmarks/quotes.py [--limit N] [--half first|second]``. Writes
benchmarks/results/quotes.{json,md} (only for a run over the whole set).

Data: ../shared/datasets/polnear_dev (Newell et al. 2018): news articles with brat attributions
(Source / Cue / Content spans tied by ``E`` lines). When an article has several annotators' files, the
first file in name order is the gold.

Span-matching rule (the same for both systems):
- Gold *direct* quotes are the spans enclosed in double quote marks (“ ”, ", « ») inside a gold Content
  span (a Content made of several fragments, or several quoted pieces, gives one gold item per piece);
  each carries its attribution's Source span(s). All gold Content fragments form the gold for *all
  attributions* (direct and indirect).
- A predicted quote matches a gold item when their character spans, with quote marks, white space and
  edge punctuation trimmed, overlap by at least half of the longer of the two. Matching is one-to-one,
  greedy by overlap.
- The speaker is right when the predicted speaker span (the words next to the cue, e.g. "he", "the
  minister", "Clinton") overlaps a gold Source span, or the resolved speaker name shares a word (3+
  letters, not a stop word) with the gold Source text. Gold items without a Source are left out of the
  speaker scores.
Textacy runs per paragraph (it raises on an odd number of quote marks) on the same spaCy model.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.analyse.canon import EntityCanonicalizer  # noqa: E402
from storydesk.analyse.quotes import QuoteSpan, extract_quotes, may_report_speech  # noqa: E402
from storydesk.annotate.annotator import Annotator  # noqa: E402
from storydesk.records import Article, Story  # noqa: E402
from storydesk.settings import load_settings  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "polnear_dev" / "dev"
RESULTS = ROOT / "benchmarks" / "results"
MARKS = '"“”«»„'
TRIM = " \t\n\r,.;:!?—–-…'‘’" + MARKS
RULE = (
    "gold direct quotes are the spans inside double quote marks within gold Content spans; a prediction "
    "matches when the overlap is at least half of the longer span (quote marks, space and edge punctuation "
    "trimmed), one-to-one; the speaker is right when the predicted speaker span overlaps a gold Source span "
    "or the resolved name shares a word with it; gold quotes without a Source are left out of speaker scores"
)
STOP = {"the", "and", "for", "that", "with", "his", "her", "said", "says", "told", "who", "was", "has"}


@dataclass(slots=True)
class GoldItem:
    start: int
    end: int
    sources: list[tuple[int, int]] = field(default_factory=list)
    source_text: str = ""


@dataclass(slots=True)
class Pred:
    start: int
    end: int
    speaker_start: int
    speaker_end: int
    speaker_name: str


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def parse_ann(path: Path, text: str) -> tuple[list[GoldItem], list[GoldItem]]:
    """(direct quote pieces, all content fragments) of one annotation file."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            frags = [(int(a), int(b)) for a, b in (o.split() for o in offsets.split(";"))]
            spans[parts[0]] = (kind, frags, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    direct: list[GoldItem] = []
    every: list[GoldItem] = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if content is None:
            continue
        source = spans.get(rel.get("Source", ""))
        sources = source[1] if source else []
        source_text = source[2] if source else ""
        for a, b in content[1]:
            s, e = trim(text, a, b)
            if e > s:
                every.append(GoldItem(s, e, sources, source_text))
            for qs, qe in quoted_pieces(text, a, b):
                direct.append(GoldItem(qs, qe, sources, source_text))
    return direct, every


def quoted_pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans between pairs of double quote marks within a fragment (widened by two characters)."""
    lo, hi = max(0, a - 2), min(len(text), b + 2)
    marks = [i for i in range(lo, hi) if text[i] in MARKS]
    out: list[tuple[int, int]] = []
    for k in range(0, len(marks) - 1, 2):
        s, e = trim(text, marks[k] + 1, marks[k + 1])
        if e > s:
            out.append((s, e))
    if len(marks) % 2 == 1 and len(text[marks[-1] + 1 : b].split()) >= 3 and text[marks[-1] + 1 : b].strip():
        s, e = trim(text, marks[-1] + 1, b)  # a quote that runs on past the fragment
        if e > s:
            out.append((s, e))
    return out


def overlap_ok(p: tuple[int, int], g: tuple[int, int]) -> float:
    inter = min(p[1], g[1]) - max(p[0], g[0])
    longer = max(p[1] - p[0], g[1] - g[0])
    return inter / longer if inter > 0 and longer > 0 else 0.0


def match(preds: list[Pred], gold: list[GoldItem]) -> list[tuple[int, int]]:
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(gold):
            ov = overlap_ok((p.start, p.end), (g.start, g.end))
            if ov >= 0.5:
                pairs.append((ov, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def speaker_ok(p: Pred, g: GoldItem) -> bool:
    if any(p.speaker_start < e and s < p.speaker_end for s, e in g.sources):
        return True
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]+", p.speaker_name) if len(w) >= 3}
    gold_words = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]+", g.source_text) if len(w) >= 3}
    return bool((words & gold_words) - STOP)


@dataclass(slots=True)
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    sp_tp: int = 0
    sp_pred: int = 0
    sp_gold: int = 0

    def add(self, preds: list[Pred], gold: list[GoldItem]) -> None:
        pairs = match(preds, gold)
        self.tp += len(pairs)
        self.pred += len(preds)
        self.gold += len(gold)
        matched_to_sourceless = sum(1 for _, j in pairs if not gold[j].sources)
        self.sp_pred += len(preds) - matched_to_sourceless
        self.sp_gold += sum(1 for g in gold if g.sources)
        self.sp_tp += sum(1 for i, j in pairs if gold[j].sources and speaker_ok(preds[i], gold[j]))

    @staticmethod
    def prf(tp: int, pred: int, gold: int) -> dict[str, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "tp": tp,
            "pred": pred,
            "gold": gold,
        }

    def report(self) -> dict[str, dict[str, float]]:
        return {
            "content": self.prf(self.tp, self.pred, self.gold),
            "with_speaker": self.prf(self.sp_tp, self.sp_pred, self.sp_gold),
        }


def to_preds(quotes: list[QuoteSpan], text: str) -> list[Pred]:
    out = []
    for q in quotes:
        s, e = trim(text, q.start, q.end)
        if e > s:
            out.append(Pred(s, e, q.speaker_start, q.speaker_end, q.speaker))
    return out


def textacy_preds(article: Article, nlp: object) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    out: list[Pred] = []
    for p in article.paragraphs:
        doc = nlp(article.text[p.start : p.start + len(p.text)])  # type: ignore[operator]
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # an odd number of quote marks in the paragraph
            continue
        for t in triples:
            s, e = trim(article.text, p.start + t.content.start_char, p.start + t.content.end_char)
            if not t.speaker:
                ss = se = -1
                name = ""
            else:
                ss = p.start + min(tok.idx for tok in t.speaker)
                se = p.start + max(tok.idx + len(tok.text) for tok in t.speaker)
                name = " ".join(tok.text for tok in t.speaker)
            if e > s:
                out.append(Pred(s, e, ss, se, name))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument(
        "--half",
        choices=("first", "second"),
        help="only the first or second half of the articles in file-name order (rules are tuned on the first)",
    )
    args = parser.parse_args()
    settings = load_settings()
    texts = sorted((DATA / "text").glob("*.txt"))
    if args.half:
        texts = texts[: len(texts) // 2] if args.half == "first" else texts[len(texts) // 2 :]
    if args.limit:
        texts = texts[: args.limit]
    # As in the pipeline: the annotate stage keeps the parse of the cue sentences for the quote step.
    annotator = Annotator(settings.annotate, keep_parse=may_report_speech)
    canon = EntityCanonicalizer(settings.analyse)
    import spacy

    from storydesk.annotate.entities import model_for

    # textacy gets the full pipeline of the same model (it reads the parse and the lemmas).
    nlp = spacy.load(model_for("en", settings.annotate.spacy_models) or "en_core_web_sm")
    ours_direct, ours_all, ours_indirect = Counts(), Counts(), Counts()
    # The rules are tuned on the first half of the articles (file-name order): both halves are reported.
    halves = {"first": (Counts(), Counts()), "second": (Counts(), Counts())}  # (direct, all) per half
    half_of = {p.stem: ("first" if i < len(texts) // 2 else "second") for i, p in enumerate(texts)}
    base_direct = Counts()
    t_ours = t_base = t_annotate = 0.0
    docs = 0
    for path in texts:
        anns = sorted((DATA / "attributions").glob(path.stem + "_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        gold_direct, gold_all = parse_ann(anns[0], text)
        article = Article(id=path.stem, location=str(path), raw=text, text=text)
        t0 = time.perf_counter()
        annotator.process(article)
        t1 = time.perf_counter()
        canon.analyse(Story(id=article.id, articles=[article.id]), {article.id: article})
        quotes = [
            q for q in extract_quotes(article, min_words=settings.analyse.quote_min_words) if q.resolved
        ]
        t2 = time.perf_counter()
        base = textacy_preds(article, nlp)
        t3 = time.perf_counter()
        t_annotate += t1 - t0
        t_ours += t2 - t1
        t_base += t3 - t2
        docs += 1
        direct = to_preds([q for q in quotes if q.direct], text)
        ours_direct.add(direct, gold_direct)
        ours_all.add(to_preds(quotes, text), gold_all)
        ours_indirect.add(to_preds([q for q in quotes if not q.direct], text), gold_all)
        halves[half_of[path.stem]][0].add(direct, gold_direct)
        halves[half_of[path.stem]][1].add(to_preds(quotes, text), gold_all)
        base_direct.add(base, gold_direct)
    result = {
        "dataset": "PolNeAR dev",
        "articles": docs,
        "rule": RULE,
        "storydesk": {
            "direct": ours_direct.report(),
            "all_attributions": ours_all.report(),
            "by_half": {
                h: {"direct": d.report(), "all_attributions": a.report()} for h, (d, a) in halves.items()
            },
            "seconds": round(t_ours, 2),
        },
        "textacy_direct_quotations": {"direct": base_direct.report(), "seconds_incl_parse": round(t_base, 2)},
        "annotate_seconds": round(t_annotate, 2),
        "target": "direct quotes with the right speaker: precision >= 0.85 at recall >= 0.60",
    }
    rows = [
        ("storydesk", "direct, content", ours_direct.report()["content"]),
        ("storydesk", "direct, right speaker", ours_direct.report()["with_speaker"]),
        ("textacy direct_quotations", "direct, content", base_direct.report()["content"]),
        ("textacy direct_quotations", "direct, right speaker", base_direct.report()["with_speaker"]),
        ("storydesk", "all attributions, content", ours_all.report()["content"]),
        ("storydesk", "all attributions, right speaker", ours_all.report()["with_speaker"]),
    ]
    lines = [
        f"# Quotes on PolNeAR dev ({docs} articles{', ' + args.half + ' half' if args.half else ''})",
        "",
        "| system | what | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {s} | {w} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |" for s, w, m in rows]
    if not args.half:
        lines += [
            "",
            "By half (file-name order; the rules are tuned on the first half only):",
            "",
            "| half | what | precision | recall | F1 |",
            "|---|---|---|---|---|",
        ]
        for h, (d, a) in halves.items():
            for what, m in (
                ("direct, content", d.report()["content"]),
                ("direct, right speaker", d.report()["with_speaker"]),
                ("all attributions, content", a.report()["content"]),
                ("all attributions, right speaker", a.report()["with_speaker"]),
            ):
                lines.append(f"| {h} | {what} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    lines += [
        "",
        f"Time: storydesk quotes {t_ours:.1f} s (after annotation, {t_annotate:.1f} s); "
        f"textacy {t_base:.1f} s including its spaCy parse.",
        "",
        "Span-matching rule: " + RULE + ".",
        "",
    ]
    print("\n".join(lines))
    if args.half or args.limit:
        return  # a partial run prints its figures but keeps the recorded results of the whole set
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quotes.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "quotes.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()

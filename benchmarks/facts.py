"""Fact alignment and disagreement detection on ClaimDiff (Ko et al. 2023), beside simple baselines.

ClaimDiff pairs two claims from two outlets' articles on one story. In the "strength" file,
relation 1 means claim B *strengthens* claim A (supports it); in the "weak" file, relation 1 means B
*weakens* A (casts doubt on it, contradicts or qualifies it). We measure, in the same run:

- alignment: how often storydesk's FactAligner puts the two claims in one fact, on strengthening
  pairs (relation 1) and on the others (relation 0), as a detector of "strengthens";
  baseline: TF-IDF cosine >= 0.3 (and the oracle threshold chosen on this very data);
- disagreement: precision / recall of ContradictionFinder flags against "weakens" (relation 1);
  baselines: "numbers differ": both claims contain numbers and the number sets differ (alone, and with
  TF-IDF cosine >= 0.2 as a same-topic gate).

storydesk's stages are built for *value* conflicts between statements of the same fact (counts,
dates, ages, places); ClaimDiff's "weakens" is mostly about stance and framing, so we also report
how many weakening pairs involve a differing number or date at all: the ceiling for a value checker.

Run: .venv/bin/python benchmarks/facts.py [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from storydesk.analyse.contradictions import ContradictionFinder  # noqa: E402
from storydesk.analyse.facts import FactAligner  # noqa: E402
from storydesk.annotate.annotator import Annotator  # noqa: E402
from storydesk.records import Article, Story  # noqa: E402
from storydesk.settings import load_settings  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "claimdiff"
RESULTS = ROOT / "benchmarks" / "results"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(slots=True)
class Pair:
    pair_id: str
    a: str
    b: str
    date: str
    label: int


def load(name: str, limit: int) -> list[Pair]:
    rows = json.loads((DATA / name).read_text(encoding="utf-8"))["data"]
    pairs = [Pair(r["pair_id"], r["claim_a"], r["claim_b"], r.get("date", ""), int(r["relation"])) for r in rows]
    if limit:
        # A deterministic, label-balanced subset while developing.
        pos = [p for p in pairs if p.label == 1][: limit // 2]
        neg = [p for p in pairs if p.label == 0][: limit - len(pos)]
        pairs = pos + neg
    return pairs


def prf(pred: list[bool], gold: list[int]) -> dict[str, float]:
    tp = sum(p and g == 1 for p, g in zip(pred, gold, strict=True))
    fp = sum(p and g == 0 for p, g in zip(pred, gold, strict=True))
    fn = sum((not p) and g == 1 for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pos = [p for p, g in zip(pred, gold, strict=True) if g == 1]
    neg = [p for p, g in zip(pred, gold, strict=True) if g == 0]
    return {
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        "rate_on_relation_1": round(sum(pos) / len(pos), 3) if pos else 0.0,
        "rate_on_relation_0": round(sum(neg) / len(neg), 3) if neg else 0.0,
        "flagged": int(sum(pred)),
    }


class Storydesk:
    """The real stages on one two-article story per pair; claims annotated once each."""

    def __init__(self) -> None:
        self.settings = load_settings()
        self.annotator = Annotator(self.settings.annotate)
        self.cache: dict[tuple[str, str], Article] = {}

    def annotate(self, pairs: list[Pair]) -> float:
        start = time.perf_counter()
        keys: list[tuple[str, str]] = []
        todo: list[Article] = []
        for p in pairs:
            for text in (p.a, p.b):
                key = (text, p.date)
                if key in self.cache or key in keys:
                    continue
                published = dt.datetime.fromisoformat(p.date) if p.date else None
                keys.append(key)
                todo.append(Article(id=f"c{len(keys)}", location="claimdiff", text=text, raw=text, published=published))
        for i in range(0, len(todo), 64):
            done = self.annotator.process_batch(todo[i : i + 64])
            self.cache.update(zip(keys[i : i + 64], done, strict=True))
        return time.perf_counter() - start

    def run(self, p: Pair) -> tuple[bool, bool]:
        """(aligned as one fact, flagged as a contradiction) for one pair."""
        a = self.cache[(p.a, p.date)]
        b = self.cache[(p.b, p.date)]
        if b.id == a.id:  # the same claim text on both sides still comes from two outlets
            b = dataclasses.replace(b, id=b.id + "_b")
        story = Story(id=p.pair_id, articles=[a.id, b.id])
        by_id = {a.id: a, b.id: b}
        FactAligner(self.settings.analyse, self.settings.link).analyse(story, by_id)
        ContradictionFinder(self.settings.analyse).analyse(story, by_id)
        return bool(story.facts), bool(story.contradictions)


def tfidf_cosines(pairs: list[Pair]) -> np.ndarray:
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    vec.fit([p.a for p in pairs] + [p.b for p in pairs])
    va = vec.transform([p.a for p in pairs])
    vb = vec.transform([p.b for p in pairs])
    return np.asarray(va.multiply(vb).sum(axis=1)).ravel()


def numbers_differ(p: Pair, cosine: float, min_cosine: float) -> bool:
    na, nb = set(_NUMBER.findall(p.a)), set(_NUMBER.findall(p.b))
    return bool(na and nb and na != nb and cosine >= min_cosine)


def best_threshold(scores: np.ndarray, gold: list[int]) -> tuple[float, dict[str, float]]:
    best = (0.0, prf([False] * len(gold), gold))
    for t in np.unique(np.round(scores, 3)):
        m = prf([bool(s >= t) for s in scores], gold)
        if m["f1"] > best[1]["f1"]:
            best = (float(t), m)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="pairs per file (0: all)")
    args = parser.parse_args()
    strength = load("ClaimDiff-strength-test.json", args.limit)
    weak = load("ClaimDiff-weak-test.json", args.limit)
    sd = Storydesk()
    annotate_s = sd.annotate(strength + weak)

    out: dict[str, object] = {"dataset": "ClaimDiff test (strength + weak files)", "pairs": {"strength": len(strength), "weak": len(weak)}}
    timings: dict[str, float] = {"annotate_claims": round(annotate_s, 2)}

    # --- alignment on the strength file
    start = time.perf_counter()
    s_results = [sd.run(p) for p in strength]
    timings["storydesk_strength"] = round(time.perf_counter() - start, 2)
    gold_s = [p.label for p in strength]
    start = time.perf_counter()
    cos_s = tfidf_cosines(strength)
    timings["tfidf_strength"] = round(time.perf_counter() - start, 3)
    t_best, m_best = best_threshold(cos_s, gold_s)
    out["alignment"] = {
        "storydesk_fact_aligner": prf([r[0] for r in s_results], gold_s),
        "tfidf_cosine_0.3": prf([bool(c >= 0.3) for c in cos_s], gold_s),
        f"tfidf_oracle_threshold_{t_best:.3f}": m_best,
        "storydesk_contradiction_flags_on_strength_file": prf([r[1] for r in s_results], gold_s),
    }

    # --- disagreement on the weak file
    start = time.perf_counter()
    w_results = [sd.run(p) for p in weak]
    timings["storydesk_weak"] = round(time.perf_counter() - start, 2)
    gold_w = [p.label for p in weak]
    start = time.perf_counter()
    cos_w = tfidf_cosines(weak)
    base_w = [numbers_differ(p, float(c), 0.2) for p, c in zip(weak, cos_w, strict=True)]
    base_any = [numbers_differ(p, float(c), 0.0) for p, c in zip(weak, cos_w, strict=True)]
    timings["baseline_weak"] = round(time.perf_counter() - start, 3)
    with_numbers = [bool(set(_NUMBER.findall(p.a)) and set(_NUMBER.findall(p.b))) for p in weak]
    ceiling = sum(1 for p, n in zip(weak, with_numbers, strict=True) if p.label == 1 and n and
                  set(_NUMBER.findall(p.a)) != set(_NUMBER.findall(p.b)))
    out["disagreement"] = {
        "storydesk_contradiction_finder": prf([r[1] for r in w_results], gold_w),
        "baseline_numbers_differ_tfidf_0.2": prf(base_w, gold_w),
        "baseline_numbers_differ": prf(base_any, gold_w),
        "weakens_pairs": sum(gold_w),
        "weakens_pairs_with_differing_numbers": ceiling,
        "storydesk_aligned_on_weak_file": prf([r[0] for r in w_results], gold_w),
    }
    out["seconds"] = timings
    n_runs = len(strength) + len(weak)
    out["storydesk_ms_per_pair"] = round(1000 * (timings["storydesk_strength"] + timings["storydesk_weak"]) / n_runs, 2)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "facts.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    md = render_markdown(out)
    (RESULTS / "facts.md").write_text(md, encoding="utf-8")
    print(md)


def render_markdown(out: dict[str, object]) -> str:
    align = out["alignment"]
    dis = out["disagreement"]
    assert isinstance(align, dict) and isinstance(dis, dict)
    lines = [
        "# Facts on ClaimDiff",
        "",
        f"Pairs: {out['pairs']}. Times (s): {out['seconds']}; storydesk {out['storydesk_ms_per_pair']} ms per pair "
        "(facts + contradictions, claims annotated once beforehand).",
        "",
        "## Alignment: are the two claims one fact? (strength file; relation 1 = B strengthens A)",
        "",
        "| method | aligned, relation 1 | aligned, relation 0 | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in align.items():
        lines.append(f"| {name} | {m['rate_on_relation_1']} | {m['rate_on_relation_0']} | {m['precision']} | {m['recall']} | {m['f1']} |")
    lines += [
        "",
        "## Disagreement: flagged pairs vs \"weakens\" (weak file; relation 1 = B weakens A)",
        "",
        "| method | flagged | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for name, m in dis.items():
        if isinstance(m, dict):
            lines.append(f"| {name} | {m['flagged']} | {m['precision']} | {m['recall']} | {m['f1']} |")
    lines += [
        "",
        f"Weakening pairs: {dis['weakens_pairs']}; of these, {dis['weakens_pairs_with_differing_numbers']} have "
        "differing numbers in the two claims (the most a value checker could catch).",
        "",
        "What the method can catch: two wordings of the same statement (shared wording plus a shared name, number "
        "or date) and conflicting values inside them (counts, amounts, percentages, ages, years and dates, "
        "durations, places, people). What it cannot: ClaimDiff's 'strengthens' and 'weakens' are mostly "
        "relations between *different* statements (evidence, stance, framing, a quote that undercuts a claim), "
        "which needs entailment / stance models, not alignment of the same statement.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()

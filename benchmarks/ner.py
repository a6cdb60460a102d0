"""Entity F1 on CoNLL-2003 English dev (eng.testa): raw spaCy vs storydesk's annotator, same run.

Systems
- ``spacy``: the configured spaCy model as shipped, one CoNLL sentence at a time (``nlp.pipe``).
- ``storydesk``: :class:`storydesk.annotate.annotator.Annotator` on each CoNLL document (sentences as
  paragraphs), i.e. the same model plus pysbd sentences and the name fixes for translated text.

Label mapping (spaCy → CoNLL): PERSON→PER; ORG→ORG; GPE, LOC, FAC→LOC; NORP, EVENT, WORK_OF_ART, LAW,
LANGUAGE, PRODUCT→MISC; DATE, TIME, CARDINAL, ORDINAL, QUANTITY, MONEY, PERCENT are dropped (CoNLL has no
such classes). Scoring is exact-span, exact-type micro F1 as in conlleval. Note that spaCy's model is
trained on OntoNotes, not CoNLL: its "MISC" differs from CoNLL's, which caps every OntoNotes model here.

Lowercase robustness: the same sentences with person names lowercased ("trump", as machine translation
writes them), PERSON recall for both systems, in two variants: every person mention lowercased, and only
repeat mentions lowercased (the first mention of a name in a document keeps its capitals).

Run: ``.venv/bin/python benchmarks/ner.py [--docs N]``; results go to benchmarks/results/ner.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "conll2003_dev" / "eng.testa"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "src"))

from storydesk.annotate.annotator import Annotator  # noqa: E402
from storydesk.annotate.entities import installed_models, load_model  # noqa: E402
from storydesk.records import Article  # noqa: E402
from storydesk.settings import load_settings  # noqa: E402

LABEL_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}
Entity = tuple[int, int, int, str]  # (sentence, first token, end token, type)


@dataclass(slots=True)
class Doc:
    sentences: list[list[str]] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)


def read_conll(path: Path) -> list[Doc]:
    docs: list[Doc] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens and docs:
            docs[-1].sentences.append(list(tokens))
            docs[-1].tags.append(list(tags))
        tokens.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
            docs.append(Doc())
            continue
        if not line.strip():
            flush()
            continue
        parts = line.split()
        tokens.append(parts[0])
        tags.append(parts[-1])
    flush()
    return [d for d in docs if d.sentences]


def gold_entities(doc: Doc) -> set[Entity]:
    """IOB1: I-X continues an entity of type X; B-X starts a new one next to another X."""
    out: set[Entity] = set()
    for si, tags in enumerate(doc.tags):
        start, kind = -1, ""
        for i, tag in enumerate([*tags, "O"]):
            prefix, _, label = tag.partition("-")
            continues = prefix == "I" and label == kind
            if start >= 0 and not continues:
                out.add((si, start, i, kind))
                start, kind = -1, ""
            if prefix in {"I", "B"} and not continues:
                start, kind = i, label
    return out


@dataclass(slots=True)
class Layout:
    """A document as text: one sentence per paragraph, tokens joined by spaces; char span of each token."""

    text: str
    sentence_starts: list[int]
    token_spans: list[list[tuple[int, int]]]

    @classmethod
    def of(cls, sentences: list[list[str]]) -> Layout:
        parts: list[str] = []
        spans: list[list[tuple[int, int]]] = []
        starts: list[int] = []
        pos = 0
        for tokens in sentences:
            starts.append(pos)
            row = []
            for i, token in enumerate(tokens):
                if i:
                    pos += 1
                row.append((pos, pos + len(token)))
                pos += len(token)
            spans.append(row)
            parts.append(" ".join(tokens))
            pos += 2
        return cls(text="\n\n".join(parts), sentence_starts=starts, token_spans=spans)

    def to_entity(self, start: int, end: int, label: str) -> Entity | None:
        """Map a char span to the gold tokens it overlaps (all in one sentence)."""
        kind = LABEL_MAP.get(label)
        if kind is None:
            return None
        for si, row in enumerate(self.token_spans):
            if not row or start >= row[-1][1] or end <= row[0][0]:
                continue
            covered = [i for i, (a, b) in enumerate(row) if a < end and start < b]
            if covered:
                return (si, covered[0], covered[-1] + 1, kind)
        return None


def lowercase_people(doc: Doc, gold: set[Entity], repeats_only: bool) -> list[list[str]]:
    sentences = [list(s) for s in doc.sentences]
    seen: set[str] = set()
    for si, a, b, kind in sorted(gold):
        if kind != "PER":
            continue
        name = " ".join(doc.sentences[si][a:b])
        first = name not in seen
        seen.add(name)
        if repeats_only and first:
            continue
        for i in range(a, b):
            sentences[si][i] = sentences[si][i].lower()
    return sentences


Predictor = Callable[[list[list[list[str]]]], list[set[Entity]]]


def spacy_predictor(model: str) -> Predictor:
    nlp = load_model(model)

    def predict(docs: list[list[list[str]]]) -> list[set[Entity]]:
        out: list[set[Entity]] = []
        for sentences in docs:
            found: set[Entity] = set()
            texts = [" ".join(tokens) for tokens in sentences]
            for si, parsed in enumerate(nlp.pipe(texts, batch_size=64)):
                layout = Layout.of([sentences[si]])
                for ent in parsed.ents:
                    mapped = layout.to_entity(ent.start_char, ent.end_char, ent.label_)
                    if mapped is not None:
                        found.add((si, mapped[1], mapped[2], mapped[3]))
            out.append(found)
        return out

    return predict


def storydesk_predictor(annotator: Annotator) -> Predictor:
    def predict(docs: list[list[list[str]]]) -> list[set[Entity]]:
        layouts = [Layout.of(s) for s in docs]
        articles = [
            Article(id=str(i), location=f"conll#{i}", text=lay.text, language="en")
            for i, lay in enumerate(layouts)
        ]
        annotated: list[Article] = []
        for i in range(0, len(articles), 16):
            annotated.extend(annotator.process_batch(articles[i : i + 16]))
        out: list[set[Entity]] = []
        for layout, article in zip(layouts, annotated, strict=True):
            found = {layout.to_entity(m.start, m.end, m.label) for m in article.mentions}
            out.append({e for e in found if e is not None})
        return out

    return predict


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Iterable[set[Entity]], pred: Iterable[set[Entity]], kind: str | None = None) -> Score:
    s = Score()
    for g, p in zip(gold, pred, strict=True):
        if kind is not None:
            g = {e for e in g if e[3] == kind}
            p = {e for e in p if e[3] == kind}
        s.tp += len(g & p)
        s.fp += len(p - g)
        s.fn += len(g - p)
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=0, help="first N documents only (0: all)")
    args = parser.parse_args()

    docs = read_conll(DATA)
    if args.docs:
        docs = docs[: args.docs]
    gold = [gold_entities(d) for d in docs]
    words = sum(len(s) for d in docs for s in d.sentences)
    settings = load_settings().annotate
    model = next(iter(installed_models(settings.spacy_models).values()))
    systems: dict[str, Predictor] = {
        "spacy": spacy_predictor(model),
        "storydesk": storydesk_predictor(Annotator(settings)),
    }
    # warm both up (model load, lexicon) outside the timings
    for predict in systems.values():
        predict([docs[0].sentences])

    variants = {
        "cased": [d.sentences for d in docs],
        "people_lowercased": [
            lowercase_people(d, g, repeats_only=False) for d, g in zip(docs, gold, strict=True)
        ],
        "repeats_lowercased": [
            lowercase_people(d, g, repeats_only=True) for d, g in zip(docs, gold, strict=True)
        ],
    }
    results: dict[str, dict[str, object]] = {}
    for name, predict in systems.items():
        row: dict[str, object] = {}
        for variant, inputs in variants.items():
            start = time.perf_counter()
            pred = predict(inputs)
            seconds = time.perf_counter() - start
            if variant == "cased":
                total = score(gold, pred)
                row.update(
                    precision=round(total.precision, 4),
                    recall=round(total.recall, 4),
                    f1=round(total.f1, 4),
                    per_type={k: round(score(gold, pred, k).f1, 4) for k in ("PER", "ORG", "LOC", "MISC")},
                    person_recall_cased=round(score(gold, pred, "PER").recall, 4),
                    seconds=round(seconds, 2),
                    words_per_second=round(words / seconds),
                )
            else:
                row[f"person_recall_{variant}"] = round(score(gold, pred, "PER").recall, 4)
        results[name] = row
        print(name, json.dumps(row), flush=True)

    out = {
        "dataset": "CoNLL-2003 eng.testa",
        "documents": len(docs),
        "words": words,
        "gold_entities": sum(len(g) for g in gold),
        "model": model,
        "label_mapping": LABEL_MAP,
        "systems": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ner.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "ner.md").write_text(markdown(out), encoding="utf-8")
    print(markdown(out))


def markdown(out: dict[str, object]) -> str:
    systems = out["systems"]
    assert isinstance(systems, dict)
    lines = [
        f"# NER on {out['dataset']} ({out['documents']} documents, {out['words']} words, "
        f"{out['gold_entities']} entities; model {out['model']})",
        "",
        "| system | P | R | F1 | PER F1 | ORG F1 | LOC F1 | MISC F1 | words/s | PER recall: cased | "
        "all person names lowercased | repeat mentions lowercased |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in systems.items():
        t = row["per_type"]
        lines.append(
            f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {t['PER']:.3f} | "
            f"{t['ORG']:.3f} | {t['LOC']:.3f} | {t['MISC']:.3f} | {row['words_per_second']} | "
            f"{row['person_recall_cased']:.3f} | {row['person_recall_people_lowercased']:.3f} | "
            f"{row['person_recall_repeats_lowercased']:.3f} |"
        )
    lines += [
        "",
        "Mapping spaCy → CoNLL: PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/WORK_OF_ART/LAW/LANGUAGE/"
        "PRODUCT→MISC; numeric and date labels dropped. Exact-span micro F1 (conlleval rule).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()

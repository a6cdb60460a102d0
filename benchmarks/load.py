"""Load test of ``storydesk serve`` on loopback: many concurrent requests for one story's brief.

The API runs in its own process (uvicorn, 127.0.0.1, an in-memory store); the five seeds are posted
through it, then waves of concurrent GETs ask for the brief as JSON and as HTML. The baseline peer is
Python's own ``http.server`` serving the same bytes as static files on the same machine in the same
run: the floor for "send these bytes over loopback". Bounded: a fixed number of requests, a time limit
per wave, and both servers are stopped at the end.

    .venv/bin/python benchmarks/load.py [--concurrency 200] [--waves 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = ROOT / "benchmarks" / "results"
HOST = "127.0.0.1"  # loopback only

_SERVER = """
import sys
from storydesk.serve.app import serve
from storydesk.settings import load_settings
settings = load_settings(overrides={"serve": {"database": "memory"}})
serve(settings, "127.0.0.1", int(sys.argv[1]))
"""


@dataclass(slots=True)
class WaveResult:
    server: str
    target: str
    requests: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    seconds: float
    requests_per_second: float
    bytes_per_response: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def wave(url: str, concurrency: int, timeout: float) -> tuple[list[float], int, int, float]:
    """``concurrency`` requests started together; returns latencies (ms), errors, size, seconds."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        size = 0

        async def one() -> float | None:
            nonlocal size
            start = time.perf_counter()
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                return None
            if response.status_code != 200:
                return None
            size = len(response.content)
            return (time.perf_counter() - start) * 1000

        start = time.perf_counter()
        tasks = [asyncio.create_task(one()) for _ in range(concurrency)]
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:  # over the wave's time limit: counted as errors, never waited for
            task.cancel()
        seconds = time.perf_counter() - start
    latencies = [r for r in (t.result() for t in done) if r is not None]
    return latencies, concurrency - len(latencies), size, seconds


def measure(server: str, target: str, url: str, concurrency: int, waves: int, timeout: float) -> WaveResult:
    latencies: list[float] = []
    errors = 0
    size = 0
    seconds = 0.0
    for _ in range(waves):
        lat, err, size, sec = asyncio.run(wave(url, concurrency, timeout))
        latencies += lat
        errors += err
        seconds += sec
    n = concurrency * waves
    return WaveResult(
        server=server,
        target=target,
        requests=n,
        errors=errors,
        p50_ms=round(statistics.median(latencies), 1) if latencies else float("nan"),
        p90_ms=round(percentile(latencies, 90), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        max_ms=round(max(latencies), 1) if latencies else float("nan"),
        seconds=round(seconds, 2),
        requests_per_second=round(n / seconds, 1) if seconds else 0.0,
        bytes_per_response=size,
    )


def start(cmd: list[str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=200, help="requests started together per wave")
    parser.add_argument("--waves", type=int, default=3, help="waves per target")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per wave")
    args = parser.parse_args()
    if not SEEDS.is_dir():
        print(f"load: {SEEDS} is missing", file=sys.stderr)
        return 1

    port = free_port()
    base = f"http://{HOST}:{port}"
    api = start([sys.executable, "-c", _SERVER, str(port)], cwd=ROOT)
    static_dir = tempfile.TemporaryDirectory(prefix="storydesk-load-")
    static: subprocess.Popen[bytes] | None = None
    results: list[WaveResult] = []
    try:
        wait_until_up(f"{base}/health")
        articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.iterdir())]
        t0 = time.perf_counter()
        posted = httpx.post(f"{base}/articles", json=articles, timeout=300.0)
        ingest_s = time.perf_counter() - t0
        posted.raise_for_status()
        story = httpx.get(f"{base}/stories", timeout=30.0).json()[0]
        t0 = time.perf_counter()
        brief_json = httpx.get(base + story["brief"], timeout=300.0)
        first_brief_s = time.perf_counter() - t0
        brief_html = httpx.get(base + story["html"], timeout=300.0)
        brief_json.raise_for_status()
        brief_html.raise_for_status()

        # the peer: the same bytes as static files from the standard library's threaded server
        folder = Path(static_dir.name)
        (folder / "brief.json").write_bytes(brief_json.content)
        (folder / "brief.html").write_bytes(brief_html.content)
        static_port = free_port()
        static = start([sys.executable, "-m", "http.server", str(static_port), "--bind", HOST, "--directory", str(folder)])
        static_base = f"http://{HOST}:{static_port}"
        wait_until_up(f"{static_base}/brief.json")

        for target, path, static_path in (
            ("brief JSON", story["brief"], "/brief.json"),
            ("brief HTML", story["html"], "/brief.html"),
        ):
            results.append(measure("storydesk serve", target, base + path, args.concurrency, args.waves, args.timeout))
            results.append(
                measure("http.server (static)", target, static_base + static_path, args.concurrency, args.waves, args.timeout)
            )
    finally:
        stop(api)
        if static is not None:
            stop(static)
        static_dir.cleanup()

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {
        "benchmark": "load",
        "host": HOST,
        "concurrency": args.concurrency,
        "waves": args.waves,
        "cpu_count": os.cpu_count(),
        "ingest_5_seeds_seconds": round(ingest_s, 2),
        "first_brief_seconds": round(first_brief_s, 2),
        "results": [asdict(r) for r in results],
    }
    (RESULTS / "load.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Load test: storydesk serve on loopback",
        "",
        f"{args.waves} waves × {args.concurrency} concurrent GETs per target, 127.0.0.1, {os.cpu_count()} cores "
        f"(shared). Seeds ingested in {ingest_s:.1f} s; first brief built in {first_brief_s:.1f} s, then cached.",
        "Peer: Python's `http.server` serving the same bytes as static files, same run.",
        "",
        "| server | target | requests | errors | p50 ms | p90 ms | p99 ms | max ms | req/s | bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.server} | {r.target} | {r.requests} | {r.errors} | {r.p50_ms} | {r.p90_ms} | {r.p99_ms} | "
            f"{r.max_ms} | {r.requests_per_second} | {r.bytes_per_response:,} |"
        )
    (RESULTS / "load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    # the exit status is about storydesk only; the peer's dropped connections are reported, not fatal
    return 0 if all(r.errors == 0 for r in results if r.server == "storydesk serve") else 1


if __name__ == "__main__":
    sys.exit(main())

"""The command line: a thin layer over the library (``main → parse_args → run_*``).

``print`` happens here and nowhere else in the package.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storydesk import __version__
from storydesk.errors import InputError, SettingsError
from storydesk.records import Brief, StageStats
from storydesk.settings import Settings, dump_settings, load_settings

if TYPE_CHECKING:
    from storydesk.group.stream import IngestReport

FORMATS = ("json", "md", "html")
logger = logging.getLogger("storydesk")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="storydesk",
        description="Turn a pile of news coverage into a verified story brief.",
    )
    parser.add_argument("--version", action="version", version=f"storydesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--settings", metavar="FILE", help="a TOML file overriding the packaged settings")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only errors")
        p.add_argument("-v", "--verbose", action="store_true", help="print per-stage counts and timings")

    brief = sub.add_parser("brief", help="make a brief from files, folders, globs or '-' (JSONL on stdin)")
    brief.add_argument("inputs", nargs="*", metavar="INPUT")
    brief.add_argument("-o", "--outdir", default="out", help="output folder (default: out)")
    brief.add_argument("--format", default="json,md,html", help="comma-separated: json,md,html")
    brief.add_argument("--group", choices=("single", "cluster"), help="one story, or cluster into stories")
    brief.add_argument("--story", metavar="ID", help="brief one story of the store (see 'storydesk stories')")
    brief.add_argument("--db", metavar="PATH", help="the SQLite store (default: settings [store] path)")
    common(brief)

    ingest = sub.add_parser("ingest", help="read inputs into the store and group them into stories")
    ingest.add_argument("inputs", nargs="+", metavar="INPUT")
    ingest.add_argument("--db", metavar="PATH")
    common(ingest)

    stories = sub.add_parser("stories", help="list the stories in the store")
    stories.add_argument("--db", metavar="PATH")
    stories.add_argument("--json", action="store_true", help="print JSON lines")
    common(stories)

    watch = sub.add_parser("watch", help="poll a folder or an RSS/Atom feed and update stories")
    watch.add_argument("target", metavar="DIR|FEED_URL")
    watch.add_argument("--db", metavar="PATH")
    watch.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    common(watch)

    serve = sub.add_parser("serve", help="run the HTTP API (FastAPI) on 127.0.0.1")
    serve.add_argument("--host", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int)
    serve.add_argument("--db", metavar="PATH")
    common(serve)
    return parser.parse_args(argv)


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("storydesk: %(message)s"))
    root = logging.getLogger("storydesk")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, dict[str, Any]] = {}
    if getattr(args, "group", None):
        overrides.setdefault("group", {})["mode"] = args.group
    if getattr(args, "db", None):
        overrides.setdefault("store", {})["path"] = args.db
    if getattr(args, "host", None):
        overrides.setdefault("serve", {})["host"] = args.host
    if getattr(args, "port", None):
        overrides.setdefault("serve", {})["port"] = args.port
    return load_settings(args.settings, overrides)


class _ProgressBar:
    """A tqdm bar on stderr that appears only when a stage takes more than a couple of seconds."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, delay=2.0, leave=False)
            self._bars[stage] = bar
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def format_stats(stats: dict[str, StageStats]) -> str:
    lines = [f"{'stage':<16}{'in':>7}{'out':>7}{'seconds':>10}  dropped"]
    for name, s in stats.items():
        dropped = ", ".join(f"{k}={v}" for k, v in s.dropped.items()) or "-"
        lines.append(f"{name:<16}{s.items_in:>7}{s.items_out:>7}{s.seconds:>10.3f}  {dropped}")
    return "\n".join(lines)


def write_outputs(brief: Brief, outdir: Path, formats: Sequence[str], settings: Settings) -> list[Path]:
    from storydesk.write.brief_json import write_json
    from storydesk.write.markdown import write_markdown

    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "json" in formats:
        written.append(write_json(brief, outdir / "brief.json"))
    if "md" in formats:
        written.append(write_markdown(brief, outdir / "brief.md"))
    if "html" in formats:
        from storydesk.write.html import write_html

        written.append(write_html(brief, outdir / "brief.html"))
    (outdir / "settings.resolved.toml").write_text(dump_settings(settings), encoding="utf-8")
    return written


def _report_inputs(brief: Brief, args: argparse.Namespace) -> None:
    # without --quiet each bad input was already reported as it was read (a warning): once is enough
    if not args.quiet:
        return
    for record in brief.inputs:
        if record.status != "ok":
            print(f"storydesk: {record.status}: {record.reason}", file=sys.stderr)


def run_brief(args: argparse.Namespace, settings: Settings) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise SettingsError(f"unknown --format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if args.story:
        from storydesk.group.stream import brief_for_story
        from storydesk.store.sqlite import Store

        with Store.open(settings.store) as store:
            try:
                brief = brief_for_story(store, args.story, settings)
            except KeyError:
                print(f"storydesk: no story {args.story!r} in {settings.store.path}; "
                      "see 'storydesk stories'", file=sys.stderr)
                return 1
    else:
        if not args.inputs:
            print("storydesk: give at least one INPUT (file, folder, glob or '-')", file=sys.stderr)
            return 2
        from storydesk.pipeline import build_brief

        progress = _ProgressBar(enabled=not args.quiet)
        try:
            brief = build_brief(args.inputs, settings, progress=progress)
        finally:
            progress.close()
    _report_inputs(brief, args)
    if not brief.articles:
        print("storydesk: no input could be read as an article; nothing to brief", file=sys.stderr)
        return 1
    written = write_outputs(brief, Path(args.outdir), formats, settings)
    if args.verbose:
        print(format_stats(brief.stats), file=sys.stderr)
    if not args.quiet:
        ok = sum(1 for r in brief.inputs if r.status == "ok")
        print(f"{ok}/{len(brief.inputs)} inputs read, {len(brief.stories)} stories")
        for story in brief.stories[:5]:
            print(f"\n[{story.id}] {story.headline}")
            for sentence in story.summary:
                print(f"  - {sentence.text} [{', '.join(sentence.citations)}]")
        print()
        for path in written:
            print(f"wrote {path}")
    return 0


def _describe_ingest(report: IngestReport) -> str:
    return (
        f"{report.new} new, {report.duplicates} duplicates, {report.count('skipped')} skipped, "
        f"{report.count('failed')} failed; {len(report.stories_touched)} stories updated "
        f"in {report.seconds:.1f}s"
    )


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from storydesk.group.stream import ingest
    from storydesk.store.sqlite import Store

    with Store.open(settings.store) as store:
        report = ingest(args.inputs, settings, store)
    for entry in report.entries:
        if entry.status in ("skipped", "failed") and args.quiet:  # else already reported as read
            print(f"storydesk: {entry.status}: {entry.reason}", file=sys.stderr)
        elif entry.status == "duplicate" and args.verbose:
            print(f"storydesk: duplicate: {entry.location} is already stored as {entry.duplicate_of}", file=sys.stderr)
    if args.verbose:
        print(format_stats(report.stats), file=sys.stderr)
    if not args.quiet:
        print(_describe_ingest(report))
    return 0 if report.new or report.duplicates else 1


def run_stories(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from storydesk.group.stream import list_stories
    from storydesk.store.sqlite import Store

    with Store.open(settings.store) as store:
        rows = list_stories(store)
    for row in rows:
        first = row.first_date.isoformat() if row.first_date else "undated"
        last = row.last_date.isoformat() if row.last_date else "undated"
        if args.json:
            record = {"id": row.id, "size": row.size, "first_date": first, "last_date": last,
                      "headline": row.headline}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{row.id:<10}{row.size:>5}  {first} .. {last}  {row.headline}")
    return 0


def run_watch(args: argparse.Namespace, settings: Settings) -> int:
    import threading

    from storydesk.group.stream import watch
    from storydesk.store.sqlite import Store

    stop = threading.Event()

    def on_update(report: IngestReport) -> None:
        for entry in report.entries:
            if entry.status in ("skipped", "failed") and args.quiet:  # else already reported as read
                print(f"storydesk: {entry.status}: {entry.reason}", file=sys.stderr)
        if not args.quiet:
            print(_describe_ingest(report), flush=True)

    with Store.open(settings.store) as store:
        try:
            watch(args.target, settings, store, args.interval, stop, on_update)
        except KeyboardInterrupt:
            stop.set()
    if not args.quiet:
        print("storydesk: watch stopped")
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from storydesk.serve.app import serve

    serve(settings, settings.serve.host, settings.serve.port)
    return 0


COMMANDS = {
    "brief": run_brief,
    "ingest": run_ingest,
    "stories": run_stories,
    "watch": run_watch,
    "serve": run_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    _configure_logging(args)
    try:
        settings = _settings(args)
        return COMMANDS[args.command](args, settings)
    except SettingsError as exc:
        print(f"storydesk: settings: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"storydesk: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("storydesk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

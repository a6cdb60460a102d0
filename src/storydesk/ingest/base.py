"""Reading inputs: files, folders, globs, JSONL on stdin, feed URLs and in-memory documents.

:func:`read_inputs` yields one :class:`InputRecord` per input, with the :class:`Article` when the input
could be read. Bad input never crashes the run and never vanishes: a binary, empty, unreadable, wrongly
encoded or oversized file, a bad JSON line or a missing path becomes a ``skipped`` record with a reason
code from :class:`~storydesk.errors.Reason` and a message naming the file (also logged as a warning);
an unexpected error becomes a ``failed`` record. Articles are keyed by the file stem; two inputs with the
same id are both kept, the later one under a disambiguated id, and the record says so.
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import gzip
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from storydesk.errors import InputError, Reason
from storydesk.ingest.feed import fetch, looks_like_feed, read_feed
from storydesk.ingest.html import looks_like_html, parse_html_article
from storydesk.ingest.jsonl import Outcome, article_from_record, read_jsonl
from storydesk.ingest.text import parse_text_article
from storydesk.ingest.warc import read_warc
from storydesk.records import Article, InputRecord
from storydesk.settings import ReadSettings

logger = logging.getLogger(__name__)

InlineFormat = Literal["text", "html", "auto"]


@dataclass(frozen=True, slots=True)
class InlineInput:
    """A document passed in memory (the HTTP API): its content plus whatever metadata the caller knows."""

    id: str
    content: str
    format: InlineFormat = "auto"
    title: str = ""
    url: str = ""
    outlet: str = ""
    published: dt.datetime | str | None = None


InputSource = str | InlineInput

_GLOB_CHARS = re.compile(r"[*?\[]")
_TEXT_EXT = {".txt", ".text", ".md"}
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
_FEED_EXT = {".xml", ".rss", ".atom"}
_JSONL_EXT = {".jsonl", ".ndjson"}
# Magic numbers of the binary files people most often drop in a folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 file"),
    (b"RIFF", "a media file"),
    (b"SQLite format 3", "an SQLite database"),
)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


# --------------------------------------------------------------------------------------------
# bytes → text
# --------------------------------------------------------------------------------------------


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file ``data`` is ("a PDF document", "binary data"), or None for text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data (it contains NUL bytes)"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        return "binary data (it is mostly control bytes)"
    return None


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Text from bytes: a declared charset, UTF-8 (with or without BOM), UTF-16 with a BOM, then cp1252.

    cp1252 is the last resort and only when it decodes cleanly: it maps almost every byte, so a file
    in another legacy encoding would otherwise turn into silent mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = [declared] if declared else []
        candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding == "cp1252" and re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text):
            continue
        return text
    raise InputError(
        Reason.ENCODING,
        f"{name}: the text is neither UTF-8, UTF-16 with a byte-order mark nor clean cp1252; "
        "convert it to UTF-8",
    )


def _declared_charset(data: bytes) -> str | None:
    m = _XML_ENCODING_RE.search(data[:200]) or _CHARSET_RE.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# --------------------------------------------------------------------------------------------
# one file
# --------------------------------------------------------------------------------------------


def _suffixes(path: Path) -> tuple[str, str]:
    """(format suffix, compression suffix): ``a.jsonl.gz`` → (".jsonl", ".gz")."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[0] if len(suffixes) == 2 else "", ".gz")
    return (suffixes[-1] if suffixes else "", "")


def _stem(path: Path) -> str:
    name = path.name
    for _ in range(2):  # a.warc.gz → a
        stem, ext = os.path.splitext(name)
        if not ext or not stem:
            break
        name = stem
        if ext.lower() != ".gz":
            break
    return name


def _gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise InputError(Reason.UNREADABLE, f"{name}: not a readable gzip file ({exc})") from exc
    if len(out) > max_bytes:
        raise InputError(Reason.TOO_LARGE, f"{name}: unpacks to more than the limit of {max_bytes:,} bytes")
    return out


def _read_json_document(data: bytes, name: str, stem: str, max_bytes: int) -> Iterator[Outcome]:
    text = decode(data, name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        # Often a JSONL file with a .json name: read it line by line.
        yield from read_jsonl(data.splitlines(), name, stem, max_bytes)
        return
    items = doc if isinstance(doc, list) else [doc]
    single = not isinstance(doc, list)
    for number, obj in enumerate(items, start=1):
        location = name if single else f"{name}:{number}"
        article_id = stem if single else f"{stem}:{number}"
        if isinstance(obj, dict) and obj.get("id") not in (None, ""):
            article_id = str(obj["id"])
        try:
            yield article_id, location, article_from_record(obj, article_id, location)
        except InputError as exc:
            yield article_id, location, exc


def _read_bytes(data: bytes, name: str, stem: str, ext: str, max_bytes: int) -> Iterator[Outcome]:
    """Dispatch a file's content by its extension, or by sniffing when the extension says nothing."""
    if not data.strip():
        raise InputError(Reason.EMPTY, f"{name}: the file holds only whitespace")
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(Reason.BINARY, f"{name}: this is {kind}, not text")
    head = data[:4096].lstrip().lower()
    if ext in _JSONL_EXT:
        yield from read_jsonl(data.splitlines(), name, stem, max_bytes)
    elif ext == ".json":
        yield from _read_json_document(data, name, stem, max_bytes)
    elif ext in _FEED_EXT or (ext not in _TEXT_EXT | _HTML_EXT and looks_like_feed(data)):
        if looks_like_feed(data):
            yield from read_feed(data, name, stem)
        else:
            html = decode(data, name, _declared_charset(data))
            if not looks_like_html(html):
                raise InputError(Reason.UNSUPPORTED, f"{name}: XML that is neither an RSS/Atom feed nor HTML")
            yield stem, name, parse_html_article(stem, name, html)
    elif ext in _HTML_EXT:
        yield stem, name, parse_html_article(stem, name, decode(data, name, _declared_charset(data)))
    elif ext not in _TEXT_EXT and head.startswith(b"{") and ext == "":
        yield from read_jsonl(data.splitlines(), name, stem, max_bytes)
    else:
        text = decode(data, name, _declared_charset(data) if b"<" in head[:1] else None)
        # A .txt that is really a saved web page (starts with a doctype or <html>) is read as HTML.
        if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")) or (
            ext not in _TEXT_EXT and looks_like_html(text)
        ):
            yield stem, name, parse_html_article(stem, name, text)
        else:
            yield stem, name, parse_text_article(stem, name, text)


def _read_path(path: Path, settings: ReadSettings) -> Iterator[Outcome]:
    name = str(path)
    stem = _stem(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(Reason.NOT_FOUND, f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(Reason.UNREADABLE, f"{name}: cannot read ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise InputError(Reason.UNREADABLE, f"{name}: not a regular file")
    if info.st_size == 0:
        raise InputError(Reason.EMPTY, f"{name}: the file is empty (0 bytes)")
    if not os.access(path, os.R_OK):
        raise InputError(Reason.UNREADABLE, f"{name}: permission denied")
    ext, compression = _suffixes(path)
    lower = path.name.lower()
    # Containers are streamed and the size limit applies per article inside them.
    if lower.endswith((".warc", ".warc.gz", ".arc.gz")):
        yield from read_warc(path, stem, settings.max_bytes)
        return
    if ext in _JSONL_EXT:
        try:
            opener = gzip.open if compression else open
            with opener(path, "rb") as stream:
                yield from read_jsonl(stream, name, stem, settings.max_bytes)
        except (OSError, EOFError) as exc:
            raise InputError(Reason.UNREADABLE, f"{name}: cannot read ({exc})") from exc
        return
    if info.st_size > settings.max_bytes:
        raise InputError(
            Reason.TOO_LARGE,
            f"{name}: {info.st_size:,} bytes is over the limit of {settings.max_bytes:,} "
            "(raise [read] max_bytes to read it)",
        )
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError(Reason.UNREADABLE, f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(Reason.UNREADABLE, f"{name}: cannot read ({exc.strerror or exc})") from exc
    if compression:
        data = _gunzip(data, name, settings.max_bytes)
    elif data.startswith(b"WARC/"):
        yield from read_warc(path, stem, settings.max_bytes)
        return
    yield from _read_bytes(data, name, stem, ext, settings.max_bytes)


# --------------------------------------------------------------------------------------------
# sources: folders, globs, stdin, URLs, inline documents
# --------------------------------------------------------------------------------------------


def _walk(folder: Path, settings: ReadSettings) -> Iterator[tuple[Path, InputError | None]]:
    """Files under ``folder``: recursive, sorted, hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder, followlinks=settings.follow_symlinks):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith("."):
                continue
            path = Path(root) / file
            if path.is_symlink() and not settings.follow_symlinks:
                yield (
                    path,
                    InputError(
                        Reason.UNSUPPORTED,
                        f"{path}: symbolic link not followed (set [read] follow_symlinks = true to read it)",
                    ),
                )
                continue
            suffix = "".join(s.lower() for s in path.suffixes[-2:])
            known = settings.extensions
            if path.suffix and not any(suffix.endswith(ext) for ext in known):
                yield (
                    path,
                    InputError(
                        Reason.UNSUPPORTED,
                        f"{path}: extension {path.suffix} is not read (known: {', '.join(known)})",
                    ),
                )
                continue
            yield path, None


def _url_stem(url: str) -> str:
    parts = urlsplit(url)
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    return os.path.splitext(segment)[0] or (parts.hostname or "url")


def _read_url(url: str, settings: ReadSettings) -> Iterator[Outcome]:
    stem = _url_stem(url)
    data, content_type = fetch(url, settings.max_bytes)
    if looks_like_feed(data) or any(t in content_type for t in ("rss", "atom")):
        yield from read_feed(data, url, stem)
        return
    text = decode(data, url, _declared_charset(data))
    if not looks_like_html(text):
        raise InputError(Reason.UNSUPPORTED, f"{url}: neither an RSS/Atom feed nor an HTML page")
    yield stem, url, parse_html_article(stem, url, text, url)


def _read_inline(doc: InlineInput, settings: ReadSettings) -> Iterator[Outcome]:
    location = f"inline:{doc.id}"
    size = len(doc.content.encode("utf-8", "replace"))
    if size > settings.max_bytes:
        raise InputError(
            Reason.TOO_LARGE, f"{location}: {size:,} bytes is over the limit of {settings.max_bytes:,}"
        )
    if not doc.content.strip():
        raise InputError(Reason.EMPTY, f"{location}: the document is empty")
    is_html = doc.format == "html" or (doc.format == "auto" and looks_like_html(doc.content))
    fields: dict[str, object] = {
        ("html" if is_html else "text"): doc.content,
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.outlet,
    }
    if isinstance(doc.published, str):
        fields["published"] = doc.published
    article = article_from_record(fields, doc.id, location)
    if isinstance(doc.published, dt.datetime):
        article.published = doc.published.replace(tzinfo=None)
    yield doc.id, location, article


def _expand(source: InputSource, settings: ReadSettings) -> Iterator[Outcome]:
    if isinstance(source, InlineInput):
        yield from _guard(_read_inline(source, settings), source.id, f"inline:{source.id}")
        return
    source = str(source)
    if source == "-":
        yield from _guard(
            read_jsonl(_stdin_lines(), "<stdin>", "stdin", settings.max_bytes), "stdin", "<stdin>"
        )
        return
    if source.startswith(("http://", "https://")):
        yield from _guard(_read_url(source, settings), _url_stem(source), source)
        return
    path = Path(source)
    if path.is_dir():
        paths: list[tuple[Path, InputError | None]] = list(_walk(path, settings))
        if not paths:
            yield (
                path.name or source,
                source,
                InputError(Reason.EMPTY, f"{source}: the folder holds no files"),
            )
    elif path.exists() or path.is_symlink():
        paths = [(path, None)]
    elif _GLOB_CHARS.search(source):
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            yield source, source, InputError(Reason.NOT_FOUND, f"{source}: the pattern matches no files")
            return
        paths = []
        for match in matches:
            m = Path(match)
            if m.is_dir():
                paths.extend(_walk(m, settings))
            elif not any(part.startswith(".") for part in m.parts if part not in (".", "..")):
                paths.append((m, None))
    else:
        yield _stem(path), source, InputError(Reason.NOT_FOUND, f"{source}: no such file or folder")
        return
    for item, problem in paths:
        if problem is not None:
            yield _stem(item), str(item), problem
        else:
            yield from _guard(_read_path(item, settings), _stem(item), str(item))


def _stdin_lines() -> Iterator[bytes]:
    """Lines of standard input as bytes (a replaced ``sys.stdin`` may be a text stream without a buffer)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        yield from buffer
    else:
        for line in sys.stdin:
            yield line.encode("utf-8")


def _guard(outcomes: Iterator[Outcome], stem: str, name: str) -> Iterator[Outcome]:
    """Turn an exception while reading one source into an outcome, so the other sources are read.

    A source that yields nothing at all (a JSONL file or stdin of blank lines, a JSON "[]") is reported
    too: no input may vanish from the run's ``inputs``.
    """
    produced = False
    try:
        for outcome in outcomes:
            produced = True
            yield outcome
        if not produced:
            yield stem, name, InputError(Reason.EMPTY, f"{name}: holds no article records")
    except InputError as exc:
        yield stem, name, exc
    except Exception as exc:  # a bug or an unforeseen library error: record it as "failed"
        logger.debug("unexpected error reading %s", name, exc_info=True)
        yield stem, name, InputError(Reason.INTERNAL, f"{name}: unexpected {type(exc).__name__}: {exc}")


class _Ids:
    """Hands out unique ids: a second input with the same id gets ``id~2`` (then ``~3`` ...)."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def claim(self, wanted: str, location: str) -> tuple[str, str | None]:
        if wanted not in self.first:
            self.first[wanted] = location
            return wanted, None
        n = 2
        while f"{wanted}~{n}" in self.first:
            n += 1
        new = f"{wanted}~{n}"
        self.first[new] = location
        return new, self.first[wanted]


def read_inputs(
    sources: Iterable[InputSource], settings: ReadSettings
) -> Iterator[tuple[InputRecord, Article | None]]:
    """One record per input, with its Article when the input could be read (see the module docstring)."""
    ids = _Ids()
    seen_locations: dict[str, str] = {}  # the same file named twice (a folder and a glob) is read once
    for source in sources:
        for wanted, location, outcome in _expand(source, settings):
            if not isinstance(outcome, InputError) and not location.startswith("inline:"):
                key = os.path.realpath(location) if os.path.exists(location) else location
                if key in seen_locations:
                    outcome = InputError(
                        Reason.DUPLICATE_ID, f"{location}: already read as {seen_locations[key]!r}"
                    )
                else:
                    seen_locations[key] = outcome.id
            record_id, clash = ids.claim(wanted, location)
            if isinstance(outcome, InputError):
                status: Literal["skipped", "failed"] = (
                    "failed" if outcome.reason is Reason.INTERNAL else "skipped"
                )
                logger.warning("%s: %s: %s", location, status, _after_name(outcome.message, location))
                yield (
                    InputRecord(
                        id=record_id,
                        location=location,
                        status=status,
                        reason=outcome.message,
                        code=outcome.reason.value,
                    ),
                    None,
                )
                continue
            article = outcome
            record = InputRecord(id=record_id, location=location)
            if clash is not None:
                article.id = record_id
                record.code = Reason.DUPLICATE_ID.value
                record.reason = f"{location}: id {wanted!r} is already used by {clash}; read as {record_id!r}"
                logger.warning("%s", record.reason)
            yield record, article


def _after_name(message: str, location: str) -> str:
    prefix = f"{location}: "
    return message[len(prefix) :] if message.startswith(prefix) else message

"""HTML reader (trafilatura): metadata at read time, main text with its structure at clean time.

trafilatura's XML output keeps the page structure we need for cleaning: ``<head>`` for headings,
``<p>`` for paragraphs, ``<item>`` for list items and ``<quote>`` for block quotes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Literal

from storydesk.clean.metadata import clean_title, date_from_url, parse_published, registered_domain
from storydesk.errors import InputError, Reason
from storydesk.records import Article

logger = logging.getLogger(__name__)

BlockKind = Literal["p", "head", "item", "quote", "cell"]

_TAG_RE = re.compile(r"<\s*(html|body|head|p|div|article|br|h[1-6]|span|a|title|meta|table)\b", re.I)


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """One block of a page's main text."""

    kind: BlockKind
    text: str
    links: float = 0.0  # share of the characters inside links: a list of links is a teaser list


def looks_like_html(text: str) -> bool:
    """True when ``text`` is markup rather than prose that happens to contain a ``<``."""
    start = text.lstrip()[:500].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml version")) and "<html" in text[:5000].lower():
        return True
    return len(_TAG_RE.findall(text[:20000])) >= 3


def parse_html_article(article_id: str, location: str, html: str, url: str = "") -> Article:
    """An Article from an HTML page: raw HTML kept; title, date, url and outlet from trafilatura."""
    import trafilatura

    if not html.strip():
        raise InputError(Reason.EMPTY, f"{location}: the page is empty")
    try:
        meta = trafilatura.extract_metadata(html, default_url=url or None)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(Reason.NO_TEXT, f"{location}: the HTML cannot be parsed ({exc})") from exc
    title = clean_title(meta.title or "") if meta else ""
    page_url = (meta.url if meta and meta.url else "") or url
    outlet = (meta.sitename if meta and meta.sitename else "") or registered_domain(page_url)
    if re.fullmatch(r"[\w-]+(\.[\w-]+)+", outlet):
        outlet = registered_domain(outlet)  # trafilatura falls back to the host name: keep the domain
    published = parse_published(meta.date) if meta and meta.date else None
    # trafilatura keeps only the day; the page's own timestamp also has the time (which orders a
    # preview and a report written on one day). Take it when it agrees with trafilatura's day.
    stamped = published_timestamp(html)
    if stamped is not None and (published is None or stamped.date() == published.date()):
        published = stamped
    if published is None and page_url:
        published = date_from_url(page_url)
    return Article(
        id=article_id,
        location=location,
        source_format="html",
        raw=html,
        title=title,
        outlet=outlet,
        url=page_url,
        published=published,
    )


_PUBLISHED_META = re.compile(
    r"""<meta\b(?=[^>]*\b(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publish[-_]?date|dc\.date\.issued)["'])[^>]*\bcontent\s*=\s*["']([^"']{8,40})["']""",
    re.IGNORECASE,
)
_PUBLISHED_JSONLD = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def published_timestamp(html: str) -> dt.datetime | None:
    """The publish time a page states in its metadata (Open Graph / schema.org), with its clock time."""
    head = html[:200_000]  # metadata sits in the head; never scan a huge body
    for pattern in (_PUBLISHED_META, _PUBLISHED_JSONLD):
        m = pattern.search(head)
        if m:
            try:
                found = parse_published(m.group(1))
            except (ValueError, OverflowError):
                found = None
            if found is not None:
                return found
    return None


def extract_main_text(html: str) -> list[HtmlBlock]:
    """The page's main text as blocks (headings, paragraphs, list items), boilerplate left to trafilatura."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        include_links=True,
        include_images=False,
        with_metadata=False,
        deduplicate=False,
    )
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        main = root
    blocks: list[HtmlBlock] = []
    kinds: tuple[BlockKind, ...] = ("head", "p", "item", "quote", "cell")
    for el in main.iter(*kinds):
        # A container (a <quote> or <item> holding <p>s) is read through its inner blocks.
        if any(inner is not el for inner in el.iter(*kinds)):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            kind = next(k for k in kinds if k == el.tag)
            linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in el.iter("ref"))
            blocks.append(HtmlBlock(kind=kind, text=text, links=min(1.0, linked / len(text))))
    return blocks


_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "nav", "footer", "header", "section", "article",
    "aside", "br", "tr", "td", "th", "figure", "figcaption", "ul", "ol", "blockquote", "form", "table",
)  # fmt: skip


def page_chrome(html: str, blocks: list[HtmlBlock]) -> str:
    """The page's visible text that is not in the main-text blocks (navigation, widgets, footers).

    trafilatura drops this before our own cleaning sees the page; it is returned so that the removed
    characters of an HTML article are counted like those of a plain-text one.
    """
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    # Block elements end a line, so that text_content() keeps the page's blocks apart.
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    kept = {" ".join(b.text.split()) for b in blocks}
    kept_blob = "\n".join(kept)
    lines: list[str] = []
    for raw in root.text_content().splitlines():
        line = " ".join(raw.split())
        if line and line not in kept and line not in kept_blob:
            lines.append(line)
    return "\n".join(lines)

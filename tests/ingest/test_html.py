"""HTML reader: trafilatura metadata at read time, structured main text for the cleaner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storydesk.ingest.html import extract_main_text, looks_like_html, parse_html_article

PAGE = Path(__file__).resolve().parents[1] / "clean" / "data" / "page_linklist.html"


def test_html_metadata_title_date_url_outlet() -> None:
    article = parse_html_article("p", "p.html", PAGE.read_text())
    assert article.source_format == "html"
    assert article.title == "Harbour bridge in Portleven reopens after storm repairs"
    assert article.outlet == "The Coastal Herald"
    assert article.url == "https://www.coastalherald.co.uk/news/2021/03/04/bridge-reopens"
    assert article.published is not None and article.published.date() == dt.date(2021, 3, 4)


def test_html_main_text_keeps_paragraph_structure() -> None:
    blocks = extract_main_text(PAGE.read_text())
    kinds = [b.kind for b in blocks]
    texts = [b.text for b in blocks]
    assert ("head", "Repairs cost more than planned") in zip(kinds, texts, strict=True)
    paragraphs = [b for b in blocks if b.kind == "p"]
    assert any(b.text.startswith("The council said the repairs cost") for b in paragraphs)
    assert not any("Privacy policy" in t or t == "Home" for t in texts)


def test_html_outlet_falls_back_to_domain_and_url_date() -> None:
    html = (
        "<html><body><article><p>"
        + "The pier opened on Saturday after two years of work. " * 3
        + "</p></article></body></html>"
    )
    article = parse_html_article("x", "x.html", html, url="https://news.kestral-gazette.com/2022/05/14/pier")
    assert article.outlet == "kestral-gazette.com"
    assert article.published == dt.datetime(2022, 5, 14)


def test_html_sniffing() -> None:
    assert looks_like_html(PAGE.read_text())
    assert not looks_like_html("Prices rose 3% (<5% expected) on Monday.")


def test_html_published_keeps_the_clock_time_of_the_page_metadata() -> None:
    page = (
        '<html><head><title>Ferry strike ends | Coast News</title>'
        '<meta property="article:published_time" content="2026-03-10T18:40:00+00:00">'
        "</head><body><article><h1>Ferry strike ends</h1><p>The ferry strike ended on Tuesday after "
        "the union and the operator agreed a new pay deal for the summer season.</p></article></body></html>"
    )
    article = parse_html_article("a", "a.html", page)
    assert article.published == dt.datetime(2026, 3, 10, 18, 40)
    jsonld = page.replace(
        '<meta property="article:published_time" content="2026-03-10T18:40:00+00:00">',
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2026-03-10T07:05:00"}</script>',
    )
    assert parse_html_article("b", "b.html", jsonld).published == dt.datetime(2026, 3, 10, 7, 5)

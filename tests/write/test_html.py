"""The HTML brief: rendered from hand-built records (fast) and from the seeds in headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from storydesk.records import (
    Article,
    Brief,
    Claim,
    Contradiction,
    Entity,
    Fact,
    FactMention,
    InputRecord,
    Paragraph,
    Passage,
    ProvenanceLink,
    Quote,
    QuoteVariant,
    Sentence,
    StageStats,
    Story,
    SummarySentence,
    TimelineEntry,
)
from storydesk.write.html import build_page, render_html, write_html

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _article(aid: str, outlet: str, title: str, paragraphs: list[list[str]], day: int, url: str = "") -> Article:
    """An annotated-looking Article: sentences with offsets into its text, grouped into paragraphs."""
    text_parts: list[str] = []
    sentences: list[Sentence] = []
    paras: list[Paragraph] = []
    offset = 0
    for pi, para in enumerate(paragraphs):
        start = offset
        for si, sent in enumerate(para):
            if si:
                text_parts.append(" ")
                offset += 1
            sentences.append(
                Sentence(index=len(sentences), text=sent, start=offset, end=offset + len(sent), paragraph=pi)
            )
            text_parts.append(sent)
            offset += len(sent)
        paras.append(Paragraph(index=pi, text="".join(text_parts)[start:], start=start))
        text_parts.append("\n\n")
        offset += 2
    text = "".join(text_parts).rstrip()
    return Article(
        id=aid,
        location=f"coverage/{aid}.txt",
        raw=text,
        title=title,
        outlet=outlet,
        url=url,
        published=dt.datetime(2021, 3, day, 9, 30),
        text=text,
        paragraphs=paras,
        sentences=sentences,
        language="en",
        boilerplate_chars=120 if aid == "wire" else 0,
    )


def sample_brief() -> Brief:
    """A hand-built brief with every section filled: a wire story, its translation, a reprint that adds
    a sentence, and an independent report that disagrees on a number. Strings carry markup to check
    escaping."""
    wire = _article(
        "wire",
        "Harbour Wire",
        "Harbour closes after <storm> damage",
        [
            ["The port of Kessel closed on Monday after a storm damaged two cranes.", "Officials said 40 ships are waiting."],
            ["“We will reopen within a week,” said harbour master Ana Ruiz.", "The port last closed in 2015."],
        ],
        8,
        url="https://example.org/wire/harbour",
    )
    translated = _article(
        "wire-de",
        "Kessel Zeitung",
        "Hafen nach Sturm geschlossen",
        [
            ["The port of Kessel closed Monday after a storm damaged two cranes.", "Officials said 40 ships wait."],
            ["“We reopen inside a week,” harbour master Ana Ruiz said.", "The port last closed in 2015."],
        ],
        9,
        url="javascript:alert(1)",
    )
    reprint = _article(
        "reprint",
        "Coast Daily",
        "Kessel port shut",
        [["The port of Kessel closed on Monday after a storm damaged two cranes.", "Officials said 40 ships are waiting."], ["Fishermen <b>protested</b> & blocked a road."]],
        9,
    )
    local = _article(
        "local",
        "Kessel Courier",
        "Cranes down, 55 ships stuck",
        [["A storm on Sunday night toppled two cranes in Kessel.", "Some 55 ships are stuck outside the port."], ["Ruiz, the harbour master, said repairs would take a week.", "The port last closed in 2016."]],
        8,
    )
    story = Story(
        id="s1",
        articles=["wire", "wire-de", "reprint", "local"],
        headline="Storm shuts Kessel harbour; ships queue outside",
        event_date=dt.date(2021, 3, 8),
        places=["Kessel"],
        source_groups=[["wire", "wire-de", "reprint"], ["local"]],
        provenance=[
            ProvenanceLink(
                article="wire-de",
                derived_from="wire",
                relation="translation",
                score=0.91,
                evidence=[Passage(article="wire", text="The port of Kessel closed", derived_text="The port of Kessel closed", score=0.9)],
            ),
            ProvenanceLink(article="reprint", derived_from="wire", relation="contains", score=0.97),
        ],
        summary=[
            SummarySentence(
                text="The port of Kessel closed on Monday after a storm damaged two cranes.",
                citations=["wire", "wire-de", "reprint", "local"],
            ),
            SummarySentence(text="Officials said 40 ships are waiting; a local paper counts 55.", citations=["wire", "local"]),
            SummarySentence(text="Fishermen <b>protested</b> & blocked a road.", citations=["reprint"]),
        ],
        entities=[
            Entity(id="e1", name="Ana Ruiz", type="PERSON", aliases=["Ruiz", "ana ruiz"], articles=["wire", "wire-de", "local"], mentions=3),
            Entity(id="e2", name="Kessel", type="GPE", aliases=["port of Kessel"], articles=["wire", "wire-de", "reprint", "local"], mentions=5),
        ],
        quotes=[
            Quote(
                speaker="Ana Ruiz",
                speaker_entity="e1",
                text="We will reopen within a week",
                articles=["wire", "wire-de"],
                variants=[QuoteVariant(article="wire-de", text="We reopen inside a week")],
                cue="said",
            ),
            Quote(speaker="Ruiz", speaker_entity="e1", text="repairs would take a week", articles=["local"], direct=False, cue="said"),
        ],
        facts=[
            Fact(
                id="f1",
                text="The port of Kessel closed after a storm damaged two cranes.",
                articles=["wire", "wire-de", "reprint", "local"],
                independent_sources=2,
                mentions=[
                    FactMention(article="wire", sentence=0, text="The port of Kessel closed on Monday after a storm damaged two cranes."),
                    FactMention(article="local", sentence=0, text="A storm on Sunday night toppled two cranes in Kessel."),
                ],
            ),
            Fact(id="f2", text="Fishermen protested & blocked a road.", articles=["reprint"], independent_sources=1,
                 mentions=[FactMention(article="reprint", sentence=2, text="Fishermen <b>protested</b> & blocked a road.")]),
        ],
        contradictions=[
            Contradiction(
                about="ships waiting",
                kind="count",
                claims=[
                    Claim(value="40", text="Officials said 40 ships are waiting.", articles=["wire", "reprint"]),
                    Claim(value="55", text="Some 55 ships are stuck outside the port.", articles=["local"]),
                ],
            ),
            Contradiction(
                about="previous closure",
                kind="year",
                claims=[
                    Claim(value="2015", text="The port last closed in 2015.", articles=["wire", "wire-de"]),
                    Claim(value="2016", text="The port last closed in 2016.", articles=["local"]),
                ],
            ),
        ],
        timeline=[
            TimelineEntry(date=dt.date(2015, 1, 1), precision="year", text="The port last closed.", articles=["wire"]),
            TimelineEntry(date=dt.date(2021, 3, 7), precision="day", text="A storm topples two cranes.", articles=["local"]),
            TimelineEntry(date=dt.date(2021, 3, 8), precision="day", text="The port closes.", articles=["wire", "reprint"]),
            TimelineEntry(date=dt.date(2021, 3, 8), precision="day", text="40 ships wait outside.", articles=["wire"]),
        ],
    )
    inputs = [
        InputRecord(id=a, location=f"coverage/{a}.txt") for a in ("wire", "wire-de", "reprint", "local")
    ] + [
        InputRecord(id="photo", location="coverage/photo.jpg", status="skipped", code="binary", reason="coverage/photo.jpg: binary file"),
        InputRecord(id="broken", location="coverage/broken.html", status="failed", code="no_main_text", reason="coverage/broken.html: no main text"),
    ]
    stats = {"read": StageStats(name="read", items_in=6, items_out=4, dropped={"binary": 1, "no_main_text": 1}, seconds=0.01)}
    return Brief(inputs=inputs, articles=[wire, translated, reprint, local], stories=[story], stats=stats)



class _Outline(HTMLParser):
    """Collects ids, in-page links, heading levels and external resource references."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.headings: list[int] = []
        self.external: list[str] = []
        self.hrefs: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if a.get("id"):
            self.ids.append(a["id"] or "")
        href = a.get("href") or ""
        if href.startswith("#"):
            self.links.append(href[1:])
        elif href:
            self.hrefs.append(href)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("script", "img", "iframe", "link", "source", "video", "audio") and (a.get("src") or a.get("href")):
            self.external.append(f"{tag}: {a.get('src') or a.get('href')}")
        if tag == "svg":
            self.svgs.append(a)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_html(sample_brief())


def test_html_every_section_is_rendered(sample_page: str) -> None:
    for needle in (
        "Storm shuts Kessel harbour; ships queue outside",  # headline
        "Which source states which fact",
        "Where sources disagree",
        "Who said what",
        "People, organisations and places",
        "Timeline",
        "Who copied whom",
        'id="inputs"',
        "We reopen inside a week",  # a quote variant
        "ana ruiz",  # an alias
        "no_main_text",  # a failed input's reason code
    ):
        assert needle in sample_page, needle
    assert sample_page.count('<svg class="timeline"') == 1 and sample_page.count('<svg class="graph"') == 1


def test_html_escapes_article_text_and_drops_script_urls(sample_page: str) -> None:
    assert "<storm>" not in sample_page and "&lt;storm&gt;" in sample_page
    assert "<b>protested</b>" not in sample_page and "&lt;b&gt;protested&lt;/b&gt;" in sample_page
    outline = _outline(sample_page)
    assert not any(h.lower().startswith("javascript:") for h in outline.hrefs)
    assert "https://example.org/wire/harbour" in outline.hrefs


def test_html_every_in_page_link_has_a_target(sample_page: str) -> None:
    outline = _outline(sample_page)
    ids = set(outline.ids)
    assert len(ids) == len(outline.ids), "DOM ids must be unique"
    missing = sorted(set(outline.links) - ids)
    assert missing == []
    for article_id in ("wire", "wire-de", "reprint", "local"):
        assert f"article-{article_id}" in ids
    # the summary's first sentence cites all four articles
    summary = sample_page.split('class="summary"')[1].split("</p>")[0]
    assert re.findall(r'href="#(article-[^"]+)"', summary)[:4] == [
        "article-wire", "article-wire-de", "article-reprint", "article-local",
    ]


def test_html_is_self_contained_and_accessible(sample_page: str) -> None:
    outline = _outline(sample_page)
    assert outline.external == []
    assert "Content-Security-Policy" in sample_page and "default-src 'none'" in sample_page
    assert outline.lang == "en"
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for svg in outline.svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
    assert 'name="viewport"' in sample_page and "@media (max-width" in sample_page


def test_html_matrix_groups_copies_under_their_origin() -> None:
    story = build_page(sample_brief()).stories[0]
    columns = [(c.ref.id, c.copy_of.id if c.copy_of else None, c.relation) for c in story.matrix.columns]
    assert columns == [
        ("wire", None, ""),
        ("wire-de", "wire", "translation of"),
        ("reprint", "wire", "contains"),
        ("local", None, ""),
    ]
    assert [(g.label, g.columns) for g in story.matrix.groups] == [("Harbour Wire + 2 copies", 3), ("Kessel Courier", 1)]
    storm = story.matrix.rows[0]
    assert storm.independent_sources == 2 and storm.stated_by == 4
    # a cell with the article's own wording links to that sentence in the article panel
    assert storm.cells[3] is not None and storm.cells[3].href == "article-local-s0"
    protest = story.matrix.rows[1]
    assert [c is not None for c in protest.cells] == [False, False, True, False]


def test_html_contradiction_counts_sources_not_copies() -> None:
    story = build_page(sample_brief()).stories[0]
    ships = story.contradictions[0]
    assert [(c.value, c.sources) for c in ships.claims] == [("40", 1), ("55", 1)]  # wire + its reprint = 1


def test_html_quotes_are_grouped_by_speaker_entity() -> None:
    speakers = build_page(sample_brief()).stories[0].speakers
    assert len(speakers) == 1 and speakers[0].name == "Ana Ruiz"
    assert [q.direct for q in speakers[0].quotes] == [True, False]
    assert [v.text for v in speakers[0].quotes[0].variants] == ["We reopen inside a week"]


def test_html_timeline_and_graph_geometry() -> None:
    story = build_page(sample_brief()).stories[0]
    timeline = story.timeline
    assert timeline is not None
    assert [t.lines for t in timeline.ticks] == [("2015",), ("7 Mar", "2021"), ("8 Mar", "2021")]
    assert [g.label for g in timeline.gaps] == ["6 years"]  # 2015-01-01 → 2021-03-07
    same_day = [d for d in timeline.dots if d.x == timeline.ticks[2].x]
    assert len(same_day) == 2 and same_day[0].y != same_day[1].y  # stacked, not overlapping
    graph = story.graph
    x_of = {n.ref.id: n.x for n in graph.nodes}
    assert x_of["wire-de"] > x_of["wire"] and x_of["reprint"] > x_of["wire"] and x_of["local"] == x_of["wire"]
    assert sorted(e.relation for e in graph.edges) == ["contains", "translation"]
    assert all(e.directed for e in graph.edges)


def test_html_unsafe_ids_get_unique_dom_ids() -> None:
    brief = Brief(
        articles=[
            Article(id="a b", location="x", text="One."),
            Article(id="a_b", location="y", text="Two."),
            Article(id='x"><script>', location="z", text="Three."),
        ],
        stories=[Story(id="s", articles=["a b", "a_b", 'x"><script>'])],
    )
    page = render_html(brief)
    outline = _outline(page)
    panels = [i for i in outline.ids if i.startswith("article-") and "-s" not in i[8:]]
    assert len(set(outline.ids)) == len(outline.ids)
    assert "article-a_b" in panels and len(panels) == 3
    assert all(" " not in i and '"' not in i for i in outline.ids)
    assert "<script>" not in page.split("<script>\n")[0].split("</head>")[1]  # only the page's own script


def test_html_empty_and_multi_story_briefs_render() -> None:
    empty = Brief(inputs=[InputRecord(id="x", location="in/x.pdf", status="skipped", code="binary", reason="in/x.pdf: a PDF")])
    page = render_html(empty)
    assert "No story could be built" in page and "in/x.pdf: a PDF" in page
    brief = sample_brief()
    second = Story(id="s2", articles=["local"], headline="Second story")
    brief.stories.append(second)
    page = render_html(brief)
    outline = _outline(page)
    assert outline.headings.count(1) == 1 and "Story brief: 2 stories" in page
    assert "Second story" in page and 'id="story-s2"' in page


def test_html_write_html_writes_the_file(tmp_path: Path) -> None:
    out = write_html(sample_brief(), tmp_path / "brief.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------------------------------------
# in a real browser: Debian's Chromium, headless (scripts/install-browser.sh installs it)
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: run scripts/install-browser.sh (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser: Any, path: Path, width: int = 1280, height: int = 900) -> tuple[Any, Any, list[str], list[str]]:
    """Open a page; collect console errors and every request that is not the file itself."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, errors, requests


def _click_citation_and_see_article(page: Any, article_id: str) -> None:
    panel = page.locator(f'[id="article-{article_id}"]')
    body = panel.locator(".article-body")
    assert not body.is_visible()  # panels start closed
    page.locator(f'.summary a.cite[href="#article-{article_id}"]').first.click()
    body.wait_for(state="visible", timeout=5000)
    assert panel.evaluate("el => el.open") is True
    # scrolled into view (waits out smooth scrolling, if the browser animates it)
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= -1 && r.top < window.innerHeight; }",
        arg=f"article-{article_id}",
        timeout=5000,
    )


@pytest.mark.browser
def test_html_in_chromium_citation_opens_the_article(browser: Any, tmp_path: Path) -> None:
    path = write_html(sample_brief(), tmp_path / "brief.html")
    context, page, errors, requests = _open(browser, path)
    try:
        _click_citation_and_see_article(page, "local")
        assert "Some 55 ships are stuck outside the port." in page.locator('[id="article-local"]').inner_text()
        # a dot in the matrix opens the other article at the very sentence
        page.locator('.matrix a[href="#article-reprint-s2"]').click()
        sentence = page.locator('[id="article-reprint-s2"]')
        sentence.wait_for(state="visible", timeout=5000)
        assert "protested" in sentence.inner_text()
        assert errors == [] and requests == []
    finally:
        context.close()


@pytest.mark.browser
def test_html_in_chromium_fits_a_phone_screen(browser: Any, tmp_path: Path) -> None:
    path = write_html(sample_brief(), tmp_path / "brief.html")
    context, page, errors, _ = _open(browser, path, width=375, height=740)
    try:
        # wide tables and charts scroll inside their own box; the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("h1").first.is_visible()
        assert errors == []
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_html_in_chromium_seeds_brief_and_screenshot(browser: Any, seeds_dir: Path, tmp_path: Path) -> None:
    """The seeds' brief renders with no console errors, a citation opens its article; the screenshot
    in docs/ is taken from this run."""
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings

    brief = build_brief([str(seeds_dir)], load_settings())
    path = write_html(brief, tmp_path / "brief.html")
    context, page, errors, requests = _open(browser, path, width=1280, height=1600)
    try:
        # The picture in docs/ is refreshed on request only: a test run must not change tracked files.
        shot = ROOT / "docs" if os.environ.get("STORYDESK_UPDATE_SCREENSHOT") else tmp_path
        page.screenshot(path=str(shot / "brief-screenshot.png"))
        assert (shot / "brief-screenshot.png").stat().st_size > 10_000
        cited = page.locator(".summary a.cite").first.get_attribute("href")
        assert cited and cited.startswith("#article-")
        _click_citation_and_see_article(page, cited[len("#article-"):])
        assert errors == [] and requests == []
    finally:
        context.close()

"""Boilerplate removal: for each kind, the article text is kept and the boilerplate string is gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.clean.boilerplate import (
    BoilerplateCleaner,
    CorpusBoilerplateFilter,
    is_social_embed,
    strip_dateline,
)
from storydesk.errors import InputError
from storydesk.ingest.base import read_inputs
from storydesk.records import Article
from storydesk.settings import CleanSettings, ReadSettings

DATA = Path(__file__).resolve().parent / "data"


def clean(path: Path) -> Article:
    ((record, article),) = list(read_inputs([str(path)], ReadSettings()))
    assert record.status == "ok" and article is not None
    return BoilerplateCleaner(CleanSettings()).process(article)


def clean_text(text: str, title: str = "") -> Article:
    article = Article(id="x", location="x.txt", raw=text, title=title)
    return BoilerplateCleaner(CleanSettings()).process(article)


def assert_consistent(article: Article) -> None:
    """Offsets point into the text, and the removed count matches the removed blocks."""
    for p in article.paragraphs:
        assert article.text[p.start : p.start + len(p.text)] == p.text
    assert article.text == "\n\n".join(p.text for p in article.paragraphs)
    assert article.boilerplate_chars == sum(len(r.text) for r in article.removed)


def test_boilerplate_see_also_teaser_list() -> None:
    article = clean(DATA / "teaser_see_also.txt")
    assert "approved a new tram line to the airport" in article.text
    assert "challenge the decision in court" in article.text
    for gone in (
        "See also",
        "Velden in pictures",
        "Cyclists protest",
        "Lumen cinema",
        "Heat wave",
        "39 degrees",
    ):
        assert gone not in article.text
    assert {r.reason for r in article.removed} >= {"teaser_list", "repeated_label", "headline"}
    assert_consistent(article)


def test_boilerplate_related_headlines_then_article_resumes() -> None:
    article = clean(DATA / "related_list.txt")
    for gone in ("Related articles", "Ferry strike enters", "Port authority names", "Container traffic"):
        assert gone not in article.text
    # the paragraphs after the list are the article again, not list blurbs
    assert "The cuts will hit the island of Skarra hardest" in article.text
    assert "Passenger numbers fell by 18 percent" in article.text
    assert len(article.paragraphs) == 3


def test_boilerplate_share_rating_sign_in_and_comment_widgets() -> None:
    article = clean(DATA / "widgets.txt")
    assert "61,000 tonnes" in article.text and "Matthias Ebner" in article.text
    for gone in ("Share this", "Facebook", "Rate this", "votes", "Sign in", "comments", "newsletter"):
        assert gone not in article.text
    assert sum(r.reason == "widget" for r in article.removed) == 9


def test_boilerplate_photo_captions_credits_and_glued_headline() -> None:
    article = clean(DATA / "captions.txt")
    for gone in (
        "spillway of the Morrow dam during",
        "Karin Olsen",
        "names new head of dam safety",
        "fill sandbags",
    ):
        assert gone not in article.text
    for kept in (
        "five-day inspection",
        "divers had examined the base",
        "prepare for evacuation",
        "lower the reservoir",
    ):
        assert kept in article.text
    assert {"caption", "teaser"} <= {r.reason for r in article.removed}
    assert_consistent(article)


def test_boilerplate_datelines_and_bylines() -> None:
    article = clean(DATA / "datelines_bylines.txt")
    assert article.paragraphs[0].text.startswith("The Halvard glassworks, the oldest factory")
    for gone in ("KESTRAL BAY, March 3", "Coastal Press", "By Tomas Reiter", "Editing by"):
        assert gone not in article.text
    assert [r.reason for r in article.removed].count("byline") == 2
    assert any(
        r.reason == "dateline" and r.text == "KESTRAL BAY, March 3 (Coastal Press) —" for r in article.removed
    )


def test_boilerplate_strip_dateline_shapes() -> None:
    assert (
        strip_dateline("WASHINGTON (Reuters) - The talks began on Monday in the capital.")[0]
        == "WASHINGTON (Reuters) -"
    )
    assert (
        strip_dateline("Washington (CNN) — The talks began on Monday in the capital.")[0]
        == "Washington (CNN) —"
    )
    assert strip_dateline("NEW YORK — Stocks fell sharply on Monday after the report.")[0] == "NEW YORK —"
    # prose that merely starts with a capitalised word and a dash is not a dateline
    assert strip_dateline("Tuesday - the day the talks began - was cold.")[0] == ""
    assert strip_dateline("US — Russia relations are at a low point, officials say.")[0] == ""


def test_boilerplate_section_label_repeated_headline_and_short_quote() -> None:
    article = clean(DATA / "labels_headline.txt")
    assert "Local news" not in article.text
    assert "Library opens night reading room" not in article.text
    assert [r.reason for r in article.removed].count("headline") == 2
    # a short quote paragraph is article text
    assert '"No," she said.' in [p.text for p in article.paragraphs]
    assert "petition signed by more than 4,000 people" in article.text


def test_boilerplate_teaser_wall_at_the_end_without_label() -> None:
    article = clean(DATA / "tail_teasers.txt")
    assert "coastal route, which adds about four hours" in article.text
    for gone in (
        "Mayor wins second term",
        "Clara Vogt",
        "bakery chain",
        "naming rights",
        "how much the deal",
    ):
        assert gone not in article.text
    assert len(article.paragraphs) == 3


def test_boilerplate_html_page() -> None:
    article = clean(DATA / "page_linklist.html")
    assert article.paragraphs[0].text.startswith("The harbour bridge in Portleven reopened on Thursday")
    heading = next(p for p in article.paragraphs if p.text == "Repairs cost more than planned")
    assert heading.is_heading
    assert "Idris Vale" in article.text and "returned to normal" in article.text
    for gone in (
        "Share this article",
        "PORTLEVEN (Coastal Wire)",
        "Privacy policy",
        "Fishing fleet",
        "All rights reserved",
    ):
        assert gone not in article.text
    assert article.text.count("Harbour bridge in Portleven reopens") == 0
    assert_consistent(article)


def test_boilerplate_html_link_list_without_label() -> None:
    links = "".join(
        f'<p><a href="https://coastal.example/n{i}">{t}</a></p>'
        for i, t in enumerate(
            [
                "Storm closes ferry terminal for a week",
                "Fishing fleet stays in port as winds rise",
                "School roof blown off",
            ]
        )
    )
    body = "".join(
        f"<p>{s}</p>"
        for s in [
            "The harbour bridge in Portleven reopened on Thursday after three days of repairs, the council said.",
            "The council said the repairs cost about 2.4 million pounds, almost twice the early estimate.",
            "Traffic on the coast road returned to normal by the evening, police said, after two days of diversions.",
        ]
    )
    article = Article(
        id="h",
        location="h.html",
        source_format="html",
        raw=f"<html><body><article>{body}{links}</article></body></html>",
    )
    article = BoilerplateCleaner(CleanSettings()).process(article)
    assert "2.4 million pounds" in article.text and "two days of diversions" in article.text
    for gone in ("Storm closes ferry", "Fishing fleet", "School roof"):
        assert gone not in article.text


def test_boilerplate_sentences_with_ui_words_stay() -> None:
    text = (
        "Council splits costs\n\n"
        "The council will share the costs of the new bridge with the region, the mayor said on Monday.\n\n"
        "Officials declined to comment.\n\n"
        "Residents can register for the public hearing until Friday, the council said in a statement."
    )
    article = clean_text(text, title="Council splits costs")
    assert "share the costs" in article.text
    assert "Officials declined to comment." in article.text
    assert "register for the public hearing" in article.text


def test_boilerplate_question_and_answer_ending_is_kept() -> None:
    text = (
        "Commissioner speaks after the match\n\n"
        "The league commissioner attended the match on Wednesday and answered questions from reporters.\n\n"
        "Reaction?\n\n"
        "“It is an emotional issue and I respect the different points of view on it.”\n\n"
        "Violation of league rules?\n\n"
        "“I would have preferred an honest dialogue before the match about what the club planned.”\n\n"
        "Sanctions for the club\n\n"
        "“I have not thought about that part yet; the playoff race matters more right now.”"
    )
    article = clean_text(text, title="Commissioner speaks after the match")
    assert "honest dialogue" in article.text and "playoff race" in article.text


def test_boilerplate_lead_in_to_a_post_is_kept() -> None:
    text = (
        "Owner criticises the deal\n\n"
        "The club owner criticised the stadium deal on Tuesday, saying the city had ignored the fans.\n\n"
        "The owner took to Twitter on Tuesday to voice his displeasure with the deal:\n\n"
        "The city council is expected to vote on the final contract in two weeks, officials said."
    )
    article = clean_text(text, title="Owner criticises the deal")
    assert "took to Twitter on Tuesday" in article.text


def test_boilerplate_subheadings_are_kept_and_marked() -> None:
    text = (
        "Dam passes inspection\n\n"
        "Engineers found no damage to the Morrow dam after the floods, the water authority said on Friday.\n\n"
        "Sensors show no movement\n\n"
        "Sensors installed in 2019 recorded no unusual movement of the wall during the March floods."
    )
    article = clean_text(text, title="Dam passes inspection")
    assert [p.is_heading for p in article.paragraphs] == [False, True, False]
    assert article.paragraphs[1].text == "Sensors show no movement"


def test_boilerplate_hard_wrapped_text_is_unwrapped() -> None:
    text = (
        "Pass reopens\n\n"
        "The Brenn pass reopened on Monday after four days of snow, and the road\n"
        "authority said lorries would be let through in convoys until the\n"
        "avalanche barriers on the upper section have been checked again.\n"
    )
    article = clean_text(text, title="Pass reopens")
    assert len(article.paragraphs) == 1
    assert "the road authority said lorries" in article.text


def test_boilerplate_nothing_left_is_no_main_text() -> None:
    with pytest.raises(InputError) as err:
        clean_text("Share this:\nFacebook\nTwitter\n")
    assert err.value.reason.value == "no_main_text" and "x.txt" in err.value.message


# ---------------------------------------------------------------------------------------------
# the cross-article filter
# ---------------------------------------------------------------------------------------------

TRAM_A = [
    "The Velden city council approved a new tram line to the airport on Tuesday after a long dispute over the route.",
    "Council members voted 31 to 12 for the tram plan, which will cost 410 million euros and open in 2029.",
    "Opponents of the tram line said the route through the harbour district would cut through a protected park.",
    '"We will see," she said.',
    # a retelling of outlet B's report, bundled at the end: real content that fits article B
    "According to the Courier, the airport operator will pay a quarter of the tram construction costs and "
    "expects passenger numbers at the terminal to double by 2035.",
    # a wall of unrelated teasers that no structural rule caught (no labels, no headline lines)
    "A recipe for plum dumplings with cinnamon butter and toasted breadcrumbs won the autumn baking contest.",
    "The national football team lost its friendly against the champions after conceding two late goals.",
    "Scientists discovered a new species of deep-sea jellyfish near volcanic vents in the southern ocean.",
]
TRAM_B = [
    "The operator of Velden airport said it would pay a quarter of the construction costs of the new tram line.",
    "The operator expects passenger numbers at the terminal to double by 2035 once the tram is running.",
    "The council vote on the tram route ends a two-year dispute with residents of the harbour district.",
]


def _article(article_id: str, paragraphs: list[str]) -> Article:
    article = Article(id=article_id, location=f"{article_id}.txt", raw="\n\n".join(paragraphs), title="")
    return BoilerplateCleaner(CleanSettings()).process(article)


def test_boilerplate_corpus_filter_removes_unrelated_wall_only() -> None:
    a, b = _article("a", TRAM_A), _article("b", TRAM_B)
    before_b = b.text
    CorpusBoilerplateFilter(CleanSettings()).run([a, b])
    assert "plum dumplings" not in a.text and "football team" not in a.text and "jellyfish" not in a.text
    assert "According to the Courier, the airport operator will pay" in a.text  # the bundled retelling stays
    assert '"We will see," she said.' in a.text  # a short quote stays
    assert "voted 31 to 12" in a.text
    assert [r.reason for r in a.removed].count("off_topic") == 3
    assert b.text == before_b
    assert_consistent(a)


def test_boilerplate_corpus_filter_leaves_a_single_stray_paragraph() -> None:
    a = _article("a", TRAM_A[:-2])  # only one unrelated paragraph: not a wall
    b = _article("b", TRAM_B)
    CorpusBoilerplateFilter(CleanSettings()).run([a, b])
    assert "plum dumplings" in a.text


# ---------------------------------------------------------------------------------------------
# the seeds (real scraped articles)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    results = list(read_inputs([str(seeds_dir)], ReadSettings()))
    assert [r.status for r, _ in results] == ["ok"] * 5
    cleaner = BoilerplateCleaner(CleanSettings())
    articles = [cleaner.process(a) for _, a in results if a is not None]
    CorpusBoilerplateFilter(CleanSettings()).run(articles)
    return {a.id[:3]: a for a in articles}


@pytest.mark.slow
def test_boilerplate_seed_002_cartoon_wall_gone_retelling_kept(seed_articles: dict[str, Article]) -> None:
    text = seed_articles["002"].text
    for gone in ("politics in cartoons", "Cartoonist", "Sergei Elkin", "Rocky", "Greenland", "See also"):
        assert gone not in text
    # the bundled retelling of another outlet's report stays
    assert "First visit to Washington in 4 years" in text
    assert "we agreed to continue working contacts" in text
    assert "Lavrov met with US Secretary of State Rex Tillerson, who said the meeting gave" in text


@pytest.mark.slow
def test_boilerplate_seed_003_widget_gone(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["003"]
    for gone in ("Share this", "Rate post", "Stars", "to Comment", "Sing in", "Notify of", "Original:"):
        assert gone not in article.text
    assert article.text.rstrip().endswith("Sidorov suggested.")
    assert article.original_title.startswith("Лавров")


@pytest.mark.slow
def test_boilerplate_seed_004_captions_and_related_headlines_gone(seed_articles: dict[str, Article]) -> None:
    text = seed_articles["004"].text
    for gone in (
        "Base of the Russian Defense Ministry",
        "Photo:",
        "©",
        "Very Cooperative",
        "Drill of special ops",
        "Threat of Conflict",
        "shakes hands prior",
        "Tillerson Comments on Upcoming",
        "Politics\n",
        "MOSCOW (Sputnik)",
        "Register",
    ):
        assert gone not in text
    for kept in (
        "will start his working visit",
        "Lavrov is scheduled to meet",
        "ministerial meeting of the Arctic",
        "suspended cooperation on the memorandum",
        "Dmitry Peskov refused to comment",
    ):
        assert kept in text


@pytest.mark.slow
def test_boilerplate_seed_001_lede_kept_and_source_line_gone(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["001"]
    assert article.text.startswith("When Russian foreign minister Sergei Lavrov arrives in Washington")
    assert "Source:" not in article.text and "politico.com" not in article.text
    assert article.outlet == "politico.com"


def test_boilerplate_html_counts_page_chrome_that_trafilatura_dropped() -> None:
    from storydesk.records import Article
    from storydesk.settings import CleanSettings

    body = " ".join(["The council voted on Monday to rebuild the old ferry pier before the summer season."] * 3)
    html = (
        "<html><head><title>Pier vote</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/sport'>Sport pages and results</a></nav>"
        f"<article><h1>Pier vote</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>Copyright Harbour Weekly. Privacy policy and terms of use.</footer></body></html>"
    )
    article = Article(id="pier", location="pier.html", source_format="html", raw=html, title="Pier vote")
    cleaned = BoilerplateCleaner(CleanSettings()).process(article)
    assert "ferry pier" in cleaned.text
    chrome = [r for r in cleaned.removed if r.reason == "page_chrome"]
    assert chrome and "Sport pages and results" in chrome[0].text
    assert "ferry pier" not in chrome[0].text
    assert cleaned.boilerplate_chars >= len(chrome[0].text)


def test_boilerplate_long_rating_and_share_rows_are_widgets() -> None:
    """A row of rating steps or share buttons is a widget even when it runs past a dozen words."""
    body = (
        "The regional council approved the new ferry timetable on Monday after a long debate.\n\n"
        "The changes take effect in April and add two late sailings on weekdays.\n\n"
    )
    rows = [
        "Rate this article: 1 Star 2 Stars 3 Stars 4 Stars 5 Stars",
        "Share on Facebook Twitter WhatsApp Telegram LinkedIn Pinterest Reddit Email Print Messenger",
    ]
    article = clean_text(body + "\n\n".join(rows) + "\n")
    assert "two late sailings" in article.text and "ferry timetable" in article.text
    assert "Stars" not in article.text and "Pinterest" not in article.text
    assert sum(r.reason == "widget" for r in article.removed) == 2
    # A long sentence that merely uses "share" and "rating" is prose and stays.
    prose = clean_text(body + "The rating agency said it would share the data with 12 banks and 4 insurers over the coming weeks and months\n")
    assert "rating agency" in prose.text
    assert_consistent(article)


def test_boilerplate_caption_closing_with_an_agency_credit_goes() -> None:
    """A wire caption is a full sentence or two, too long for the short-credit rule, but its closing
    photo credit gives it away; the paragraphs around it stay."""
    text = (
        "The bodies of two climbers, lost for years, were found on a glacier, a mountaineer said on Monday.\n\n"
        "Anna Berg, a mountaineer from Norway, speaks to the media during an interview at a hotel in "
        "Kathmandu, Nepal May 30, 2016. REUTERS/Lars Holm\n\n"
        "The pair were swept away by an avalanche during an attempt on the peak in 1999.\n\n"
        "Rescuers reached the site on Thursday. (AP Photo/Jane Doe)\n\n"
        "The minister told Reuters/Ipsos pollsters that the recovery would take another season.\n"
    )
    article = clean_text(text)
    assert "speaks to the media" not in article.text and "Lars Holm" not in article.text
    assert "Jane Doe" not in article.text
    for kept in ("were found on a glacier", "swept away by an avalanche", "Reuters/Ipsos pollsters"):
        assert kept in article.text
    assert sum(r.reason == "caption" for r in article.removed) == 2
    assert_consistent(article)


def test_boilerplate_list_markers_are_not_part_of_kept_sentences() -> None:
    text = (
        "Scientists said the earthquake was the longest ever recorded, lasting up to ten minutes.\n\n"
        "* When the surface waves reached Alaska they triggered a swarm of small earthquakes.\n\n"
        "• The quake also moved the whole planet by about a centimetre, the researchers said.\n"
    )
    article = clean_text(text)
    assert [p.text[:6] for p in article.paragraphs][1:] == ["When t", "The qu"]
    assert "*" not in article.text and "•" not in article.text
    assert_consistent(article)


def test_boilerplate_best_other_article_matches_pairwise_cosines() -> None:
    import numpy as np
    from scipy import sparse

    from storydesk.clean.boilerplate import _cosine

    rng = np.random.default_rng(7)
    dense = rng.random((40, 25)) * (rng.random((40, 25)) < 0.2)  # sparse-ish TF-IDF rows, some empty
    owner = sorted(rng.integers(0, 6, size=40).tolist())
    matrix = sparse.csr_matrix(dense)
    best = CorpusBoilerplateFilter._best_other_article(matrix, owner, chunk=7)  # several chunks
    sums = {a: dense[[i for i, o in enumerate(owner) if o == a]].sum(axis=0) for a in set(owner)}
    for row in range(40):
        expected = max((_cosine(dense[row], v) for a, v in sums.items() if a != owner[row]), default=0.0)
        assert abs(best[row] - expected) < 1e-9


def test_boilerplate_embedded_social_posts_are_removed_and_the_report_around_them_kept() -> None:
    text = (
        "Harbour singer Lena Marsh dies at 61\n\n"
        "Lena Marsh, the folk singer who sang about the Kessel docks for four decades, died on Tuesday at her "
        "home in Kessel, her publicist said.\n\n"
        "Tributes came from across the music world.\n\n"
        "Rest in peace Lena, the harbour will miss you. pic.twitter.com/Ab12Cd34 — Tom Weber (@tweber) June 20, "
        "2017\n\n"
        "A voice like the sea itself. A post shared by Maria Lopez (@marialopez.music) on Jun 20, 2017 at "
        "10:33am PDT\n\n"
        "Marsh recorded eleven albums, the last of them in 2015, and toured until last year."
    )
    article = clean_text(text)
    assert_consistent(article)
    assert "died on Tuesday at her home in Kessel" in article.text
    assert "toured until last year" in article.text
    assert "Tributes came from across the music world." in article.text
    assert "harbour will miss you" not in article.text and "A voice like the sea" not in article.text
    assert [r.reason for r in article.removed].count("social_embed") == 2


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said on Monday — in a statement to reporters — that the port would reopen on June 20, 2017.",
        "Tom Weber (@tweber) wrote that the port was open — Mayor Tom Weber said so on June 20, 2017, before "
        "the vote was called.",
    ],
)
def test_boilerplate_prose_with_a_dash_handle_or_date_is_not_a_social_embed(text: str) -> None:
    assert not is_social_embed(text)


TRAM_RU = [
    "Городской совет Фельдена во вторник одобрил строительство новой линии трамвая до аэропорта.",
    "За проект проголосовал 31 депутат, против выступили 12; линия обойдётся в 410 миллионов евро.",
    "Противники проекта заявили, что маршрут через портовый район пройдёт по охраняемому парку.",
    "Оператор аэропорта обещал оплатить четверть расходов на строительство новой трамвайной линии.",
    "По его расчётам, число пассажиров терминала к 2035 году вырастет вдвое после запуска трамвая.",
]


def test_boilerplate_corpus_filter_leaves_an_article_in_another_language_whole() -> None:
    # the Russian report has no other Russian article to fit, and its inflected words do not meet each other
    a, b, ru = _article("a", TRAM_A), _article("b", TRAM_B), _article("ru", TRAM_RU)
    before = ru.text
    CorpusBoilerplateFilter(CleanSettings()).run([a, b, ru])
    assert ru.text == before and not ru.removed
    assert "plum dumplings" not in a.text  # the English wall still goes


def test_boilerplate_media_pointers_are_removed_with_a_reason() -> None:
    body = "The storm flattened three streets in Marlow on Sunday, officials said, and more rain is due."
    text = (
        f"{body}\n\n(PHOTOS: Marlow storm)\n\n[VIDEO: The storm in two minutes]\n\n"
        "RELATED: Velden braces for the next storm\n\n"
        "The mayor said crews would work through the night to clear the roads and restore power."
    )
    article = clean_text(text)
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["(PHOTOS: Marlow storm)"] == "media_pointer"
    assert reasons["[VIDEO: The storm in two minutes]"] == "media_pointer"
    assert reasons["RELATED: Velden braces for the next storm"] == "teaser"
    assert "crews would work through the night" in article.text
    assert_consistent(article)


def test_boilerplate_press_release_footer_goes() -> None:
    body = [
        "Scientists at the Velden Museum described the largest fossil foot ever found in the hills.",
        "The foot, made of 13 bones, was dug up in 1998 and studied for years, the team said on Monday.",
        "\"It is the largest foot we have seen,\" said Kira Holm, who led the study of the bones.",
    ]
    footer = [
        "###",
        "The Velden Museum of Natural History, founded in 1869, is one of the world's preeminent scientific "
        "institutions. The Museum holds 45 exhibition halls.",
        "Media contact: Jon Smith, press@veldenmuseum.org",
    ]
    article = clean_text("\n\n".join(body + footer))
    assert [r.reason for r in article.removed] == ["release_footer"] * 3
    assert "founded in 1869" not in article.text and "13 bones" in article.text
    about = clean_text(
        "\n\n".join([*body, "About Acme Corp: Acme is a leading provider of fossil casts. Founded in 1990."])
    )
    assert about.removed and about.removed[-1].reason == "release_footer"
    assert_consistent(article)


def test_boilerplate_founding_year_in_the_body_stays() -> None:
    text = "\n\n".join([
        "The Velden Museum of Natural History, founded in 1869, is one of the world's preeminent institutions, "
        "and on Monday it said it would close for a year.",
        "Its director, Kira Holm, said the roof needed repairs after the storm of last winter.",
        "Visitors with tickets will get their money back, the museum said in a statement on its website.",
        "The collection will move to a warehouse in Marlow while builders work on the halls.",
    ])
    article = clean_text(text)
    assert "founded in 1869" in article.text
    assert not any(r.reason == "release_footer" for r in article.removed)


def test_boilerplate_opening_photo_credit_is_removed_as_a_caption(tmp_path: Path) -> None:
    path = tmp_path / "fossil.txt"
    path.write_text(
        "Photo: Velden Courier archives\n\nThe team found a giant fossil foot in the hills. It had 13 bones.\n\n"
        "The bones were dug up in 1998 and studied for years by the team at the museum.\n",
        encoding="utf-8",
    )
    article = clean(path)
    assert article.title.startswith("The team found a giant fossil foot") and article.title_derived
    assert ("caption", "Photo: Velden Courier archives") in {(r.reason, r.text) for r in article.removed}
    assert "Velden Courier archives" not in article.text


def test_boilerplate_title_line_with_a_credit_goes_as_the_headline(tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(
        "Workers leave the harbour on Monday. | Jon Smith/AP Photo Harbour closes after chemical leak\n\n"
        "The Port of Valmora closed on Monday after a chemical leak, officials said.\n",
        encoding="utf-8",
    )
    article = clean(path)
    assert article.title == "Harbour closes after chemical leak"
    assert article.text.startswith("The Port of Valmora closed")
    assert any(r.reason == "headline" for r in article.removed)

from __future__ import annotations

from storydesk.analyse.overview import StoryOverview, central_title, clean_title
from storydesk.records import Article, Entity, Mention, Story
from storydesk.settings import AnalyseSettings


def test_overview_clean_title_collapses_a_duplicated_scraped_title() -> None:
    title = "Dam holds after storm. Dam holds after storm How the valley prepared"
    assert clean_title(title) == "Dam holds after storm."
    assert clean_title("  Dam   holds ") == "Dam holds"
    long = " ".join(["word"] * 40)
    assert clean_title(long).endswith("…") and len(clean_title(long).split()) == 24


def test_overview_places_rank_by_independent_sources() -> None:
    story = Story(
        id="S1", articles=["a", "b", "c"], source_groups=[["a", "b"], ["c"]],
        entities=[
            Entity(id="E1", name="Harbourtown", type="GPE", articles=["a", "b"], mentions=9),
            Entity(id="E2", name="Kestrel Valley", type="LOC", articles=["a", "c"], mentions=2),
            Entity(id="E3", name="Ana Ruiz", type="PERSON", articles=["a", "b", "c"], mentions=5),
        ],
    )
    overview = StoryOverview(AnalyseSettings())
    articles = {i: Article(id=i, location=i) for i in story.articles}
    overview.analyse(story, articles)
    # Kestrel Valley has two independent sources, Harbourtown only one (a and b are copies).
    assert story.places[0] == "Kestrel Valley"
    assert "Ana Ruiz" not in story.places


def test_overview_places_from_mentions_when_no_entities() -> None:
    a = Article(id="a", location="a", text="Rain in Oslo and Bergen.",
                mentions=[Mention(text="Oslo", label="GPE", start=8, end=12, sentence=0),
                          Mention(text="Bergen", label="GPE", start=17, end=23, sentence=0)])
    b = Article(id="b", location="b", text="Oslo flooded.",
                mentions=[Mention(text="Oslo", label="GPE", start=0, end=4, sentence=0)])
    story = Story(id="S1", articles=["a", "b"])
    StoryOverview(AnalyseSettings()).analyse(story, {"a": a, "b": b})
    assert story.places[0] == "Oslo"
    assert story.headline == ""


def test_overview_headline_prefers_a_title_over_a_paragraph_used_as_title() -> None:
    from storydesk.records import Sentence

    def art(aid: str, title: str, text: str) -> Article:
        return Article(id=aid, location=aid, title=title, text=text, language="en",
                       sentences=[Sentence(index=0, text=text, start=0, end=len(text), paragraph=0)])

    paragraph_title = (
        "When the river rose above the old stone bridge on Monday night, the town council met in an "
        "emergency session and decided to evacuate the low streets near the harbour before dawn"
    )
    story = Story(id="S1", articles=["a", "b"])
    articles = {
        "a": art("a", paragraph_title, "The river rose above the bridge and the council evacuated streets."),
        "b": art("b", "Town evacuates streets as river floods", "The council evacuated streets as the river rose."),
    }
    StoryOverview(AnalyseSettings()).analyse(story, articles)
    assert story.headline == "Town evacuates streets as river floods"


def test_overview_central_title_is_the_one_the_other_titles_share_most() -> None:
    titles = [
        ("Inspectors to visit Kessel docks after safety complaints", False),  # the preview came first
        ("Storm shuts Kessel harbour; ships queue outside", False),
        ("Kessel harbour shut by storm, ships queue", False),
        ("Ships queue as storm shuts Kessel harbour", False),
        ("Kessel harbour reopens after storm", False),  # the follow-up
    ]
    # the two titles made only of shared words tie; the older one wins
    assert central_title(titles) == "Kessel harbour shut by storm, ships queue"
    # a title made from the first sentence is a last resort, even when it shares the most words
    lead = ("Storm shuts Kessel harbour and ships queue outside as the storm shuts the harbour " * 2).strip()
    assert central_title([(lead, True), ("Harbour closed", False)]) == "Harbour closed"
    assert central_title([(lead, True)]) == clean_title(lead)
    # no evidence either way: the oldest title; no titles: nothing
    assert central_title([("Dam holds", False), ("Valley floods", False)]) == "Dam holds"
    assert central_title([("  ", False)]) == ""
    assert central_title([]) == ""


def test_overview_clean_title_does_not_cut_at_an_abbreviation() -> None:
    assert clean_title("Sen. Kira Holm says the Senate must act") == "Sen. Kira Holm says the Senate must act"
    doubled = "Gov. Ana Ruiz visits Marlow. Gov. Ana Ruiz visits Marlow. More to come"
    assert clean_title(doubled) == "Gov. Ana Ruiz visits Marlow."

from __future__ import annotations

import datetime as dt

import pytest

from storydesk.records import Article, Mention, Sentence

from .conftest import Annotate

pytestmark = pytest.mark.slow


def _people(article: Article) -> list[str]:
    return [m.text for m in article.mentions if m.label == "PERSON"]


def _check_offsets(article: Article) -> None:
    for m in article.mentions:
        assert article.text[m.start : m.end] == m.text
        sentence = article.sentences[m.sentence]
        assert sentence.start <= m.start and m.end <= sentence.end


def _mention(article: Article, text: str) -> Mention:
    return next(m for m in article.mentions if m.text == text)


def test_entities_offsets_labels_and_sentences(annotate: Annotate) -> None:
    text = "Angela Merkel visited Paris on Monday.\n\nShe met Emmanuel Macron at the Elysee Palace."
    article = annotate(text)
    _check_offsets(article)
    merkel = _mention(article, "Angela Merkel")
    assert (merkel.label, merkel.start, merkel.end, merkel.sentence) == ("PERSON", 0, 13, 0)
    assert _mention(article, "Paris").label == "GPE"
    macron = _mention(article, "Emmanuel Macron")
    assert (macron.label, macron.sentence, macron.start) == ("PERSON", 1, text.index("Emmanuel"))


def test_entities_lowercased_surname_recovered_from_capitalised_form(annotate: Annotate) -> None:
    article = annotate(
        "President Donald Trump met the minister on Wednesday.\n\n"
        "Washington was shocked that trump fired the director. Aides of the trump were silent."
    )
    _check_offsets(article)
    lowered = [m for m in article.mentions if m.text == "trump"]
    assert len(lowered) == 2 and all(m.label == "PERSON" for m in lowered)


def test_entities_lowercased_name_after_title_word(annotate: Annotate) -> None:
    article = annotate(
        "The talks were held with President Donald trump in the oval office.\n\n"
        "Later Director comey testified before the committee."
    )
    people = _people(article)
    assert "Donald trump" in people
    assert "comey" in people


def test_entities_lowercase_common_words_after_titles_stay_untagged(annotate: Annotate) -> None:
    article = annotate(
        "The President said that the election campaign would go on. "
        "The deputy foreign ministers reviewed the relations. The Director general resigned."
    )
    assert _people(article) == []


def test_entities_colour_is_not_the_namesake(annotate: Annotate) -> None:
    article = annotate(
        "Senator Richard Black praised the meeting. The green mark may turn out to be black for the party."
    )
    assert "black" not in _people(article)
    assert "Richard Black" in _people(article)


def test_entities_parenthesised_original_name_both_person(annotate: Annotate) -> None:
    article = annotate(
        "The president fired the FBI Director James Komi (James Comey) last week.\n\n"
        "It was said by John finer (Jon Finer), the former chief of staff."
    )
    people = _people(article)
    for name in ("James Komi", "James Comey", "John finer", "Jon Finer"):
        assert name in people


def test_entities_parenthesised_place_stays_a_place(annotate: Annotate) -> None:
    article = annotate("The summit will be held in Hamburg (Germany) in July.")
    assert _people(article) == []
    assert {m.text for m in article.mentions if m.label == "GPE"} >= {"Hamburg", "Germany"}


def test_entities_bare_surname_follows_the_full_name(annotate: Annotate) -> None:
    article = annotate(
        "Russian Foreign Minister Sergei Lavrov arrived in Washington.\n\n"
        "Lavrov is scheduled to meet the secretary. Lavrov said the talks went well."
    )
    assert [m.label for m in article.mentions if m.text == "Lavrov"] == ["PERSON", "PERSON"]


def test_entities_name_at_end_of_title_chain(annotate: Annotate) -> None:
    article = annotate(
        "Today Minister of foreign Affairs of Russia Sergey Lavrov has arrived in Washington for talks.\n\n"
        "Head of the International Relations Department of the Moscow State University Andrei Sidorov "
        "said the talks went well."
    )
    people = _people(article)
    assert "Sergey Lavrov" in people
    assert "Andrei Sidorov" in people
    assert not any("Russia" in p or "University" in p for p in people)


def test_entities_title_chain_does_not_make_places_people(annotate: Annotate) -> None:
    article = annotate(
        "Only the President of the United States is in favour.\n\n"
        "The deputy foreign ministers of Russia and the United States reviewed relations."
    )
    assert _people(article) == []


def test_entities_fix_names_switch_gives_raw_spacy(annotator_raw_people: list[str]) -> None:
    assert "trump" not in annotator_raw_people


@pytest.fixture(scope="module")
def annotator_raw_people() -> list[str]:
    from storydesk.annotate.annotator import Annotator
    from storydesk.settings import load_settings

    raw = Annotator(load_settings().annotate, fix_names=False)
    article = Article(
        id="r", location="r.txt", published=dt.datetime(2017, 5, 9),
        text="President Donald Trump spoke.\n\nWashington was shocked that trump fired the director.",
    )  # fmt: skip
    return _people(raw.process(article))



# The two tests below use sentences of the bundled example corpus (examples/harbour-closure), where
# the small model really makes these mistakes; the fixes themselves are general.


def test_entities_swapped_lowercased_translation_before_its_original(annotate: Annotate) -> None:
    """ "... of Valmora solberg Ingrid (Ingrid Solberg)": a machine translation swapped and lowercased the
    name; both wordings are the person, not one facility name swallowing the town."""
    article = annotate(
        '"We closed the port within twenty minutes after the first alarm, and every ship inside was told to '
        'stay at his berth," said the director of the port administration of Valmora solberg Ingrid '
        "(Ingrid Solberg) at the press conference on the pier."
    )
    _check_offsets(article)
    people = _people(article)
    assert "solberg Ingrid" in people and "Ingrid Solberg" in people
    assert not [m.text for m in article.mentions if "solberg" in m.text and m.label != "PERSON"]


def test_entities_one_word_places_tagged_as_people_become_places(annotate: Annotate) -> None:
    """A lone word that the text itself shows to be a place ("the nearby Saltmarsh district", "the port
    of Valmora") is not a person; a person's name next to a place noun stays a person."""
    article = annotate(
        "A cloud of fumes drifted over the quays and the nearby Saltmarsh district, where residents were "
        "told to keep their windows shut.\n\n"
        "The port of Valmora on Tuesday was closed for all ships, after the tank with industrial solvent broke.\n\n"
        "Mayor Tomas Weller said the city would pay for air tests."
    )
    _check_offsets(article)
    people = _people(article)
    assert "Saltmarsh" not in people and "Valmora" not in people
    assert "Tomas Weller" in people


def test_entities_person_does_not_run_on_into_a_lowercase_verb() -> None:
    from spacy.tokens import Span

    from storydesk.annotate.entities import Segment, common_words, find_mentions, load_model
    from storydesk.settings import load_settings

    model = load_settings().annotate.spacy_models[-1]
    nlp = load_model(model)
    text = "Hearings for former President Varga start on Tuesday, and Director comey will testify."
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == "Varga")
    comey = next(t.i for t in doc if t.text == "comey")
    # the model's run-on span as it comes out in some contexts, and a machine-lowercased surname
    doc.ents = [Span(doc, start, start + 2, label="PERSON"), Span(doc, comey - 1, comey + 1, label="PERSON")]
    sentences = [Sentence(index=0, text=text, start=0, end=len(text), paragraph=0)]
    found = find_mentions(text, [Segment(0, doc)], sentences, lexicon=common_words(model))
    people = [m.text for m in found if m.label == "PERSON"]
    assert "Varga" in people and "Varga start" not in people
    assert any(p.endswith("comey") for p in people)  # a lower-case surname is kept

"""Name-part comparisons: transliteration families, case endings, phonetics, name parsing."""

from __future__ import annotations

import pytest

from storydesk.analyse.names import (
    NameMatch,
    given_compatible,
    is_female_given,
    parse_person_name,
    slavic_bases,
    surname_match,
    translit_key,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Sergey", "Sergei"), ("Yevgeny", "Evgeniy"), ("Kislyak", "Kisliak"), ("Alexei", "Aleksey"),
     ("Dmitry", "Dmitri"), ("Shoigu", "Shoygu"), ("Yuri", "Iurii")],
)
def test_names_translit_key_joins_one_family(a: str, b: str) -> None:
    assert translit_key(a) == translit_key(b)


@pytest.mark.parametrize(("a", "b"), [("Sergei", "Stepan"), ("Lavrov", "Lavrin"), ("Maria", "Mario")])
def test_names_translit_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert translit_key(a) != translit_key(b)


def test_names_given_compatible_accepts_variants_and_initials() -> None:
    assert given_compatible("Yevgeny", "Evgeniy")
    assert given_compatible("Alexander", "Aleksandr")
    assert given_compatible("J.", "James")
    assert given_compatible("Bill", "William")


def test_names_given_compatible_rejects_other_people() -> None:
    # "Jack" is a name of its own as often as a short form of John: never equate them.
    assert not given_compatible("Jack", "John")
    assert not given_compatible("Sergey", "Sergio")
    assert not given_compatible("Jack", "James")


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Lavrov", "Lavrov", NameMatch.EXACT),
        ("al-Assad", "Assad", NameMatch.EXACT),
        ("Kislyak", "Kisliak", NameMatch.TRANSLIT),
        ("Ryabkova", "Ryabkov", NameMatch.CASE_ENDING),
        ("Komi", "Comey", NameMatch.PHONETIC),
        ("Carden", "Comey", NameMatch.NONE),
        ("Rice", "Rose", NameMatch.NONE),
        ("Goldstone", "Rice", NameMatch.NONE),
        ("Lavrov", "Kislyak", NameMatch.NONE),
    ],
)
def test_names_surname_match_levels(a: str, b: str, level: NameMatch) -> None:
    assert surname_match(a, b) == level
    assert surname_match(b, a) == level


def test_names_slavic_bases_undo_case_and_female_endings() -> None:
    assert "ryabkov" in slavic_bases("Ryabkova")
    assert "ivanov" in slavic_bases("Ivanovym")
    assert "zelensky" in slavic_bases("Zelenskaya")
    assert slavic_bases("Rice") == set()


def test_names_is_female_given() -> None:
    assert is_female_given("Maria")
    assert is_female_given("Natalya")
    assert not is_female_given("Sergei")
    assert not is_female_given("Nikita")  # a man's name ending in -a


def test_names_parse_person_name_strips_title_chains() -> None:
    name = parse_person_name("Minister of foreign Affairs of Russia Sergey Lavrov")
    assert name is not None
    assert name.tokens[-2:] == ("Sergey", "Lavrov")
    tillerson = parse_person_name("Secretary of State Rex Tillerson")
    assert tillerson is not None and tillerson.tokens == ("Rex", "Tillerson")
    assert tillerson.given == "rex" and tillerson.surname == "tillerson"


def test_names_parse_person_name_particles_and_function_words() -> None:
    assad = parse_person_name("Bashar al-Assad")
    assert assad is not None and assad.core == "assad"
    glued = parse_person_name("Wherein Lavrov")  # a sentence-initial word glued on by the NER model
    assert glued is not None and glued.tokens == ("Lavrov",)
    assert parse_person_name("the Minister") is None
    possessive = parse_person_name("Trump’s")
    assert possessive is not None and possessive.tokens == ("Trump",)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("RIP Lena Marsh", ("Lena", "Marsh")),
        ("R.I.P. Marsh", ("Marsh",)),
        ("Dear Maria Lopez", ("Maria", "Lopez")),
        ("Happy Birthday Tom Weber", ("Tom", "Weber")),
        ("Hope Solo", ("Hope", "Solo")),  # a given name that is also a word stays
    ],
)
def test_names_parse_person_name_drops_a_greeting_or_tribute(text: str, tokens: tuple[str, ...]) -> None:
    name = parse_person_name(text)
    assert name is not None and name.tokens == tokens


def test_names_given_typo_accepts_one_slip_in_long_names_only() -> None:
    from storydesk.analyse.names import given_typo

    assert given_typo("Cornad", "Conrad")  # two letters swapped
    assert given_typo("Micheal", "Michael")
    assert not given_typo("Jon", "Jan")  # too short: a slip makes another real name
    assert not given_typo("Daniel", "Daniela")  # a man and a woman
    assert not given_typo("Conrad", "Konrad")  # a different first letter is a spelling, not a slip
    assert not given_typo("Conrad", "Conrad")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Sophia", "Sofia"), ("Solovyev", "Soloviev"), ("Artjom", "Artyom"), ("Ljaets", "Lyaets"),
     ("Zaretcka", "Zaretska")],
)
def test_names_translit_key_joins_latin_renderings(a: str, b: str) -> None:
    assert translit_key(a) == translit_key(b)


@pytest.mark.parametrize(("a", "b"), [("Jan", "Ian"), ("Fletcher", "Fletser"), ("Jorge", "Iorge")])
def test_names_translit_key_leaves_english_j_and_tch_alone(a: str, b: str) -> None:
    assert translit_key(a) != translit_key(b)


def test_names_surname_match_vowel_clusters_and_soft_signs() -> None:
    # An Estonian "ä" reaches English as ä, a, ae, ya or ja after a round trip through Russian.
    for variant in ("Ljaets", "Lyaets", "Läets", "Laats"):
        assert surname_match("Lääts", variant) >= NameMatch.PHONETIC, variant
    assert surname_match("Solovyev", "Soloviev") == NameMatch.TRANSLIT
    assert surname_match("Solovev", "Solovyev") >= NameMatch.PHONETIC
    assert surname_match("Lääts", "Lutz") == NameMatch.NONE


def test_names_given_compatible_equates_english_and_russian_forms() -> None:
    assert given_compatible("Michael", "Mikhail")
    assert given_compatible("Mihail", "Misha")
    assert not given_compatible("Michel", "Michelle")  # a man and a woman, however alike the skeletons


def test_names_given_typo_accepts_variants_with_a_slip() -> None:
    from storydesk.analyse.names import given_typo

    assert given_typo("Henriett", "Henriette")  # a final -e
    assert given_typo("Hennriett", "Henriette")  # doubled letters and a final -e
    assert given_typo("Nikoloai", "Nikolay")  # a slip in a transliteration
    assert given_typo("Aleskandr", "Alexander")  # k and s swapped in a transliteration of x
    # A man's name and its feminine in -e are two people.
    for man, woman in (("Louis", "Louise"), ("Dennis", "Denise"), ("Daniel", "Danielle"), ("Gabriel", "Gabrielle")):
        assert not given_typo(man, woman), man
        assert not given_compatible(man, woman), man


def test_names_female_surnames_match_one_stem_under_other_endings() -> None:
    from storydesk.analyse.names import female_surnames_match

    assert female_surnames_match("Zaretskaya", "Zaretcka")
    assert female_surnames_match("Gromova", "Gromov")
    assert not female_surnames_match("Gromova", "Gromyko")
    assert not female_surnames_match("Zaretskaya", "Zaretsova")

"""Translations into languages the multilingual model was not trained on are linked by surface evidence.

Czech and Slovak stand for any language outside ``multilingual_languages``: names, numbers and cognates
and the sentence order are what the fallback reads, not anything Czech.
"""

from __future__ import annotations

import dataclasses

import pytest

from storydesk.annotate.embeddings import CachedEmbedder
from storydesk.link import sources
from storydesk.link.sources import LEXICAL, ProvenanceFinder, build_profile, find_links
from storydesk.records import Article
from storydesk.settings import load_settings
from tests.link.articles import article_from_text

SETTINGS = load_settings().link

ENGLISH = """The Czech government approved on Monday a plan to build 120 kilometres of new motorway between Prague and Brno by 2030.
Transport minister Martin Kupka said the project would cost about 85 billion crowns.
The European Commission is expected to pay roughly a third of the money from its cohesion fund.
Construction of the first section near Jihlava should begin in the spring of 2026.
Environmental groups criticised the plan and warned about damage to forests in the Vysočina region.
The opposition movement ANO said the government had underestimated the costs by at least 20 percent.
According to the ministry, the motorway will shorten the journey between the two cities by 40 minutes.
Kupka promised that the government would publish the full study in September."""

CZECH = """Česká vláda v pondělí schválila plán na výstavbu 120 kilometrů nové dálnice mezi Prahou a Brnem do roku 2030.
Ministr dopravy Martin Kupka uvedl, že projekt bude stát zhruba 85 miliard korun.
Evropská komise by měla zaplatit přibližně třetinu peněz ze svého Fondu soudržnosti.
Stavba prvního úseku u Jihlavy by měla začít na jaře roku 2026.
Ekologické organizace plán kritizovaly a varovaly před poškozením lesů v regionu Vysočina.
Opoziční hnutí ANO uvedlo, že vláda podcenila náklady nejméně o 20 procent.
Podle ministerstva dálnice zkrátí cestu mezi oběma městy o 40 minut.
Kupka slíbil, že vláda zveřejní celou studii v září."""

# Same broad subject (transport, a minister, money, percentages), different event: a hard negative.
SLOVAK = """Slovenskí železničiari v stredu vstúpili do štrajku a zastavili dopravu na celej sieti.
Odbory požadujú zvýšenie miezd o 15 percent a lepšie pracovné podmienky.
Minister dopravy uviedol, že vláda nemá na takéto zvýšenie peniaze.
Podľa železničnej spoločnosti sa štrajk dotkol viac ako 200 000 cestujúcich.
Autobusoví dopravcovia posilnili linky medzi Bratislavou a Žilinou.
Rokovania medzi odbormi a vládou sa majú obnoviť v piatok ráno."""


def _article(article_id: str, text: str, language: str) -> Article:
    return article_from_text(article_id, "\n\n".join(text.splitlines()), language=language)


def test_sources_uncovered_language_translation_is_linked(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sources.get_embedder

    def english_only(name: str) -> CachedEmbedder:
        assert name != SETTINGS.multilingual_model, "the fallback must not need the multilingual model"
        return real(name)

    monkeypatch.setattr(sources, "get_embedder", english_only)
    links = find_links([_article("en", ENGLISH, "en"), _article("cs", CZECH, "cs")], SETTINGS)
    assert [(lk.relation, sorted((lk.article, lk.derived_from))) for lk in links] == [
        ("translation", ["cs", "en"])
    ]
    assert links[0].evidence  # the aligned sentences are shown


def test_sources_uncovered_language_unrelated_articles_are_not_linked() -> None:
    articles = [_article("cs", CZECH, "cs"), _article("sk", SLOVAK, "sk")]
    assert find_links(articles, SETTINGS) == []


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("en", "en", SETTINGS.embedding_model),
        ("en", "fr", SETTINGS.multilingual_model),
        ("ru", "en", SETTINGS.multilingual_model),
        ("de", "zh", SETTINGS.multilingual_model),
        ("cs", "cs", SETTINGS.multilingual_model),  # same language: as before
        ("en", "und", SETTINGS.multilingual_model),  # unknown language: as before
        ("en", "cs", LEXICAL),
        ("fi", "hu", LEXICAL),
        ("sk", "ru", LEXICAL),
    ],
)
def test_sources_model_for_language_pair(left: str, right: str, expected: str) -> None:
    finder = ProvenanceFinder(SETTINGS)
    a = build_profile(_article("a", ENGLISH, left), SETTINGS)
    b = build_profile(_article("b", ENGLISH, right), SETTINGS)
    assert finder._model_for(a, b) == expected
    assert finder._model_for(b, a) == expected


def test_sources_covered_languages_setting_decides_the_fallback() -> None:
    covering = dataclasses.replace(SETTINGS, multilingual_languages=(*SETTINGS.multilingual_languages, "cs"))
    a = build_profile(_article("a", ENGLISH, "en"), covering)
    b = build_profile(_article("b", CZECH, "cs"), covering)
    assert ProvenanceFinder(covering)._model_for(a, b) == SETTINGS.multilingual_model


FRENCH = """Le gouvernement tchèque a approuvé lundi un plan de construction de 120 kilomètres d'autoroute entre Prague et Brno d'ici 2030.
Le ministre des Transports Martin Kupka a déclaré que le projet coûterait environ 85 milliards de couronnes.
La Commission européenne devrait payer environ un tiers de cette somme grâce à son fonds de cohésion.
La construction du premier tronçon près de Jihlava devrait commencer au printemps 2026."""


@pytest.mark.slow
def test_sources_covered_pair_ignores_lexical_settings() -> None:
    """An English-French pair is aligned by the multilingual model whatever the fallback's settings."""
    odd = dataclasses.replace(
        SETTINGS, lexical_align_threshold=0.99, lexical_min_coverage=0.99, lexical_position_weight=5.0
    )
    en, fr = _article("en", ENGLISH, "en"), _article("fr", FRENCH, "fr")
    before = ProvenanceFinder(SETTINGS)
    after = ProvenanceFinder(odd)
    pa, pb = build_profile(en, SETTINGS), build_profile(fr, SETTINGS)
    assert before.align_pair(pa, pb) == after.align_pair(pa, pb)
    assert find_links([en, fr], SETTINGS) == find_links([en, fr], odd)

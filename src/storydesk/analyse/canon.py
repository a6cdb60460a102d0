"""Canonical entities across a story: one entity per person (or organisation, place), whatever the spelling.

Reads each article's spaCy ``mentions`` and writes ``story.entities``. Person names are merged using name
structure (:mod:`storydesk.analyse.names`) and context:

- full names merge when the given names are compatible (one transliteration family, an initial, a
  short form) *and* the surnames match; a surname that only *sounds* alike (Kolbi / Colby) or carries a
  Slavic case ending (Orlova / Orlov) needs more: a shared given name that is not female, no
  sentence naming both, an article naming one without the other, or an original given in parentheses;
- swapped order (Novak Peter) and dropped particles (Bashar Assad / Bashar al-Assad) are the same;
- a name followed by another in parentheses ("Jane Kolbi (Jane Colby)") is one person;
- a bare surname joins the one person with that surname; when several people share it, each mention
  goes to the nearest of them in the same article, and is left apart when none is there.
Two people who share only a first name, or only a surname, are never merged.

Other names merge on one key per name form; an institution's forms share it ("Ministry of Emergency
Situations" / "Emergencies Ministry", "Ministry of Foreign Affairs" / "Foreign Ministry"), and a country
in front of an institution ("Russian Foreign Ministry") joins it to the bare name when the story names
that institution of no other country.

It also recovers person mentions the NER model missed in machine-translated text (lowercased surnames,
names after long title chains, a surname tagged as an organisation) and adds them to ``article.mentions``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from rapidfuzz.distance import Levenshtein

from storydesk.analyse.names import (
    GENERIC_HEADS,
    HONORIFICS,
    PARTICLES,
    TITLE_CHAIN_WORDS,
    NameMatch,
    PersonName,
    female_surnames_match,
    fold,
    given_compatible,
    given_typo,
    is_female_given,
    looks_like_name_token,
    parse_person_name,
    slavic_bases,
    strip_particle,
    surname_match,
    translit_key,
    words,
)
from storydesk.analyse.persons import NAME_TOKEN_RE, ROLE_WORDS, clean_mention_text, person_like
from storydesk.disjoint import DisjointSets
from storydesk.records import Article, Entity, Mention, Story
from storydesk.settings import AnalyseSettings
from storydesk.stage import StoryStage

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_NON_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})

# Words before a lowercased surname that show it is the ordinary word, not the name ("to trump").
_NOT_NAME_BEFORE = words("to a an will would can could may might must should did does do not never also trumps")

# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not map them to it.
_IGNORECASE_TO_ASCII = str.maketrans({"ı": "i", "ſ": "s", "İ": "i", "\u212a": "k"})


def _casefold_for_search(text: str) -> str:
    """Lowercased text in which every letter re.IGNORECASE equates with an ASCII letter is that letter."""
    return text.translate(_IGNORECASE_TO_ASCII).lower()


def _may_occur(token: str, folded: str) -> bool:
    """False only when a case-insensitive regex for ``token`` cannot match the text (exact for ASCII)."""
    return not token.isascii() or token.lower() in folded


def mention_key(text: str) -> str:
    """The folded key of a non-person name ("U.S." and "US" share it, so do "Moderna, Inc" and "Moderna Inc")."""
    return re.sub(r"[\s,-]+", " ", fold(text)).strip()


# Head nouns of an institution written either way round ("Defense Ministry" / "Ministry of Defense").
_INSTITUTION_HEADS = words("ministry department office agency service committee commission directorate bureau")


def institution_key(key: str) -> str:
    """A mention key with "<head> of|for [the] X" turned into "X <head>" ("ministry of defense" -> "defense ministry").

    Only a key with one such phrase at its end: "Ministry of Defense of the Russian Federation" keeps its order.
    """
    m = re.fullmatch(r"(?P<pre>(?:\S+ )*?)(?P<head>\S+) (?:of|for) (?:the )?(?P<what>[^ ]+(?: [^ ]+)*)", key)
    if m is None or m.group("head") not in _INSTITUTION_HEADS or re.search(r"\b(?:of|for|the|and)\b", m.group("what")):
        return key
    return f"{m.group('pre')}{m.group('what')} {m.group('head')}"


# Generic nouns that a short form of an institution's name leaves out ("Ministry of Foreign Affairs" /
# "Foreign Ministry", "Ministry of Emergency Situations" / "Emergencies Ministry").
_INSTITUTION_FILLERS = words("affairs situations issues matters")


def _light_stem(word: str) -> str:
    """A folded word without a plural ending or a British spelling ("emergencies" -> "emergency",
    "defence" -> "defense"): the forms the modifiers of one institution's name come in."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    word = re.sub(r"(?<=[fn])ce$", "se", word)  # defence / defense, licence / license
    return word.replace("isation", "ization")


def org_key(key: str, places: Container[str] = frozenset()) -> str:
    """A mention key in which an institution's name has one form: "<head> of X" turned round, generic
    nouns dropped and modifiers lightly stemmed ("Ministry of Emergency Situations" and "Emergencies
    Ministry" -> "emergency ministry"); a trailing "of [the] <place>" after a whole name comes first
    ("Ministry of Defense of the Russian Federation" -> "russian federation defense ministry"), and so
    does one of the story's ``places`` ("Foreign Ministry of Ukraine" -> "ukraine foreign ministry",
    where "Russian Ministry of Defense" is "russian defense ministry")."""
    m = re.fullmatch(r"(?P<base>.+?) of (?:the )?(?P<place>\S+(?: \S+){0,2})", key)
    if m is not None and not re.search(r"\b(?:of|for|and|the)\b", m.group("place")):
        base = m.group("base")
        turned = institution_key(base).split()
        whole = turned != base.split() or m.group("place") in places
        if whole and len(turned) >= 2 and turned[-1] in _INSTITUTION_HEADS:
            key = f"{m.group('place')} {' '.join(turned)}"
    key = institution_key(key)
    toks = key.split()
    if len(toks) < 2 or toks[-1] not in _INSTITUTION_HEADS:
        return key
    mods = [t for t in toks[:-1] if t not in _INSTITUTION_FILLERS] or toks[:-1]
    return " ".join([*(_light_stem(t) for t in mods), toks[-1]])


# Endings of nationality adjectives, longest first ("Russ-ian", "Chin-ese", "Brit-ish", "Americ-an").
_NATIONALITY_ENDINGS = ("ian", "ean", "ese", "ish", "an")
# Second words of a country's formal name ("the Russian Federation", "the Czech Republic").
_STATE_WORDS = words("federation republic kingdom states emirates")


def _country_stem(word: str) -> str:
    """A country name and its adjective share this ("Russia" / "Russian", "Ukraine" / "Ukrainian")."""
    for suffix in (*_NATIONALITY_ENDINGS, "ia", "a", "e", "y", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class _Countries:
    """What a story says about countries: its one-word place keys (GPE), the stems of its nationality
    adjectives (NORP mentions, and the first words of names: "russian" of "Russian Defense Ministry")
    and its country abbreviations ("us", "uk")."""

    places: frozenset[str]
    nationalities: frozenset[str]
    adjective_stems: frozenset[str]
    abbreviations: frozenset[str]

    @classmethod
    def of(cls, occs: Iterable[_Occurrence]) -> _Countries:
        places, nationalities, adjectives, abbreviations = set(), set(), set(), set()
        for o in occs:
            key = mention_key(o.text)
            if not key:
                continue
            if o.label == "NORP":
                nationalities.add(key)
            elif o.label == "GPE" and " " not in key:
                places.add(key)
                if re.fullmatch(r"(?:[A-Z]\.?){2,3}", o.text.strip()):
                    abbreviations.add(key)
            adjectives.add(key.split()[0])
        stems = {
            stem
            for a in (adjectives - places) | nationalities
            if a.endswith(_NATIONALITY_ENDINGS) and len(stem := _country_stem(a)) >= 4
        }
        return cls(frozenset(places), frozenset(nationalities), frozenset(stems), frozenset(abbreviations))

    def named(self, phrase: str) -> bool:
        """Is a key a country or nationality: a nationality the story names, a country abbreviation,
        a word formed as a nationality adjective that is no place of the story ("russian"), a place with
        such an adjective in the story ("ukraine" beside "Ukrainian"), or a formal state ("russian
        federation")? The caller asks only about a word in front of an institution whose bare name the
        story has as well, which keeps "Human Rights Committee" a name of its own in practice."""
        if phrase in self.nationalities or phrase in self.abbreviations:
            return True
        toks = phrase.split()
        if len(toks) == 2 and toks[1] in _STATE_WORDS:
            return self.named(toks[0])
        if len(toks) != 1:
            return False
        if phrase in self.places:  # a city ("Kazan") or a country
            return any(phrase.startswith(stem) for stem in self.adjective_stems)
        return phrase.endswith(_NATIONALITY_ENDINGS) and len(_country_stem(phrase)) >= 4


def _qualified(key: str, countries: _Countries) -> tuple[str, str] | None:
    """(country stem, the rest) of an institution key led by a country or nationality ("russian foreign
    ministry" -> ("russ", "foreign ministry")); None when it is not one."""
    toks = key.split()
    for n in (2, 1):
        rest = toks[n:]
        if len(rest) >= 2 and rest[-1] in _INSTITUTION_HEADS and countries.named(" ".join(toks[:n])):
            return _country_stem(toks[0]), " ".join(rest)
    return None


def acronym(text: str) -> str:
    """Initials of the capitalised words ("Federal Bureau of Investigation" -> "fbi")."""
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", text) if w[0].isupper()]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


@dataclass(slots=True)
class _Occurrence:
    """One mention of a name in one article (the unit the entities count)."""

    article: str
    order: int  # article position in the story
    mention: Mention
    text: str  # cleaned surface text
    label: str
    person: PersonName | None = None
    paren_original: bool = False  # written in parentheses after another spelling of the name


@dataclass(slots=True)
class _Form:
    """All occurrences of one person-name form (folded tokens) across the story."""

    key: tuple[str, ...]
    name: PersonName
    occurrences: list[_Occurrence] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    paren_partners: set[tuple[str, ...]] = field(default_factory=set)
    typo_partners: set[tuple[str, ...]] = field(default_factory=set)  # a given name one slip apart

    @property
    def articles(self) -> set[str]:
        return {o.article for o in self.occurrences}

    @property
    def sentences(self) -> set[tuple[str, int]]:
        return {(o.article, o.mention.sentence) for o in self.occurrences}


class EntityIndex:
    """Maps a name (as written in an article) to the story's canonical entity."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_key: dict[str, list[Entity]] = defaultdict(list)
        self._by_surname: dict[str, list[Entity]] = defaultdict(list)
        self._by_org_key: dict[str, list[Entity]] = defaultdict(list)
        for entity in entities:
            for alias in {entity.name, *entity.aliases}:
                key = mention_key(clean_mention_text(alias))
                if entity not in self._by_key[key]:
                    self._by_key[key].append(entity)
                if entity.type != "PERSON" and entity not in self._by_org_key[org_key(key)]:
                    self._by_org_key[org_key(key)].append(entity)
                if entity.type == "PERSON":
                    parsed = parse_person_name(alias)
                    if parsed is not None:
                        core = translit_key(parsed.core)
                        if entity not in self._by_surname[core]:
                            self._by_surname[core].append(entity)

    def lookup(self, name: str, article: str | None = None) -> Entity | None:
        """The entity named ``name``; ``article`` breaks ties between people who share a surname."""
        cleaned = clean_mention_text(name)
        # Another form of an institution's name ("Ministry of Emergency Situations" for "Emergencies Ministry").
        exact = self._by_key.get(mention_key(cleaned)) or self._by_org_key.get(org_key(mention_key(cleaned)), [])
        found = list(exact)
        parsed = parse_person_name(cleaned)
        if parsed is not None:
            by_surname = self._by_surname.get(translit_key(parsed.core), [])
            if parsed.is_full:  # a full name must agree on the given name too
                by_surname = [e for e in by_surname if _entity_given_ok(e, parsed)]
            if not found or not parsed.is_full:
                # A bare surname is ambiguous when several people carry it.
                found += [e for e in by_surname if e not in found]
        if len(found) == 1:
            return found[0]
        if len(found) > 1 and article is not None:
            local = [e for e in found if article in e.articles]
            if len(local) > 1:
                local = [e for e in local if e in exact]
            if len(local) == 1:
                return local[0]
        return None


def _entity_given_ok(entity: Entity, name: PersonName) -> bool:
    for alias in {entity.name, *entity.aliases}:
        parsed = parse_person_name(alias)
        if parsed is not None and parsed.is_full and given_compatible(parsed.given, name.given):
            return True
    return False


def entity_for(story: Story, name: str, article: str | None = None) -> Entity | None:
    """The canonical entity of ``story`` that ``name`` refers to (None when unknown or ambiguous)."""
    return EntityIndex(story.entities).lookup(name, article)


class EntityCanonicalizer(StoryStage):
    """Story stage: merge mention variants into canonical entities (``story.entities``)."""

    name: ClassVar[str] = "entities"

    def __init__(self, settings: AnalyseSettings) -> None:
        super().__init__()
        self.settings = settings
        # (article id, mention start) -> entity id for the mentions of the story analysed last.
        self.mention_entities: dict[tuple[str, int], str] = {}

    # ------------------------------------------------------------------ stage
    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        arts = [articles[a] for a in story.articles if a in articles]
        self.recover_person_mentions(arts)
        occurrences = self._occurrences(arts)
        persons = [o for o in occurrences if o.label == "PERSON" and o.person is not None]
        # A PERSON mention that is only a title ("the minister") names nobody by itself.
        others = [o for o in occurrences if o.label != "PERSON"]
        groups = self._cluster_persons(persons, arts)
        other_groups = self._group_others(others)
        groups = _join_lone_names_to_places(groups, other_groups) + other_groups
        groups = _join_stated_aliases(groups, arts)
        self.mention_entities = {}
        story.entities = self._build_entities(groups, story, self.mention_entities, _described_people(arts))
        self.stats.extra["entities"] = self.stats.extra.get("entities", 0.0) + len(story.entities)

    # ------------------------------------------------------------------ recovery
    def recover_person_mentions(self, arts: list[Article]) -> int:
        """Fix and add PERSON mentions the NER model missed; returns how many were added or fixed."""
        fixed = sum(self._label_described_names(art) for art in arts)
        full_forms: dict[tuple[str, ...], str] = {}
        surnames: dict[str, str] = {}  # folded surname -> cased form
        person_count: Counter[str] = Counter()
        place_count: Counter[str] = Counter()
        place_words: set[str] = set()
        for art in arts:
            for m in art.mentions:
                text = clean_mention_text(m.text)
                if m.label == "PERSON":
                    person_count[fold(text)] += 1
                    parsed = parse_person_name(text)
                    if (
                        parsed is not None
                        and parsed.is_full
                        and len(parsed.tokens) <= 4
                        and all(looks_like_name_token(t) for t in parsed.tokens)
                        and parsed.surname not in GENERIC_HEADS  # "Baxter Road" tagged as a person
                    ):
                        full_forms.setdefault(tuple(fold(t) for t in parsed.tokens), " ".join(parsed.tokens))
                        surnames.setdefault(parsed.surname, parsed.tokens[-1])
                elif m.label in ("GPE", "LOC", "NORP", "ORG"):
                    if m.label != "ORG":
                        place_count[fold(text)] += 1
                    place_words.update(fold(w) for w in text.split())
        # Full forms whose first word is a place or organisation ("Russia Sergey Volkov").
        for key in list(full_forms):
            if len(key) >= 3 and key[0] in place_words and key[1:] in full_forms:
                del full_forms[key]
        if not surnames:
            return 0
        for art in arts:
            fixed += self._fix_labels(art, full_forms, surnames, person_count, place_count)
            fixed += self._find_names(art, full_forms, surnames)
            fixed += self._find_titled_names(art)
            art.mentions.sort(key=lambda m: (m.start, -m.end))
        self.stats.extra["recovered_mentions"] = self.stats.extra.get("recovered_mentions", 0.0) + fixed
        return fixed

    @staticmethod
    def _label_described_names(art: Article) -> int:
        """A name with a title or an apposition ("Alexei Arbatov, head of ...") is a person."""
        fixed = 0
        for m in art.mentions:
            if m.label == "PERSON" or m.label in _NON_NAME_LABELS:
                continue
            tokens = clean_mention_text(m.text).split()
            if not 2 <= len(tokens) <= 3 or not all(looks_like_name_token(t) for t in tokens):
                continue
            role = _APPOSITION_ROLE.match(art.text[m.end : m.end + 60])
            if (role is not None and fold(role.group("role")) in ROLE_WORDS) or _after_name_or_title(
                art.text, m.start, None
            ):
                m.label = "PERSON"
                fixed += 1
        return fixed

    @staticmethod
    def _fix_labels(
        art: Article,
        full_forms: Mapping[tuple[str, ...], str],
        surnames: Mapping[str, str],
        person_count: Counter[str],
        place_count: Counter[str],
    ) -> int:
        fixed = 0
        for m in art.mentions:
            if m.label == "PERSON" or m.label not in ENTITY_LABELS:
                continue
            text = clean_mention_text(m.text)
            key = tuple(fold(t) for t in text.split())
            if not key:
                continue
            if m.label not in ENTITY_LABELS:
                continue
            if m.label == "ORG" and (key in full_forms or (len(key) == 1 and key[0] in surnames)):
                # spaCy's small model often tags a surname as an organisation ("Volkov said").
                m.label = "PERSON"
                fixed += 1
                continue
            if m.label in ("GPE", "LOC", "NORP") and person_count[fold(text)] > place_count[fold(text)]:
                m.label = "PERSON"
                fixed += 1
                continue
            words_ = text.split()
            if (
                m.label == "ORG"
                and len(key) >= 2
                and key[-1] in surnames
                and all(k in TITLE_CHAIN_WORDS or k in HONORIFICS for k in key[:-1])
            ):
                # "(Secretary of) State Harlow" tagged as an organisation: the person is the last word.
                pos = m.text.rfind(words_[-1])
                if pos >= 0:
                    m.start += pos
                    m.end = m.start + len(words_[-1])
                    m.text = words_[-1]
                    m.label = "PERSON"
                    fixed += 1
                continue
            # "Russia Sergey Volkov" tagged as one organisation: keep the person at its end.
            for n in (3, 2):
                if len(key) > n and key[-n:] in full_forms:
                    tail = " ".join(text.split()[-n:])
                    pos = m.text.rfind(tail)
                    if pos >= 0:
                        m.start += pos
                        m.end = m.start + len(tail)
                        m.text = tail
                        m.label = "PERSON"
                        fixed += 1
                    break
        return fixed

    @staticmethod
    def _find_names(art: Article, full_forms: Mapping[tuple[str, ...], str], surnames: Mapping[str, str]) -> int:
        """Find known names the model missed: full names, capitalised and lowercased surnames."""
        text = art.text
        if not text:
            return 0
        covered = _Coverage(art.mentions)
        starts = [s.start for s in art.sentences]
        added = 0
        # Most of the story's names are absent from any one article: a substring test rules them out
        # before a case-insensitive regex scans the whole text for each.
        folded = _casefold_for_search(text)
        for key in sorted(full_forms, key=len, reverse=True):
            if not all(_may_occur(t, folded) for t in full_forms[key].split()):
                continue
            pattern = r"(?<![\w-])" + r"\s+".join(re.escape(t) for t in full_forms[key].split()) + r"(?![\w-])"
            for match in re.finditer(pattern, text, flags=re.IGNORECASE):
                if not match.group(0)[0].isupper():
                    continue
                added += covered.add_person(art, match.start(), match.end(), starts)
        for surname, cased in surnames.items():
            if len(surname) < 3 or surname in HONORIFICS or surname in PARTICLES or not _may_occur(cased, folded):
                continue
            pattern = r"(?<![\w-])" + re.escape(cased) + r"(?![\w-])"
            lowered: list[re.Match[str]] = []
            anchored = False
            for match in re.finditer(pattern, text, flags=re.IGNORECASE):
                word = match.group(0)
                if word[0].isupper():
                    added += covered.add_person(art, match.start(), match.end(), starts)
                elif word.islower():
                    lowered.append(match)
                    anchored = anchored or _after_name_or_title(text, match.start(), covered)
            if not lowered:
                continue
            # A lowercased surname ("trump") is the name when the article also writes it after a given
            # name or title, or never capitalises it but uses it at least twice.
            capitalised = re.search(r"(?<=[a-z,;] )" + re.escape(cased) + r"(?![\w-])", text)
            if not anchored and (len(lowered) < 2 or capitalised):
                continue
            for match in lowered:
                before = text[max(0, match.start() - 12) : match.start()].split()
                if before and before[-1].lower() in _NOT_NAME_BEFORE:
                    continue
                added += covered.add_person(art, match.start(), match.end(), starts, join_given=True)
        return added

    @staticmethod
    def _find_titled_names(art: Article) -> int:
        """Names after a title the model missed ("... Ambassador Sergey Belov")."""
        text = art.text
        covered = _Coverage(art.mentions)
        starts = [s.start for s in art.sentences]
        added = 0
        for match in _TITLED_NAME_RE.finditer(text):
            title = fold(match.group("title"))
            if title not in HONORIFICS:
                continue
            toks = match.group("name").split()
            while toks and fold(toks[0]) in TITLE_CHAIN_WORDS | HONORIFICS:
                toks = toks[1:]
            if len(toks) < 2 or not all(looks_like_name_token(t) for t in toks):
                continue
            name = " ".join(toks)
            start = match.end("name") - len(name)
            added += covered.add_person(art, start, match.end("name"), starts)
        return added

    # ------------------------------------------------------------------ occurrences
    def _occurrences(self, arts: list[Article]) -> list[_Occurrence]:
        out: list[_Occurrence] = []
        for order, art in enumerate(arts):
            for m in art.mentions:
                if m.label not in ENTITY_LABELS:
                    continue
                text = clean_mention_text(m.text)
                if not any(c.isalpha() for c in text):
                    continue
                if m.label == "GPE" and _PARTY_TAG.search(art.text, max(0, m.start - 3), m.start + 1):
                    continue  # "Sen. Rand Paul, R-Ky.": a politician's party and state, not a place of the story
                occ = _Occurrence(article=art.id, order=order, mention=m, text=text, label=m.label)
                if m.label == "PERSON":
                    occ.person = parse_person_name(text)
                    if occ.person is not None:
                        # The entity lists the name as parsed (title chains and glued words removed).
                        occ.text = " ".join(occ.person.tokens)
                out.append(occ)
        return out

    # ------------------------------------------------------------------ persons
    def _cluster_persons(self, occs: list[_Occurrence], arts: list[Article]) -> list[list[_Occurrence]]:
        places = {
            fold(w)
            for art in arts
            for m in art.mentions
            if m.label in ("GPE", "LOC", "NORP")
            for w in clean_mention_text(m.text).split()
        }
        occs = _normalise_person_forms(occs, places)
        forms: dict[tuple[str, ...], _Form] = {}
        for occ in occs:
            assert occ.person is not None
            key = tuple(fold(t) for t in occ.person.tokens)
            form = forms.setdefault(key, _Form(key=key, name=occ.person))
            form.occurrences.append(occ)
        by_id = {a.id: a for a in arts}
        for form in forms.values():
            for occ in form.occurrences:
                art = by_id[occ.article]
                form.roles.update(_roles_near(art.text, occ.mention.start, occ.mention.end))
        self._link_parentheses(forms, arts)

        # Sorted by name, not by first appearance: the greedy merge below must not depend on the order
        # the articles happen to arrive in (ties between equally strong links went either way).
        full = sorted((f for f in forms.values() if f.name.is_full), key=lambda f: f.key)
        bare = sorted((f for f in forms.values() if not f.name.is_full), key=lambda f: f.key)
        _link_typos(full)
        uf = DisjointSets(range(len(full)))
        members: dict[int, list[_Form]] = {i: [f] for i, f in enumerate(full)}
        candidates: list[tuple[int, int, int]] = []
        for i in range(len(full)):
            for j in range(i + 1, len(full)):
                strength = _full_link(full[i], full[j])
                if strength:
                    candidates.append((-strength, i, j))
        for _, i, j in sorted(candidates):
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj or not _clusters_compatible(members[ri], members[rj]):
                continue
            uf.union(ri, rj)
            root = uf.find(ri)
            merged = members.pop(ri) + members.pop(rj)
            members[root] = merged
        clusters = list(members.values())
        groups: list[list[_Occurrence]] = [[o for f in c for o in f.occurrences] for c in clusters]
        self._attach_bare(bare, clusters, groups)
        return groups

    @staticmethod
    def _link_parentheses(forms: dict[tuple[str, ...], _Form], arts: list[Article]) -> None:
        """A name followed by a name in parentheses: the original spelling of the same person."""
        by_span: dict[tuple[str, int], tuple[_Form, _Occurrence]] = {}
        for form in forms.values():
            for occ in form.occurrences:
                by_span[(occ.article, occ.mention.start)] = (form, occ)
        for art in arts:
            for form in list(forms.values()):
                for occ in form.occurrences:
                    if occ.article != art.id:
                        continue
                    m = re.match(r"\s*\(\s*([^()]{2,60}?)\s*\)", art.text[occ.mention.end : occ.mention.end + 70])
                    if not m:
                        continue
                    inner_start = occ.mention.end + m.start(1)
                    partner: _Form | None = None
                    inner_occ: _Occurrence | None = None
                    if (art.id, inner_start) in by_span:
                        partner, inner_occ = by_span[(art.id, inner_start)]
                    else:
                        parsed = parse_person_name(m.group(1))
                        if parsed is None or not all(looks_like_name_token(t) for t in parsed.tokens):
                            continue
                        partner = forms.get(tuple(fold(t) for t in parsed.tokens))
                    if partner is None or partner is form:
                        continue
                    # Both tagged as names and the parentheses hold nothing else ("Thomas Veller
                    # (Tomas Weller)"): the usual form of a translated name, so a loose resemblance of
                    # the parts is enough. A name found only by its text needs a real correspondence.
                    whole = inner_occ is not None and inner_occ.mention.end >= occ.mention.end + m.end(1)
                    if not (
                        _names_related(form.name, partner.name)
                        or (whole and _names_resemble(form.name, partner.name))
                    ):
                        continue
                    form.paren_partners.add(partner.key)
                    partner.paren_partners.add(form.key)
                    if inner_occ is not None and sorted(partner.key) != sorted(form.key):
                        inner_occ.paren_original = True

    def _attach_bare(
        self, bare: list[_Form], clusters: list[list[_Form]], groups: list[list[_Occurrence]]
    ) -> None:
        """Attach single-word names to the one person they can denote; otherwise keep them apart."""
        leftovers: dict[str, list[_Occurrence]] = defaultdict(list)
        for form in bare:
            token = form.key[0]
            if token in GENERIC_HEADS:
                continue  # "Road" left over from "Baxter Road": the head noun of a place, nobody's name
            strong: list[int] = []
            weak: list[int] = []
            for ci, cluster in enumerate(clusters):
                best = max((surname_match(token, f.name.surname) for f in cluster), default=NameMatch.NONE)
                if best >= NameMatch.TRANSLIT:
                    strong.append(ci)
                elif best >= NameMatch.PHONETIC and _weak_bare_ok(form, cluster):
                    weak.append(ci)
            options = strong or (weak if len(weak) == 1 else [])
            if not options:
                # A lone given name ("Hillary") when exactly one person in the story has it.
                given = [
                    ci for ci, c in enumerate(clusters)
                    if any(f.name.given == token and len(token) > 2 for f in c)
                ]
                surname_elsewhere = any(surname_match(token, f.name.surname) for c in clusters for f in c)
                if len(given) == 1 and not surname_elsewhere:
                    options = given
            for occ in form.occurrences:
                target = options[0] if len(options) == 1 else _nearest(occ, options, clusters)
                if target is None:
                    leftovers[translit_key(token)].append(occ)
                else:
                    groups[target].append(occ)
        groups.extend(leftovers.values())

    # ------------------------------------------------------------------ other types
    @staticmethod
    def _group_others(occs: list[_Occurrence]) -> list[list[_Occurrence]]:
        by_key: dict[str, list[_Occurrence]] = defaultdict(list)
        countries = _Countries.of(occs)
        for occ in occs:
            by_key[org_key(mention_key(occ.text), countries.places)].append(occ)
        _join_country_qualified(by_key, countries)
        # Multi-word names one transliteration apart with the same label ("Larisa Harlamova" / "Larisa
        # Kharlamova", a person tagged as an organisation in both versions): one entity.
        by_translit: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
        for key, group in by_key.items():
            toks = key.split()
            if len(toks) >= 2 and all(t.isalpha() for t in toks):
                label = Counter(o.label for o in group).most_common(1)[0][0]
                by_translit[(label, tuple(translit_key(t) for t in toks))].append(key)
        for keys in by_translit.values():
            for key in keys[1:]:
                by_key[keys[0]].extend(by_key.pop(key))
        # An acronym joins the long form whose initials it spells ("FBI" / "Federal Bureau of Investigation").
        long_by_acronym: dict[str, list[str]] = defaultdict(list)
        for key, group in by_key.items():
            acr = acronym(group[0].text)
            if acr and acr != key:
                long_by_acronym[acr].append(key)
        for key in list(by_key):
            targets = long_by_acronym.get(key.replace(" ", ""), [])
            if len(targets) == 1 and len(key) <= 6 and targets[0] in by_key:
                by_key[targets[0]].extend(by_key.pop(key))
        return list(by_key.values())

    # ------------------------------------------------------------------ output
    @staticmethod
    def _build_entities(
        groups: list[list[_Occurrence]],
        story: Story,
        assignment: dict[tuple[str, int], str],
        described: Container[tuple[str, int]] = frozenset(),
    ) -> list[Entity]:
        """Entities from mention groups, largest first. A group is a person's when one of its mentions is
        labelled PERSON or is in ``described`` ((article, start) of names the text describes as a person:
        "Havoc, a rapper from Queens", "rapper Havoc", "Havoc's mother"), whatever the tagger said."""
        order = {a: i for i, a in enumerate(story.articles)}
        built: list[tuple[int, int, Entity, list[_Occurrence]]] = []
        for group in groups:
            if not group:
                continue
            labels = Counter(o.label for o in group)
            person = labels["PERSON"] or any((o.article, o.mention.start) in described for o in group)
            etype = "PERSON" if person else labels.most_common(1)[0][0]
            name = _best_name(group, etype)
            surface = Counter(o.text for o in group)
            # A generic head noun alone ("Road" of "Baxter Road") names nothing: never an alias.
            aliases = sorted(
                (s for s in surface if s != name and fold(s) not in GENERIC_HEADS), key=lambda s: (-surface[s], s)
            )
            articles = sorted({o.article for o in group}, key=lambda a: order.get(a, len(order)))
            first = min((o.order, o.mention.start) for o in group)
            entity = Entity(id="", name=name, type=etype, aliases=aliases, articles=articles, mentions=len(group))
            built.append((-len(group), first[0] * 10_000_000 + first[1], entity, group))
        built.sort(key=lambda t: (t[0], t[1]))
        out = []
        for i, (_, _, entity, group) in enumerate(built, 1):
            entity.id = f"E{i}"
            out.append(entity)
            for occ in group:
                assignment[(occ.article, occ.mention.start)] = entity.id
        return out


# ---------------------------------------------------------------------- helpers


def _described_people(arts: Iterable[Article]) -> set[tuple[str, int]]:
    """(article, start) of names the tagger did not label PERSON that an article describes as a person
    (a title, an age, "who", an apposition, a relative, "his"/"her"): :func:`person_like`'s evidence."""
    out: set[tuple[str, int]] = set()
    for art in arts:
        mentions = sorted(
            (m for m in art.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP")), key=lambda m: m.start
        )
        people, _ = person_like(art.text, mentions, [s.start for s in art.sentences])
        # "a Republican, who ..." is one unnamed person: the group's entity stays a group.
        out.update((art.id, m.start) for m in people if m.label != "NORP")
    return out

# What an article writes between a name and another name of the same person: "Albert Johnson, better known
# to millions of fans as Prodigy", "Prodigy, whose real name is Albert Johnson", "Lady Gaga (born Stefani
# Germanotta)", "X, also known as Y", "X a.k.a. Y".
_ALIAS_LINK = re.compile(
    r"^\s*(?:,|\()?\s*(?:whose\s+(?:real|given|birth|legal)\s+name\s+(?:is|was)|born(?:\s+as)?|real\s+name:?|"
    r"(?:better|also|professionally|popularly|widely)\s+known(?:\s+[\w’'-]+){0,5}?\s+as|a\.?k\.?a\.?|née|nee)\s+$",
    re.IGNORECASE,
)
_ALIAS_LABELS = frozenset({"PERSON", "ORG", "NORP"})
_ALIAS_NAME = re.compile(
    _ALIAS_LINK.pattern.removeprefix("^").removesuffix("\\s+$")
    + r"\s+(?P<name>(?-i:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}))",
    re.IGNORECASE,
)


def _join_stated_aliases(groups: list[list[_Occurrence]], arts: Iterable[Article]) -> list[list[_Occurrence]]:
    """One entity for two names an article states are one person's ("Albert Johnson, better known as
    Prodigy"): a stage name and a birth name share no words, so nothing else joins them. One of the two
    must be tagged a person; the other may be tagged an organisation (a stage name often is)."""
    where = {(o.article, o.mention.start): i for i, group in enumerate(groups) for o in group}
    by_name = {fold(o.text): i for i, group in enumerate(groups) for o in group if o.label in _ALIAS_LABELS}
    sets = DisjointSets(range(len(groups)))
    for art in arts:
        mentions = [m for m in art.mentions if m.label in _ALIAS_LABELS and (art.id, m.start) in where]
        for a, b in itertools.pairwise(mentions):
            if "PERSON" not in (a.label, b.label) or b.start - a.end > 60:
                continue
            if _ALIAS_LINK.match(art.text[a.end : b.start]):
                sets.union(where[(art.id, a.start)], where[(art.id, b.start)])
        # the other name left untagged in this sentence but an entity elsewhere in the story
        for m in mentions:
            if m.label != "PERSON":
                continue
            stated = _ALIAS_NAME.match(art.text, m.end, m.end + 120)
            if stated is None:
                continue
            other = by_name.get(fold(stated.group("name")))
            if other is not None:
                sets.union(where[(art.id, m.start)], other)
    return [[o for i in sorted(members) for o in groups[i]] for members in sets.groups()]


# a party letter glued to a state before it ("R-Ky.", "(D-N.Y.)", "I-Vt."): the mention is the state of a
# politician's seat
_PARTY_TAG = re.compile(r"(?<![\w-])[RDI]-(?=[A-Z])")
_TITLED_NAME_RE = re.compile(
    r"\b(?P<title>[A-Z]?[a-z]+\.?)\s+(?P<name>(?:[A-Z][\w’'-]+\s+){1,4}?[A-Z][\w’'-]+)(?![\w-])"
)


class _Coverage:
    """Which character ranges of an article are already inside a mention."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.spans = sorted((m.start, m.end) for m in mentions)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (end, end))
        return any(s < end and start < e for s, e in self.spans[max(0, i - 8) : i])

    def person_ending_at(self, pos: int) -> Mention | None:
        for m in self.mentions:
            if m.label == "PERSON" and 0 <= pos - m.end <= 1:
                return m
        return None

    def add_person(
        self, art: Article, start: int, end: int, starts: list[int], *, join_given: bool = False
    ) -> int:
        if self.overlaps(start, end):
            return 0
        if join_given:
            prev = self.person_ending_at(start - 1)
            if prev is not None and art.text[prev.end : start].isspace():
                # "Donald trump": the model tagged only the given name; extend it over the surname.
                prev.end = end
                prev.text = art.text[prev.start : end]
                self.spans = sorted((m.start, m.end) for m in self.mentions)
                return 1
        sentence = max(0, bisect.bisect_right(starts, start) - 1) if starts else 0
        mention = Mention(text=art.text[start:end], label="PERSON", start=start, end=end, sentence=sentence)
        self.mentions.append(mention)
        bisect.insort(self.spans, (start, end))
        return 1


_APPOSITION_ROLE = re.compile(
    r"^,\s+(?:(?:a|an|the|who\s+is|now)\s+)?(?:(?:former|ex-|then|deputy|vice|senior|chief|top|leading|well-known|prominent)\s*)?"
    r"(?:[A-Z][\w-]*\s+){0,3}(?P<role>[A-Za-z]+)",
)


def _after_name_or_title(text: str, pos: int, covered: _Coverage | None) -> bool:
    """Is the word at ``pos`` right after a person's given name or a title ("Donald trump")?"""
    if covered is not None and covered.person_ending_at(pos - 1) is not None:
        return True
    before = text[max(0, pos - 30) : pos].split()
    return bool(before) and fold(before[-1]) in HONORIFICS and before[-1][:1].isupper()


def _join_country_qualified(by_key: dict[str, list[_Occurrence]], countries: _Countries) -> None:
    """One institution with and without its country ("Russian Foreign Ministry", "Foreign Ministry of
    the Russian Federation", "Foreign Ministry"): the forms of one country join, and the bare form joins
    them when the story names that institution of one country only ("Russian" and "Ukrainian Foreign
    Ministry" leave a bare "Foreign Ministry" alone)."""
    by_rest: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key in list(by_key):
        found = _qualified(key, countries)
        if found is not None:
            by_rest[found[1]][found[0]].append(key)
    for rest, by_country in by_rest.items():
        for keys in by_country.values():
            for key in keys[1:]:
                by_key[keys[0]].extend(by_key.pop(key))
        if len(by_country) == 1 and rest in by_key:
            (keys,) = by_country.values()
            by_key[keys[0]].extend(by_key.pop(rest))


def _join_lone_names_to_places(
    persons: list[list[_Occurrence]], others: list[list[_Occurrence]]
) -> list[list[_Occurrence]]:
    """A single word tagged as a person that is no one's name but is tagged as a place or organisation
    at least as often elsewhere in the story ("Doha" once each way) joins that entity; the other person
    groups are returned."""
    by_key: dict[str, list[list[_Occurrence]]] = defaultdict(list)
    for group in others:
        by_key[mention_key(group[0].text)].append(group)
    kept: list[list[_Occurrence]] = []
    for group in persons:
        keys = {mention_key(o.text) for o in group}
        lone = all(o.person is not None and not o.person.is_full for o in group) and len(keys) == 1
        targets = by_key.get(next(iter(keys)), []) if lone else []
        if len(targets) != 1 or len(targets[0]) < len(group):
            kept.append(group)
            continue
        label = Counter(o.label for o in targets[0]).most_common(1)[0][0]
        for occ in group:
            occ.label = label
        targets[0].extend(group)
    return kept


def _normalise_person_forms(occs: list[_Occurrence], places: set[str] | None = None) -> list[_Occurrence]:
    """Trim names glued to other words by the NER model; drop juxtaposed surnames ("Trump-Kim")."""
    full2 = {
        tuple(fold(t) for t in o.person.tokens)
        for o in occs
        if o.person is not None and len(o.person.tokens) == 2
    }
    surnames = {k[-1] for k in full2}
    givens = {k[0] for k in full2}
    out: list[_Occurrence] = []
    for occ in occs:
        name = occ.person
        assert name is not None
        key = tuple(fold(t) for t in name.tokens)
        if len(key) >= 3 and key[:2] in full2:  # "Donald Trump Watergate"
            occ.person = name = parse_person_name(" ".join(name.tokens[:2]))
        elif len(key) >= 3 and key[-2:] in full2 and key[0] not in givens:  # "Russia Sergey Volkov"
            occ.person = name = parse_person_name(" ".join(name.tokens[-2:]))
        elif len(key) == 3 and places and key[0] in places and key[0] not in givens:
            # "(Great) Britain Oliver Dowden": a word of a place the story names, never a given name, glued
            # on before a name that another article writes without it (perhaps spelt otherwise).
            rest = parse_person_name(" ".join(name.tokens[1:]))
            if rest is not None and any(
                given_compatible(rest.given, k[0]) and surname_match(rest.surname, k[1]) for k in full2
            ):
                occ.person = name = rest
        if name is None:
            continue
        occ.text = " ".join(name.tokens)
        key = tuple(fold(t) for t in name.tokens)
        if len(key) >= 2 and key[0] in surnames and key[0] not in givens and key[-1] in surnames:
            continue  # two people's surnames side by side ("Trump Met Volkov")
        if len(key) == 1 and "-" in key[0] and all(p in surnames for p in key[0].split("-")):
            continue  # "Trump-Kim"
        out.append(occ)
    return out


def _roles_near(text: str, start: int, end: int) -> set[str]:
    """Role words just before a name or in an apposition after it."""
    before = text[max(0, start - 60) : start]
    before = re.split(r"[.!?;:“”\"«»]", before)[-1]
    after = text[end : end + 90]
    after = after[1:] if after.startswith(",") else ""
    after = re.split(r"[.;:“”\"«»(]|,\s*(?:said|says|told)", after)[0]
    words = {fold(w) for w in NAME_TOKEN_RE.findall(before + " " + after)}
    return {w for w in words if w in ROLE_WORDS}


def _names_related(a: PersonName, b: PersonName) -> bool:
    """Loose relation used for parenthesised originals: some pair of name parts corresponds."""
    ka = {translit_key(strip_particle(fold(t))) for t in a.tokens}
    kb = {translit_key(strip_particle(fold(t))) for t in b.tokens}
    if ka & kb:
        return True
    if a.is_full and b.is_full and given_compatible(a.given, b.given):
        return True
    return any(surname_match(x, y) for x in a.tokens for y in b.tokens)


def _names_resemble(a: PersonName, b: PersonName) -> bool:
    """Every part of one full name resembles a part of the other, in order or swapped (Veller / Weller)."""
    if not (a.is_full and b.is_full) or len(a.tokens) != len(b.tokens):
        return False
    ka = [translit_key(strip_particle(fold(t))) for t in a.tokens]
    kb = [translit_key(strip_particle(fold(t))) for t in b.tokens]

    def close(xs: list[str], ys: list[str]) -> bool:
        return all(Levenshtein.normalized_similarity(x, y) >= 0.5 for x, y in zip(xs, ys, strict=True))

    return close(ka, kb) or close(ka, kb[::-1])


def _link_typos(full: list[_Form]) -> None:
    """Pair full names whose given names are one typing slip apart and whose surnames agree.

    "Cornad Anker" beside "Conrad Anker" is one person, but only when the slip is unambiguous: the
    two never appear in one sentence (that would be two people), and the misspelt given name fits
    one person only among those with the surname.
    """
    by_surname: dict[str, list[_Form]] = defaultdict(list)
    for f in full:
        by_surname[translit_key(f.name.core)].append(f)
    for forms in by_surname.values():
        if len(forms) < 2:
            continue
        for a in forms:
            fits = [
                b for b in forms
                if b is not a
                and given_typo(a.name.given, b.name.given)
                and not given_compatible(a.name.given, b.name.given)
            ]
            if not fits:
                continue
            # All candidates must be one person (their given names compatible with each other).
            if not all(given_compatible(x.name.given, y.name.given) for x in fits for y in fits):
                continue
            if any(a.sentences & b.sentences for b in fits):
                continue
            for b in fits:
                a.typo_partners.add(b.key)
                b.typo_partners.add(a.key)


def _swapped(a: _Form, b: _Form) -> bool:
    if len(a.key) != len(b.key) or a.key == b.key:
        return False
    return sorted(translit_key(t) for t in a.key) == sorted(translit_key(t) for t in b.key)


def _full_link(a: _Form, b: _Form) -> int:
    """How strongly two full-name forms denote one person (0: not at all)."""
    if b.key in a.paren_partners:
        return 5
    if _swapped(a, b):
        return 4
    if b.key in a.typo_partners:
        return 2
    if not given_compatible(a.name.given, b.name.given):
        return 0
    if a.name.middle and b.name.middle and not given_compatible(a.name.middle[0], b.name.middle[0]):
        return 0
    match = surname_match(a.name.surname, b.name.surname)
    if match >= NameMatch.TRANSLIT:
        return 3
    same_sentence = bool(a.sentences & b.sentences)
    one_without_other = bool(a.articles ^ b.articles)
    woman = _one_woman_across_endings(a, b, match)
    if woman is not None:
        return 1 if woman else 0
    if match == NameMatch.CASE_ENDING:
        # "Sergei Orlova" is the genitive of Orlov; "Maria Orlova" is a woman of her own.
        if is_female_given(a.name.given) or is_female_given(b.name.given) or same_sentence:
            return 0
        return 2
    if match == NameMatch.PHONETIC and not same_sentence and (one_without_other or a.roles & b.roles):
        return 1
    return 0


def _pair_ok(a: _Form, b: _Form) -> bool:
    """Can these two forms sit in one entity (used to keep merges from chaining)?"""
    if b.key in a.paren_partners or b.key in a.typo_partners or _swapped(a, b):
        return True
    if not given_compatible(a.name.given, b.name.given):
        return False
    match = surname_match(a.name.surname, b.name.surname)
    woman = _one_woman_across_endings(a, b, match)
    if woman is not None:
        return woman
    if match == NameMatch.NONE:
        return False
    female = is_female_given(a.name.given) or is_female_given(b.name.given)
    return not (match == NameMatch.CASE_ENDING and female)


def _one_woman_across_endings(a: _Form, b: _Form, match: NameMatch) -> bool | None:
    """For two forms with a woman's given name whose surnames differ in more than transliteration: one
    woman when the surnames share a stem under other endings ("Larisa Kharlamova" / "Larisa Kharlamov",
    "Karolina Galetskaya" / "Karolina Galetcka") and the two never stand in one article together (two
    versions render her differently; one article names two women). None: the rule does not apply."""
    if match not in (NameMatch.CASE_ENDING, NameMatch.NONE):
        return None
    if not (is_female_given(a.name.given) and is_female_given(b.name.given)):
        return None
    stems = match == NameMatch.CASE_ENDING or female_surnames_match(a.name.surname, b.name.surname)
    return stems and not (a.articles & b.articles)


def _clusters_compatible(a: list[_Form], b: list[_Form]) -> bool:
    return all(_pair_ok(x, y) for x in a for y in b)


def _weak_bare_ok(form: _Form, cluster: list[_Form]) -> bool:
    """A bare surname that only sounds alike or has a case ending: needs context to join."""
    cluster_articles = {a for f in cluster for a in f.articles}
    exact_same_article = any(
        surname_match(form.key[0], f.name.surname) >= NameMatch.TRANSLIT for f in cluster
    ) or not (form.articles & cluster_articles)
    roles = set().union(*(f.roles for f in cluster))
    female = any(is_female_given(f.name.given) for f in cluster)
    return not female and (bool(form.roles & roles) or exact_same_article)


def _nearest(occ: _Occurrence, options: list[int], clusters: list[list[_Form]]) -> int | None:
    """Among people sharing a surname, the one named closest before (else after) in the same article."""
    best: tuple[int, int] | None = None
    for ci in options:
        for f in clusters[ci]:
            for o in f.occurrences:
                if o.article != occ.article:
                    continue
                distance = occ.mention.start - o.mention.start
                rank = distance if distance >= 0 else 10_000_000 - distance
                if best is None or rank < best[0]:
                    best = (rank, ci)
    return best[1] if best is not None else None


def _best_name(group: list[_Occurrence], etype: str) -> str:
    """The best full form: in most articles, in the usual word order, an original given in parentheses."""
    surface = Counter(o.text for o in group)
    if etype != "PERSON" or all(o.person is None for o in group):  # a person the tagger never labelled one
        cased = [s for s in surface if not s.islower()] or list(surface)
        return max(cased, key=lambda s: (surface[s], len(s), s))
    forms: dict[tuple[str, ...], list[_Occurrence]] = defaultdict(list)
    for o in group:
        if o.person is not None:
            forms[tuple(fold(t) for t in o.person.tokens)].append(o)
    full = {k: v for k, v in forms.items() if len(k) >= 2} or forms
    # Word order: most full forms put the given name first; a swapped form loses.
    first_tokens = Counter(k[0] for k in full for _ in full[k])
    given_support = Counter(fold(o.person.tokens[0]) for o in group if o.person is not None)

    def score(key: tuple[str, ...]) -> tuple[float, int, str]:
        occs = full[key]
        articles = len({o.article for o in occs})
        swapped = any(
            sorted(key) == sorted(other) and first_tokens[other[0]] > first_tokens[key[0]] for other in full
        )
        paren = any(o.paren_original for o in occs)
        # "Sergei Orlova" beside "Sergei Orlov": the nominative (base) form is the name.
        inflected = any(
            other != key and other[-1] in slavic_bases(key[-1]) for other in full if len(other) == len(key)
        )
        # "Cornad Anker" beside "Conrad Anker": the given name written more often is the right one.
        misspelt = any(
            other[-1] == key[-1] and given_typo(other[0], key[0]) and given_support[other[0]] > given_support[key[0]]
            for other in full
        )
        return (articles + 1.5 * paren - 3.0 * swapped - 2.0 * inflected - 2.0 * misspelt, len(occs), " ".join(key))

    best_key = max(full, key=score)
    spellings = Counter(
        " ".join(o.person.tokens) for o in full[best_key] if o.person is not None
    )
    cased = [s for s in spellings if all(not t[:1].islower() or fold(t) in PARTICLES for t in s.split())]
    if cased:
        return max(cased, key=lambda s: (spellings[s], s))
    return " ".join(t if fold(t) in PARTICLES else t[:1].upper() + t[1:] for t in next(iter(spellings)).split())


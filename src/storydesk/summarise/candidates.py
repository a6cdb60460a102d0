"""Which sentences may enter a summary, and the cheap lexical views the scorer needs.

A summary sentence is read on its own, out of its article, so it has to be a whole, plain statement:
no headings, captions, teasers, share/subscribe prompts, questions or fragments. A sentence that
opens with a pronoun or a connective ("He said…", "But…") leans on the sentence before it; it is
kept as a candidate with a penalty, so it is only chosen when nothing better says the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storydesk.records import Article, Sentence

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_TERMINAL = re.compile(r"[.!…][\"'”’»)\]]*$")
_QUESTION = re.compile(r"\?[\"'”’»)\]]*$")
# Page furniture that survives cleaning: prompts, credits, captions, legal lines, embeds.
_FURNITURE = re.compile(
    r"(?i)(^(read|see|watch|click|tap|sign up|subscribe|follow|share|related|advertisement|"
    r"photo|image|video|caption|file photo|credit|copyright|editor's note|listen)\b[^.]{0,60}[:|]"
    r"|\bclick here\b|\bsign up\b|\bsubscribe (to|now)\b|\bnewsletter\b|\ball rights reserved\b"
    r"|\(ap photo|\bgetty images\b|\breuters/\b|©|https?://|www\.|\bpic\.twitter\.com\b"
    r"|\bfollow (us|him|her|me) on\b|\bcookies?\b.*\b(policy|settings)\b|\bterms of (use|service)\b"
    r"|\bjavascript\b|\bbrowser\b.*\b(support|update)\b)"
)
_PRONOUN_OPENING = re.compile(
    r"^[\"'“‘]?(he|she|it|they|his|her|its|their|them|him|this|these|those|that|such|there)\b(?![-'’])",
    re.IGNORECASE,
)
_CONNECTIVE_OPENING = re.compile(
    r"^[\"'“‘]?(but|and|or|so|yet|also|however|meanwhile|still|instead|then|thus|therefore|"
    r"moreover|furthermore|nevertheless|otherwise|besides)\b",
    re.IGNORECASE,
)
# Calls to action addressed to the reader ("Read on for…", "share your thoughts in the comments").
_READER_PROMPT = re.compile(
    r"(?i)(^[\"'“‘]?(read on|scroll (down|up)|check out|find out (more|how|what|why)|head (over )?to|"
    r"tell us|let us know|don'?t miss|catch up on|stay tuned|keep reading|join (us|the conversation))\b"
    r"|\b(share|leave|post|drop|tell us) your (own )?(thoughts|comments?|views?|opinions?|reactions?|stories)\b"
    r"|\bin the comments?( section| below)?\b|\bcomment below\b|\blet us know\b)"
)
# A label that introduces what follows ("Why it matters:", "The bottom line:"): a few words and a
# colon, with no speech verb (which would make it a quote's attribution: "The minister said:").
_LABEL = re.compile(r"^[\"'“‘]?(?P<label>[A-Z][^.:;!?\"“”]{0,40}?):\s")
_SPEECH = re.compile(
    r"(?i)\b(said|says|say|told|tells|added|adds|wrote|writes|asked|asks|stated|states|declared|explained|"
    r"announced|tweeted|warned|insisted|replied|noted|according)\b"
)
# A sentence that opens with a past participle and a preposition ("Charged with eight counts of…")
# and never reaches a main clause (no comma after the phrase) has no subject: a caption or a list item.
_PARTICIPLE_OPENING = re.compile(
    r"^[A-Z][a-z]+(ed|en)\s+(with|by|in|on|at|for|from|to|of|into|after|as|under|over|about)\b"
)
_NUMBER_TEXT = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
thousand million billion trillion dozen"""
NUMBER_WORDS = frozenset(_NUMBER_TEXT.split())
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "mr", "ms", "mrs"}


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)  # pure, and called for every word of every candidate of every story
def stem(word: str) -> str:
    """A tiny suffix stripper: enough to make 'talks'/'talk' and 'Russia's'/'Russia' meet."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_tokens(text: str) -> frozenset[str]:
    """Stemmed content words: what two sentences must share to say the same thing."""
    return frozenset(stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit()))


def without_numbers(tokens: frozenset[str]) -> frozenset[str]:
    """Content words minus numbers ("14", "fourteen", "2,000"): two wordings of one claim that
    disagree on its number still restate each other; and the stop list drops "twelve" but keeps
    "fourteen", so numbers would make some restatements look less alike than others."""
    return frozenset(t for t in tokens if not any(ch.isdigit() for ch in t) and t not in NUMBER_WORDS)


@dataclass(slots=True)
class Candidate:
    """One sentence that may go into the summary, with what the scorer learns about it."""

    article: str
    sentence: Sentence
    position: int  # rank among this article's clean sentences (0 = its lead)
    words: int
    tokens: frozenset[str]
    topic: frozenset[str] = frozenset()  # tokens without numbers: what the sentence is about
    penalty: float = 1.0  # multiplicative: 1.0 for a self-contained sentence
    score: float = 0.0
    support: int = 1  # independent source groups that state it
    equivalents: set[str] = field(default_factory=set)  # other articles that state it
    uid: int = -1  # index in the story's candidate pool
    same_as: set[int] = field(default_factory=set)  # uids of candidates that state the same thing
    superseded: bool = False  # a copy's/translation's wording of what its original also says
    facets: dict[str, float] = field(default_factory=dict)  # what it tells: entities, "when", "where"
    sides: dict[int, int] = field(default_factory=dict)  # contradiction index -> the claim it states

    @property
    def text(self) -> str:
        return self.sentence.text


def rejection(text: str, min_words: int, max_words: int) -> str | None:
    """Why this sentence cannot stand alone in a summary (None when it can)."""
    stripped = text.strip()
    n = len(words(stripped))
    if n < min_words:
        return "fragment"
    if n > max_words:
        return "run_on"
    if _QUESTION.search(stripped):
        return "question"
    if not _TERMINAL.search(stripped):
        return "fragment"
    first = stripped.lstrip("\"'“‘([")[:1]
    if first.islower():
        return "fragment"  # starts mid-sentence: a bad split or a cut paragraph
    if _FURNITURE.search(stripped):
        return "furniture"
    if _READER_PROMPT.search(stripped):
        return "reader_prompt"
    label = _LABEL.match(stripped)
    if label and len(label.group("label").split()) <= 4 and not _SPEECH.search(label.group("label")):
        return "label"
    if _PARTICIPLE_OPENING.match(stripped) and "," not in stripped:
        return "fragment"  # no subject: nothing in the sentence says who was charged
    letters = [c for c in stripped if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return "shouting"  # all-caps labels, tickers, headlines
    if stripped.count("|") >= 2 or stripped.count("•") >= 1:
        return "furniture"
    return None


def dependency_penalty(text: str, pronoun_penalty: float, connective_penalty: float) -> float:
    """How much the sentence leans on the one before it (1.0 = not at all)."""
    stripped = text.strip()
    if _PRONOUN_OPENING.match(stripped):
        return pronoun_penalty
    if _CONNECTIVE_OPENING.match(stripped):
        return connective_penalty
    return 1.0


def collect_candidates(
    article: Article,
    *,
    min_words: int,
    max_words: int,
    max_per_article: int,
    pronoun_penalty: float,
    connective_penalty: float,
) -> list[Candidate]:
    """The article's clean sentences, in order, up to ``max_per_article`` of them."""
    headings = {p.index for p in article.paragraphs if p.is_heading}
    out: list[Candidate] = []
    for sent in article.sentences:
        if sent.paragraph in headings:
            continue
        if rejection(sent.text, min_words, max_words) is not None:
            continue
        tokens = content_tokens(sent.text)
        out.append(
            Candidate(
                article=article.id,
                sentence=sent,
                position=len(out),
                words=len(sent.text.split()),
                tokens=tokens,
                topic=without_numbers(tokens),
                penalty=dependency_penalty(sent.text, pronoun_penalty, connective_penalty),
            )
        )
        if len(out) >= max_per_article:
            break
    return out

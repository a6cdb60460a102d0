"""Name structure helpers: parsing person names, transliteration families, Slavic case endings, phonetics.

Machine-translated coverage renders one person's name in many ways: a first name in several
transliterations (Sergey / Sergei, Yevgeny / Evgeniy), a surname rendered by ear (a Latin spelling
re-derived from Cyrillic), a Russian case ending glued on (the genitive of "Orlov" is "Orlova"),
given and family names swapped, an Arabic article dropped ("al-"). These helpers compare *name parts*;
the decision whether two people are one is made in :mod:`storydesk.analyse.canon`, which adds context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS  # a plain word list: no model is loaded


def words(text: str) -> frozenset[str]:
    """A word set written as one space-separated string (easier to read and extend than a list)."""
    return frozenset(text.split())


# Words that precede a name without being part of it ("President Donald Trump", "Mr. Smith").
HONORIFICS = words("""mr mrs ms miss mx dr prof sir dame lord lady rev fr sen rep gov gen lt col maj capt sgt adm
    cmdr president vice minister secretary senator representative governor general colonel major
    captain sergeant admiral ambassador chancellor premier prime chairman chairwoman chair judge
    justice mayor king queen prince princess sheikh emir pope cardinal bishop rabbi imam father
    brother sister saint st commissioner director deputy spokesman spokeswoman spokesperson
    professor doctor lieutenant agent officer detective inspector chief head leader rector
    attorney counsel envoy diplomat coach""")

# Words of a greeting or tribute that the NER model takes into a name ("RIP Prodigy", "Dear Maria Lopez",
# "Happy Birthday Tom Weber"): never a given name in news text.
INTERJECTIONS = words("rip dear hi hey hello congrats congratulations thanks thank happy birthday welcome goodbye farewell")

# Words inside a title chain before a name ("Secretary of State", "Minister of Foreign Affairs").
TITLE_CHAIN_WORDS = words("""of the state foreign affairs defense defence interior justice finance home homeland security
    national federal international ministry department office council house senate congress
    parliament cabinet committee commission foundation university centre center institute""")

# Particles that belong to a surname ("al-Assad", "van Gogh", "de Gaulle").
PARTICLES = words("al el ad as ash at az bin ibn abu abd van von der den de del della di da dos du la le ter ten")

# Name suffixes that are not surnames.
SUFFIXES = words("jr sr ii iii iv phd md esq")

# Head nouns of place and organisation names ("Baxter Road", "Valmora County"). When the NER model
# tags such a name as a person, its last word is not a surname: it must never become an alias or be
# searched for as one. Words that are also common surnames (Hall, Lane, Park, Church) are left out.
GENERIC_HEADS = words("""road street avenue boulevard drive highway square river lake mountain mount county
    district city village university college school hospital company corporation ministry department
    agency council station airport centre center institute foundation committee commission museum
    stadium terminal harbour harbor""")

# Common English given-name short forms (general knowledge, not story data).
_NICKNAMES: dict[str, str] = {
    "bill": "william", "will": "william", "billy": "william", "bob": "robert", "rob": "robert",
    "bobby": "robert", "mike": "michael", "mick": "michael", "jim": "james", "jimmy": "james",
    "joe": "joseph", "tom": "thomas", "tommy": "thomas", "alex": "alexander", "sasha": "alexander",
    "dick": "richard", "rick": "richard", "ted": "edward", "ed": "edward", "eddie": "edward",
    "chris": "christopher", "dan": "daniel", "danny": "daniel", "dave": "david", "steve": "steven",
    "stephen": "steven", "tony": "anthony", "andy": "andrew", "nick": "nicholas", "pat": "patrick",
    "ben": "benjamin", "sam": "samuel", "matt": "matthew", "greg": "gregory", "jeff": "jeffrey",
    "geoff": "jeffrey", "ron": "ronald", "don": "donald", "hank": "henry", "harry": "henry",
    "jon": "john", "johnny": "john", "kate": "katherine", "katie": "katherine",
    "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "peggy": "margaret",
    "maggie": "margaret", "sue": "susan", "jenny": "jennifer", "jen": "jennifer", "vlad": "vladimir",
    "kolya": "nikolai", "misha": "michael", "dima": "dmitry", "zhenya": "yevgeny", "eugene": "yevgeny",
    "volodymyr": "vladimir", "oleksandr": "alexander", "mykola": "nikolai", "mykhailo": "michael",
    "dmytro": "dmitry", "andriy": "andrei", "oleksiy": "alexei", "serhiy": "sergei", "petro": "pyotr",
    "petr": "pyotr", "yuriy": "yuri", "heorhiy": "georgy", "georgiy": "georgy", "hryhoriy": "grigory",
    # Machine translation renders the Russian name by its English equivalent as often as it transliterates it.
    "mikhail": "michael", "mihail": "michael", "michail": "michael",
}
# Short forms such as "Jack" (for John) are left out on purpose: they are independent names at least
# as often, and merging "Jack X" with "John X" would merge two people who share a surname.

# Slavic male given names ending in -a/-ya (so that "-a" does not by itself mark a woman).
_MALE_A_NAMES = words("nikita ilya ilia foma luka kuzma savva danila gavrila mykola sasha misha dima kolya zhenya vanya petya")

def _undouble(word: str) -> str:
    """A word with each run of one letter written once (Annett -> Anet, Savva -> Sava)."""
    return re.sub(r"(.)\1+", r"\1", word)


# Men's names whose feminine adds an -e (Louis / Louise, Daniel / Danielle), doubled letters collapsed: a final
# -e that is a spelling variant elsewhere (Anett / Anette) makes another person here.
_MALE_E_NAMES = frozenset(
    _undouble(name)
    for name in words("""louis denis daniel michel gabriel simon justin martin christian pascal emmanuel
        lionel noel joel raphael marcel manuel samuel axel gilbert albert robert yvon jean paul rene andre
        aime clement vincent laurent bernard gaston francois eric frederic dominic ernest""")
)

_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?\.?", re.UNICODE)


class NameMatch(IntEnum):
    """How two name parts relate, from no relation to identical."""

    NONE = 0
    PHONETIC = 1  # sounds alike (Kolbi / Colby): needs more evidence
    CASE_ENDING = 2  # a Slavic case or female ending (Orlova / Orlov): needs context
    TRANSLIT = 3  # one transliteration family (Sergey / Sergei, Belyak / Beliak)
    EXACT = 4


# The name helpers below are pure and called for every pair of name forms in a story (hundreds of
# thousands of calls on a large pile, on a few thousand distinct names): memoised, bounded.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, strip accents and apostrophes: the form names are compared in."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    return norm.lower().replace("’", "").replace("'", "").replace(".", "")


def tokens_of(text: str) -> list[str]:
    """The word tokens of a name, possessive endings removed."""
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"(?<=[A-Za-z]\.)(?=[A-Z][a-z])", " ", text)  # "Gov.Sarah Palin"
    return [t.rstrip(".") if not re.fullmatch(r"[A-Za-z]\.", t) else t for t in _TOKEN_RE.findall(text)]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person name split into parts (surface tokens kept for display)."""

    tokens: tuple[str, ...]  # the name as written, without honorifics
    given: str  # folded first given name ("" for a single-token name)
    surname: str  # folded family name, particles included ("al-assad" -> "alassad" core in `core`)
    middle: tuple[str, ...] = ()

    @property
    def is_full(self) -> bool:
        return bool(self.given)

    @property
    def core(self) -> str:
        """The surname without a leading particle ("al-Assad" -> "assad")."""
        return strip_particle(self.surname)


def strip_particle(surname: str) -> str:
    parts = re.split(r"[\s-]+", surname)
    while len(parts) > 1 and parts[0] in PARTICLES:
        parts = parts[1:]
    return "".join(parts)


def parse_person_name(text: str) -> PersonName | None:
    """Split a name into given name, middle names and surname; drop honorifics and suffixes."""
    toks = tokens_of(text)
    # A title chain ("Secretary of State Rex Harlow", "Minister of foreign Affairs Sergey Volkov"):
    # the name is what follows the last title word or lowercase word.
    cut = 0
    for i, tok in enumerate(toks[:-1]):
        f = fold(tok)
        if f in HONORIFICS or f in TITLE_CHAIN_WORDS or (tok[:1].islower() and f not in PARTICLES):
            cut = i + 1
    toks = toks[cut:]
    # A capitalised function word at the start of a sentence is not a given name ("Wherein Volkov").
    while len(toks) > 1 and (fold(toks[0]) in STOP_WORDS or fold(toks[0]) in INTERJECTIONS):
        toks = toks[1:]
    if len(toks) == 1 and (fold(toks[0]) in HONORIFICS or fold(toks[0]) in STOP_WORDS):
        return None
    while toks and fold(toks[-1]) in SUFFIXES and len(toks) > 1:
        toks = toks[:-1]
    if not toks:
        return None
    folded = [fold(t) for t in toks]
    if len(toks) == 1:
        return PersonName(tokens=tuple(toks), given="", surname=folded[0])
    # Surname particles attach to the following token ("Bashar al Assad", "Ludwig van Beethoven").
    i = len(folded) - 1
    while i > 1 and folded[i - 1] in PARTICLES:
        i -= 1
    surname = "-".join(folded[i:])
    return PersonName(
        tokens=tuple(toks), given=folded[0], surname=surname, middle=tuple(folded[1:i])
    )


@lru_cache(maxsize=65536)
def translit_key(word: str) -> str:
    """A key shared by the usual Latin transliterations of one Cyrillic (or Arabic) name.

    Sergey/Sergei/Sergej, Yevgeny/Evgeniy/Evgenii, Belyak/Beliak, Aleksei/Alexey, Mikhail/Mihail.
    """
    w = fold(word).replace("-", "")
    w = re.sub(r"^(ye|je)", "e", w)  # Yevgeny / Evgeny
    w = re.sub(r"(?<=[b-df-hk-np-tv-z])j(?=[aou])", "i", w)  # German/Baltic j for Russian y (Artjom, Njaes)
    w = re.sub(r"(?<=[b-df-hk-np-tv-z])ye(?=v)", "ie", w)  # the -yev/-yeva of a soft sign (Vasilyev / Vasiliev)
    w = w.replace("ph", "f")  # Sophia / Sofia, Joseph / Josef
    w = re.sub(r"tc(?!h)", "ts", w)  # Cyrillic ts written tc (Galetcka / Galetska), never the English tch
    w = w.replace("ks", "x").replace("kh", "h").replace("zh", "j").replace("sch", "sh")
    w = w.replace("ya", "ia").replace("yu", "iu").replace("yo", "io").replace("je", "e")
    w = re.sub(r"(?<=[aeiou])y", "i", w)  # Zuyev / Zuiev
    w = _undouble(w)  # doubled letters (Savva / Sava)
    w = re.sub(r"[iyj]+$", "", w)  # final -iy / -ij / -y / -i / -ii
    w = re.sub(r"(?<=[^aeiou])y(?=[^aeiou]|$)", "i", w)
    return w


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """Metaphone of the transliteration key: names rendered by ear (Kolbi / Colby) share it."""
    key = translit_key(word)
    return jellyfish.metaphone(key) if key else ""


def _skeleton(word: str) -> str:
    """First letter plus consonants (Alexander / Aleksandr -> alxndr)."""
    key = translit_key(word).replace("c", "k")
    return key[:1] + re.sub(r"[aeiouy]", "", key[1:])


@lru_cache(maxsize=65536)
def slavic_bases(surname: str) -> frozenset[str]:
    """Candidate masculine nominative forms of a (folded) Slavic surname with a case or female ending."""
    s = fold(surname)
    out: set[str] = set()
    for ending, repl in (
        ("skaya", "sky"), ("skoy", "sky"), ("skogo", "sky"), ("skomu", "sky"), ("skim", "sky"),
        ("tskaya", "tsky"), ("ova", "ov"), ("eva", "ev"), ("yova", "yov"), ("ina", "in"), ("yna", "yn"),
        ("ovu", "ov"), ("evu", "ev"), ("inu", "in"), ("ovym", "ov"), ("evym", "ev"), ("ovim", "ov"),
        ("inym", "in"), ("ove", "ov"), ("eve", "ev"), ("ine", "in"), ("ovoy", "ov"), ("ovoi", "ov"),
        ("evoy", "ev"), ("inoy", "in"), ("aya", "y"), ("ka", "k"), ("ku", "k"), ("kom", "k"),
        ("ke", "k"), ("ya", "y"), ("yu", "y"), ("em", ""), ("om", ""), ("a", ""), ("u", ""), ("e", ""),
    ):
        # One-letter endings need a longer stem: "Rice" is not a case form of "Ric".
        if s.endswith(ending) and len(s) - len(ending) >= (4 if len(ending) == 1 else 3):
            out.add(s[: len(s) - len(ending)] + repl)
    return frozenset(out)


def female_surnames_match(a: str, b: str) -> bool:
    """Two renderings of one woman's Slavic surname: one stem under other endings (Galetskaya / Galetcka).

    Only for two forms both read with a woman's given name: the caller checks that.
    """

    def stems(s: str) -> set[str]:
        return {translit_key(s)} | {translit_key(x) for x in slavic_bases(s)}

    return bool(stems(strip_particle(fold(a))) & stems(strip_particle(fold(b))))


def is_female_given(given: str) -> bool:
    """A given name that marks a woman in Slavic naming (ends in -a/-ya, not a male exception)."""
    g = fold(given)
    return g.endswith("a") and g not in _MALE_A_NAMES and len(g) > 2


# Common given names that mark a woman or a man in English-language news (a pronoun after the name must
# agree). Short on purpose: a name missing here is of unknown gender, never guessed from its ending.
_FEMALE_GIVEN = words(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
    sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura
    sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole ruth katherine samantha
    christine emma catherine debra virginia rachel carolyn janet maria heather diane julie joyce victoria
    christina joan evelyn lauren judith olivia martha cheryl megan andrea hannah jacqueline ann
    alice kathryn gloria teresa doris sara janice julia marie madison grace judy theresa beverly
    denise marilyn amber danielle abigail brittany rose diana natalie sophia lori kayla jane
    hillary nikki nancy condoleezza kamala elizabeth angela theresa melania ivanka kellyanne sarah
    susana sonia valentina natalia olga irina elena tatiana svetlana ekaterina yulia marina ludmila
    oprah beyonce rihanna madonna hailey chelsea tiffany monica erin jill heidi"""
)
_MALE_GIVEN = words(
    """james john robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason
    jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
    gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas
    zachary peter kyle walter ethan jeremy harold keith christian roger noah gerald carl sean
    austin arthur lawrence jesse dylan bryan joe billy bruce albert willie gabriel logan alan
    juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip johnny barack bill mike
    mitch chuck newt rand ted jeb marco bernie vladimir sergei sergey dmitry alexei ivan igor boris
    nikolai mikhail craig jared reince sean rex jeff steve tom tim jim bob dick ron"""
)


def given_gender(given: str) -> str:
    """"f" or "m" for a common given name that marks a woman or a man, "" when unknown."""
    g = fold(given)
    if g in _FEMALE_GIVEN and g not in _MALE_GIVEN:
        return "f"
    if g in _MALE_GIVEN and g not in _FEMALE_GIVEN:
        return "m"
    return ""


def _canonical_given(g: str) -> str:
    g = fold(g)
    return _NICKNAMES.get(g, g)


def given_compatible(a: str, b: str) -> bool:
    """Two given names that can denote the same person (variant spellings, initials, short forms)."""
    a, b = fold(a), fold(b)
    if not a or not b:
        return True
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    if _gendered_e_pair(a, b):  # Michel / Michelle share a skeleton, not a person
        return False
    if translit_key(a) == translit_key(b):
        return True
    ca, cb = _canonical_given(a), _canonical_given(b)
    if ca == cb or translit_key(ca) == translit_key(cb):
        return True
    # Transliteration families the key does not reach (Alexander / Aleksandr, Evgeniy / Yevgeni).
    sa, sb = _skeleton(a), _skeleton(b)
    return len(sa) >= 4 and sa == sb


def given_typo(a: str, b: str) -> bool:
    """Two given names one typing slip apart ("Cornad" / "Conrad"): a swap, a wrong or a missing letter.

    Only for names long enough that one slip does not make another real name, and never across a
    male / female pair ("Daniel" / "Daniela"). The caller must check the story context as well.
    """
    a, b = fold(a), fold(b)
    if a == b or min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    if is_female_given(a) != is_female_given(b) or _gendered_e_pair(a, b):
        return False
    if OSA.distance(a, b) <= 1:
        return True
    # One slip on top of a transliteration variant: doubled letters and a final -i/-y set aside
    # (Annett / Anette, Nikoloai / Nikolay) ...
    if OSA.distance(translit_key(a), translit_key(b)) <= 1:
        return True
    # ... or two consonants swapped once vowels are set aside (Aleskandr / Alexander).
    sa, sb = _skeleton(a).replace("x", "ks"), _skeleton(b).replace("x", "ks")
    return len(sa) == len(sb) >= 5 and OSA.distance(sa, sb) == 1 and Levenshtein.distance(sa, sb) == 2


def _gendered_e_pair(a: str, b: str) -> bool:
    """A man's name and its feminine in -e (Louis / Louise, Michel / Michelle), doubled letters aside."""
    short, long_ = sorted((_undouble(a), _undouble(b)), key=len)
    return long_ == short + "e" and short in _MALE_E_NAMES


@lru_cache(maxsize=65536)
def surname_match(a: str, b: str) -> NameMatch:
    """How two folded surnames relate (particles ignored)."""
    a, b = strip_particle(fold(a)), strip_particle(fold(b))
    if not a or not b:
        return NameMatch.NONE
    if a == b:
        return NameMatch.EXACT
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return NameMatch.TRANSLIT
    if b in slavic_bases(a) or a in slavic_bases(b) or ka in {translit_key(x) for x in slavic_bases(b)} or kb in {
        translit_key(x) for x in slavic_bases(a)
    }:
        return NameMatch.CASE_ENDING
    # Metaphone alone equates many short names (Rice / Rose): also require the spellings to be close
    # once vowels, which transliteration by ear changes most, are set aside.
    if (
        len(ka) >= 3
        and len(kb) >= 3
        and phonetic_key(a) == phonetic_key(b)
        and (_skeleton(a) == _skeleton(b) or Levenshtein.normalized_similarity(ka, kb) >= 0.6)
    ):
        return NameMatch.PHONETIC
    return NameMatch.NONE


def looks_like_name_token(token: str) -> bool:
    """A capitalised word (or a particle) that can be part of a name."""
    if not token:
        return False
    if fold(token) in PARTICLES:
        return True
    return (token[0].isupper() and any(c.islower() for c in token[1:])) or (len(token) <= 3 and token.isupper())

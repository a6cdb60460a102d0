"""Cheap fingerprints and indexes that propose candidate article pairs (sub-quadratic).

Three complementary views, each indexed so that a corpus never needs all pairs:
- word shingles → MinHash → LSH (datasketch): verbatim and edited copies;
- article and passage embeddings → random-hyperplane (SimHash) LSH: retellings and re-translations in
  the same language, including a passage bundled inside a longer article;
- anchor keys (numbers and a transliterated consonant skeleton of capitalised names) → an inverted
  index: translations across languages, which share almost no shingles but keep names and numbers.
The costly sentence alignment (``alignment.py``) runs only on the pairs these propose.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from storydesk.errors import SettingsError

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"\b[^\W\d_][\w'’-]*", re.UNICODE)

# A plain Cyrillic → Latin table (close to the news-agency romanisation). It need not be exact:
# anchor keys keep only a consonant skeleton, which absorbs most spelling differences.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
    "ґ": "g",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_TRANSLIT = str.maketrans({**_CYRILLIC, **_GREEK})
_VOWELS = set("aeiouy")


def normalise_words(text: str) -> list[str]:
    """Lower-cased word tokens with accents folded: the unit of shingles and lexical overlap."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(folded)


def shingles(words: Sequence[str], size: int) -> set[str]:
    """Contiguous word n-grams; a text shorter than ``size`` words is one shingle."""
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@functools.cache
def _template(num_perm: int) -> MinHash:
    return MinHash(num_perm=num_perm)


def minhash(shingle_set: Iterable[str], num_perm: int) -> MinHash:
    # Drawing the permutations is a tenth of the cost of a short article: draw them once.
    template = _template(num_perm)
    m = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
    encoded = [s.encode("utf-8") for s in shingle_set]
    if encoded:
        m.update_batch(encoded)
    return m


def transliterate(word: str) -> str:
    """Latin letters for a word in Cyrillic, Greek or accented Latin script (lower case)."""
    lowered = word.lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if "a" <= c <= "z")


def consonant_skeleton(word: str, length: int = 4) -> str:
    """The first consonants of a transliterated word, doubled letters collapsed.

    "Дегтярева" and "Degtyarev" both give "dgtr"; "Трамп" and "Trump" both give "trmp". Case endings
    and vowel spellings differ across languages, the leading consonants rarely do.
    """
    latin = transliterate(word)
    out: list[str] = []
    for ch in latin:
        if ch in _VOWELS or (out and out[-1] == ch):
            continue
        out.append(ch)
        if len(out) == length:
            break
    return "".join(out)


def anchor_keys(text: str, min_skeleton: int = 3) -> set[str]:
    """Language-neutral anchors: numbers (2+ digits) and name skeletons of capitalised words."""
    keys: set[str] = set()
    for num in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", num)
        if len(digits) >= 2:
            keys.add("#" + digits.lstrip("0")[:8] if digits.strip("0") else "#0")
    for word in _CAPITALISED.findall(text):
        if not word[0].isupper() or len(word) < 4:
            continue
        skeleton = consonant_skeleton(word)
        if len(skeleton) >= min_skeleton:
            keys.add(skeleton)
    return keys


class ShingleIndex:
    """MinHash LSH over word shingles: proposes pairs whose estimated Jaccard ≥ ``threshold``."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        if not 0.0 < threshold < 1.0:
            raise SettingsError(f"[link] lsh_threshold must be between 0 and 1, not {threshold}")
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}

    def insert(self, key: str, signature: MinHash) -> None:
        self._lsh.insert(key, signature)
        self._hashes[key] = signature

    def query(self, signature: MinHash) -> list[str]:
        return list(self._lsh.query(signature))

    def pairs(self) -> set[tuple[str, str]]:
        """Every unordered pair of inserted keys that collide in some band."""
        out: set[tuple[str, str]] = set()
        for key, signature in self._hashes.items():
            for other in self._lsh.query(signature):
                if other != key:
                    out.add((key, other) if key < other else (other, key))
        return out


class VectorIndex:
    """Random-hyperplane LSH (SimHash) over unit vectors.

    Items are (owner, vector); a pair of owners is proposed when two of their vectors share a bucket
    in some table and their cosine is at least ``min_cosine``. The number of bits per table grows with
    the log of the number of vectors (buckets stay about ``bucket_target`` large), and the number of
    tables is the one that finds a pair at ``min_cosine`` with probability ``recall``. Buckets larger
    than ``max_bucket`` are skipped: they hold generic vectors that would make the work quadratic.
    """

    def __init__(
        self,
        *,
        min_cosine: float,
        recall: float,
        bucket_target: int,
        max_tables: int,
        max_bucket: int,
        seed: int = 13,
    ) -> None:
        if not 0.0 < recall < 1.0:
            raise SettingsError(f"[link] vector_recall must be between 0 and 1, not {recall}")
        self.min_cosine = min_cosine
        self.recall = recall
        self.bucket_target = bucket_target
        self.max_tables = max_tables
        self.max_bucket = max_bucket
        self._seed = seed
        self._owners: list[str] = []
        self._vectors: list[npt.NDArray[np.float32]] = []

    def add(self, owner: str, vectors: npt.NDArray[np.float32]) -> None:
        for row in vectors:
            self._owners.append(owner)
            self._vectors.append(row)

    def shape(self, n: int) -> tuple[int, int]:
        """(tables, bits) for ``n`` vectors."""
        bits = min(20, max(6, math.ceil(math.log2(max(n, 2) / self.bucket_target))))
        p_bit = 1.0 - math.acos(max(-1.0, min(1.0, self.min_cosine))) / math.pi
        p_table = p_bit**bits
        tables = math.ceil(math.log(1.0 - self.recall) / math.log(1.0 - p_table))
        return max(1, min(self.max_tables, tables)), bits

    def pairs(self, center: bool = True) -> dict[tuple[str, str], float]:
        """Candidate owner pairs with the best cosine seen between their vectors."""
        if len(self._vectors) < 2:
            return {}
        matrix = np.vstack(self._vectors).astype(np.float32)
        if center and len(matrix) >= 8:
            # Mean sentence embeddings all lean the same way; removing the shared direction spreads
            # them over the hyperplanes, so that buckets hold near neighbours and stay small.
            hashed = matrix - matrix.mean(axis=0, keepdims=True)
        else:
            hashed = matrix
        tables, bits = self.shape(len(matrix))
        rng = np.random.default_rng(self._seed)
        weights = (1 << np.arange(bits, dtype=np.int64)).astype(np.int64)
        owner_ids = {o: i for i, o in enumerate(dict.fromkeys(self._owners))}
        names = list(owner_ids)
        owners = np.array([owner_ids[o] for o in self._owners], dtype=np.int64)
        best: dict[tuple[int, int], float] = {}
        for _ in range(tables):
            planes = rng.standard_normal((bits, matrix.shape[1])).astype(np.float32)
            codes = ((hashed @ planes.T) > 0).astype(np.int64) @ weights
            order = np.argsort(codes, kind="stable")
            sorted_codes = codes[order]
            cuts = np.flatnonzero(np.diff(sorted_codes)) + 1
            for members in np.split(order, cuts):
                if len(members) < 2 or len(members) > self.max_bucket:
                    continue
                member_owners = owners[members]
                if (member_owners == member_owners[0]).all():
                    continue
                sims = matrix[members] @ matrix[members].T
                rows, cols = np.nonzero(np.triu(sims >= self.min_cosine, k=1))
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                    a, b = int(member_owners[r]), int(member_owners[c])
                    if a == b:
                        continue
                    key = (a, b) if a < b else (b, a)
                    sim = float(sims[r, c])
                    if sim > best.get(key, -1.0):
                        best[key] = sim
        out: dict[tuple[str, str], float] = {}
        for (a, b), sim in best.items():
            na, nb = names[a], names[b]
            out[(na, nb) if na < nb else (nb, na)] = sim
        return out


class AnchorIndex:
    """Inverted index over anchor keys, scored by IDF; proposes the best-sharing pairs per item.

    Keys held by more than ``max_df`` items are ignored (they are common words or years that every
    article in a topic shares); each item keeps its ``top_k`` partners with score ≥ ``min_score``.
    """

    def __init__(self, *, top_k: int, min_score: float, max_df: int) -> None:
        self.top_k = top_k
        self.min_score = min_score
        self.max_df = max_df
        self._keys: dict[str, set[str]] = {}
        self._groups: dict[str, str] = {}

    def add(self, owner: str, keys: set[str], group: str) -> None:
        """``group`` is e.g. the language: only items of different groups are paired."""
        self._keys[owner] = keys
        self._groups[owner] = group

    def pairs(self) -> dict[tuple[str, str], float]:
        postings: dict[str, list[str]] = defaultdict(list)
        for owner, keys in self._keys.items():
            for key in keys:
                postings[key].append(owner)
        n = max(len(self._keys), 1)
        idf = {k: math.log(1 + n / len(v)) for k, v in postings.items() if 1 < len(v) <= self.max_df}
        best: dict[tuple[str, str], float] = {}
        for owner, keys in self._keys.items():
            scores: dict[str, float] = defaultdict(float)
            for key in keys:
                weight = idf.get(key)
                if weight is None:
                    continue
                for other in postings[key]:
                    if other != owner and self._groups[other] != self._groups[owner]:
                        scores[other] += weight
            own = sum(idf.get(k, 0.0) for k in keys) or 1.0
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])[: self.top_k]
            for other, score in ranked:
                other_total = sum(idf.get(k, 0.0) for k in self._keys[other]) or 1.0
                # Normalised like a Dice coefficient, so that long articles do not win by size.
                norm = 2 * score / (own + other_total)
                if norm >= self.min_score:
                    found = (owner, other) if owner < other else (other, owner)
                    best[found] = max(best.get(found, 0.0), norm)
        return best

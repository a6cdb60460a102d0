"""``storydesk serve``: the HTTP API (FastAPI), bound to 127.0.0.1 unless told otherwise.

- ``POST /articles``: a JSON list of articles (or ``{"articles": [...]}``), or one raw ``text/plain`` or
  ``text/html`` body with its metadata in the query string. Articles go into the story store.
- ``GET /stories``, ``GET /stories/{id}``: the stories, most recently active first.
- ``GET /stories/{id}/brief`` (JSON contract) and ``GET /stories/{id}/brief.html`` (the report).
- ``GET /docs``: the API reference, rendered offline from ``/openapi.json``; ``GET /``: a web page.

Requests never name files: the API reads only the bodies it is sent and never fetches URLs. Bodies over
``[serve] max_request_bytes`` get 413, malformed ones 400/415/422 with a message saying what to fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from starlette.types import ASGIApp, Receive, Scope, Send

from storydesk import __version__
from storydesk.serve.service import CachedBrief, StoryService
from storydesk.settings import Settings, load_settings

__all__ = ["create_app", "serve"]

# Article ids become DOM ids and database keys, never file names; still, refuse anything path-like.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
STORY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"
StoryId = Annotated[str, Path(pattern=STORY_ID_PATTERN, description="a story id from GET /stories")]
_EARLIEST, _LATEST = 1900, 2100  # a publish date outside this is a typo, and breaks date arithmetic
_FORBIDDEN_CHARS = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates cannot be stored


# --------------------------------------------------------------------------------------------
# request and response models
# --------------------------------------------------------------------------------------------


def _check_text(value: str, name: str) -> str:
    if _FORBIDDEN_CHARS.search(value):
        raise ValueError(f"{name} contains a NUL character or an unpaired surrogate; send valid Unicode text")
    return value


def _parse_published(value: object) -> dt.datetime | None:
    """An ISO 8601 date or date-time string (a bare number is not taken for a Unix time)."""
    if value is None or isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"published {value!r} is not an ISO 8601 date like 2021-03-08 or 2021-03-08T09:30Z") from None
    else:
        raise ValueError("published must be an ISO 8601 date string like 2021-03-08")
    if parsed is not None and not _EARLIEST <= parsed.year <= _LATEST:
        raise ValueError(f"published year {parsed.year} is outside {_EARLIEST}–{_LATEST}")
    return parsed


class ArticleIn(BaseModel):
    """One article: its text or its HTML page, and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None, pattern=ID_PATTERN, description="stable id (letters, digits, . _ -); default: a hash of the content"
    )
    title: str = Field("", max_length=1000)
    text: str | None = Field(None, description="plain text (give text or html, not both)")
    html: str | None = Field(None, description="the page's HTML; the main text is extracted")
    url: str = Field("", max_length=2048, description="where it was published (recorded, never fetched)")
    outlet: str = Field("", max_length=300)
    published: dt.datetime | None = Field(None, description="ISO 8601 date and time")

    @field_validator("title", "text", "html", "url", "outlet")
    @classmethod
    def _valid_text(cls, value: str | None, info: Any) -> str | None:
        return _check_text(value, info.field_name) if value is not None else None

    @field_validator("published", mode="before")
    @classmethod
    def _valid_published(cls, value: object) -> dt.datetime | None:
        return _parse_published(value)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        given = [name for name in ("text", "html") if name in self.model_fields_set]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text' or 'html'")
        value = getattr(self, given[0])
        if value is None:
            raise ValueError(f"'{given[0]}' must be a string, not null")
        if not value.strip():
            raise ValueError(f"'{given[0]}' is empty; give exactly one of 'text' or 'html' with some content")
        return self


_ARTICLES: TypeAdapter[list[ArticleIn]] = TypeAdapter(list[ArticleIn])


class IngestEntryOut(BaseModel):
    id: str
    status: Literal["new", "duplicate", "skipped", "failed"]
    story_id: str = ""
    duplicate_of: str = ""
    code: str = Field("", description="reason code when skipped or failed (see errors.Reason)")
    reason: str = ""


class IngestOut(BaseModel):
    entries: list[IngestEntryOut]
    stories: list[str] = Field(description="ids of the stories that received articles")
    new: int
    duplicates: int
    skipped: int


class StoryOut(BaseModel):
    id: str
    headline: str
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None
    brief: str = Field(description="URL of the brief as JSON")
    html: str = Field(description="URL of the brief as an HTML report")


class ErrorOut(BaseModel):
    detail: Any = Field(description="a message, or the list of validation errors")
    message: str = ""


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    stories: int


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body cannot be decoded (bad JSON or charset)"},
    413: {"model": ErrorOut, "description": "The request is larger than [serve] max_request_bytes"},
    415: {"model": ErrorOut, "description": "Unsupported Content-Type"},
    422: {"model": ErrorOut, "description": "The request does not match the schema; the message says what to fix"},
}

_ARTICLE_SCHEMA = {"$ref": "#/components/schemas/ArticleIn"}
_POST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"type": "array", "items": _ARTICLE_SCHEMA},
                    {
                        "type": "object",
                        "properties": {"articles": {"type": "array", "items": _ARTICLE_SCHEMA}},
                        "required": ["articles"],
                        "additionalProperties": False,
                    },
                ]
            }
        },
        "text/plain": {"schema": {"type": "string", "minLength": 1}},
        "text/html": {"schema": {"type": "string", "minLength": 1}},
    },
}


# --------------------------------------------------------------------------------------------
# size limit
# --------------------------------------------------------------------------------------------


class BodySizeLimit:
    """Refuse a request whose declared body is too large before reading any of it (413)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope.get("headers") or []).get(b"content-length")
            problem: tuple[int, str] | None = None
            if declared is not None:
                try:
                    size = int(declared)
                except ValueError:
                    problem = (400, "Content-Length is not a number")
                else:
                    if size > self.max_bytes:
                        problem = (413, f"the body is {size:,} bytes; the limit is {self.max_bytes:,}")
            if problem is not None:
                response = JSONResponse({"detail": problem[1], "message": problem[1]}, status_code=problem[0])
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _read_body(request: Request, max_bytes: int) -> bytes:
    """The body, read in chunks so that a chunked upload cannot exceed the limit either."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HTTPException(413, f"the body is over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# the app
# --------------------------------------------------------------------------------------------


def _content_id(content: str) -> str:
    return "a-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",))
        parts.append(f"{where}: {err.get('msg', '')}" if where else str(err.get("msg", "")))
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def _article_schema() -> dict[str, Any]:
    schema = ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
    schema["properties"]["published"] = {
        "anyOf": [{"type": "string", "pattern": ISO_DATE_PATTERN}, {"type": "null"}],
        "description": "ISO 8601 date or date-time, e.g. 2021-03-08 or 2021-03-08T09:30:00+01:00",
    }
    for name in ("text", "html"):  # a body is a non-blank string; "exactly one of them" is the oneOf
        schema["properties"][name] = {
            "type": "string",
            "minLength": 1,
            "pattern": r"\S",
            "description": schema["properties"][name].get("description", ""),
        }
    schema["oneOf"] = [
        {"required": ["text"], "not": {"required": ["html"]}},
        {"required": ["html"], "not": {"required": ["text"]}},
    ]
    return schema


def _to_inputs(articles: list[ArticleIn]) -> list[Any]:
    from storydesk.ingest.base import InlineInput

    docs: list[InlineInput] = []
    seen: set[str] = set()
    for i, article in enumerate(articles):
        content = article.text if article.text is not None else article.html or ""
        aid = article.id or _content_id(content)
        if aid in seen:
            raise HTTPException(422, f"articles[{i}]: id {aid!r} is used twice in this request")
        seen.add(aid)
        docs.append(
            InlineInput(
                id=aid,
                content=content,
                format="text" if article.text is not None else "html",
                title=article.title,
                url=article.url,
                outlet=article.outlet,
                published=article.published,
            )
        )
    return docs


@dataclass(slots=True, frozen=True)
class _DocRow:
    name: str
    where: str
    type: str
    about: str
    required: bool


@dataclass(slots=True)
class _DocOp:
    verb: str
    path: str
    summary: str
    parameters: list[_DocRow]
    body: str
    responses: list[tuple[str, str]]


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    fmt = schema.get("format")
    return f"{schema.get('type', 'any')}{f' ({fmt})' if fmt else ''}"


def _api_reference(spec: dict[str, Any]) -> tuple[list[_DocOp], list[tuple[str, list[_DocRow]]]]:
    """The OpenAPI document flattened into rows the docs page can show without any script."""
    ops: list[_DocOp] = []
    for path, verbs in spec.get("paths", {}).items():
        for verb, op in verbs.items():
            params = [
                _DocRow(
                    name=p["name"],
                    where=p.get("in", ""),
                    type=_type_of(p.get("schema", {})),
                    about=p.get("description") or p.get("schema", {}).get("description", ""),
                    required=bool(p.get("required")),
                )
                for p in op.get("parameters", [])
            ]
            body = ", ".join(op.get("requestBody", {}).get("content", {}))
            summary = op.get("summary", "") + (f". {op['description']}" if op.get("description") else "")
            responses = [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()]
            ops.append(_DocOp(verb=verb, path=path, summary=summary, parameters=params, body=body, responses=responses))
    schemas: list[tuple[str, list[_DocRow]]] = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        rows = [
            _DocRow(name=f, where="", type=_type_of(fs), about=fs.get("description", ""), required=f in required)
            for f, fs in schema.get("properties", {}).items()
        ]
        schemas.append((name, rows))
    return ops, schemas


def create_app(settings: Settings | None = None, service: StoryService | None = None) -> FastAPI:
    """The API over one story store (``[store] path``, or RAM when ``[serve] database = "memory"``)."""
    settings = settings or load_settings()
    service = service or StoryService(settings)
    limits = settings.serve

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="storydesk",
        version=__version__,
        description="Turn news coverage into a verified story brief. Post articles, list stories, read briefs.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; /docs below works offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        # the POST body is parsed by hand (three content types), so its schema is added here
        spec = build_openapi()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        if "ArticleIn" not in schemas:
            schemas["ArticleIn"] = _article_schema()
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_request_bytes)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(exc.errors(), custom_encoder={ValueError: str, bytes: lambda b: repr(b)})
        return JSONResponse({"detail": errors, "message": _validation_message(errors)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else _validation_message(exc.detail)
        return JSONResponse({"detail": exc.detail, "message": message}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.post(
        "/articles",
        status_code=201,
        response_model=IngestOut,
        responses={**_ERRORS, 200: {"model": IngestOut, "description": "Nothing new was stored"}},
        openapi_extra={"requestBody": _POST_BODY},
        summary="Add articles",
        description=(
            "JSON: a list of articles (or {\"articles\": [...]}), each with `text` or `html`. "
            "Raw `text/plain` or `text/html`: one article, with `id`, `title`, `url`, `outlet` and "
            "`published` in the query string. URLs are recorded, never fetched."
        ),
    )
    async def post_articles(
        request: Request,
        id: Annotated[str | None, Query(pattern=ID_PATTERN, description="id of a raw-body article")] = None,
        title: Annotated[str, Query(max_length=1000)] = "",
        url: Annotated[str, Query(max_length=2048)] = "",
        outlet: Annotated[str, Query(max_length=300)] = "",
        published: Annotated[str | None, Query(pattern=ISO_DATE_PATTERN, description="ISO 8601 date or date-time")] = None,
    ) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request, limits.max_request_bytes)
        if media == "application/json" or media.endswith("+json"):
            try:
                data = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise HTTPException(400, f"the body is not valid JSON: {exc}") from None
            # pick the shape first, so that errors point at "articles.0.text", not at a union member
            if isinstance(data, dict):
                items, prefix = data.get("articles"), "articles"
                extra = sorted(set(data) - {"articles"})
                if extra or not isinstance(items, list):
                    raise HTTPException(422, 'a JSON object body must be {"articles": [...]} and nothing else')
            elif isinstance(data, list):
                items, prefix = data, "articles"
            else:
                raise HTTPException(422, 'the body must be a JSON list of articles or {"articles": [...]}')
            try:
                articles = _ARTICLES.validate_python(items)
            except ValidationError as exc:
                errors = jsonable_encoder(exc.errors(include_url=False, include_context=False, include_input=False))
                for err in errors:
                    err["loc"] = [prefix, *err["loc"]]
                return JSONResponse({"detail": errors, "message": _validation_message(errors)}, status_code=422)
        elif media in ("text/plain", "text/html"):
            charset = request.headers.get("content-type", "").partition("charset=")[2].strip(' "\'') or "utf-8"
            try:
                content = body.decode(charset)
            except (LookupError, UnicodeDecodeError) as exc:
                raise HTTPException(400, f"the body cannot be decoded as {charset}: {exc}") from None
            fields: dict[str, Any] = {"id": id, "title": title, "url": url, "outlet": outlet, "published": published}
            fields["html" if media == "text/html" else "text"] = content
            try:
                articles = [ArticleIn(**fields)]
            except ValidationError as exc:
                errors = jsonable_encoder(exc.errors(include_url=False, include_context=False, include_input=False))
                return JSONResponse({"detail": errors, "message": _validation_message(errors)}, status_code=422)
        else:
            raise HTTPException(
                415, f"Content-Type {media or '(none)'} is not supported; send application/json, text/plain or text/html"
            )
        if not articles:
            raise HTTPException(422, "the list of articles is empty")
        if len(articles) > limits.max_articles_per_request:
            raise HTTPException(
                413, f"{len(articles)} articles in one request; the limit is {limits.max_articles_per_request}"
            )
        docs = _to_inputs(articles)
        report = await run_in_threadpool(service.ingest, docs)
        out = IngestOut(
            entries=[
                IngestEntryOut(id=e.id, status=e.status, story_id=e.story_id, duplicate_of=e.duplicate_of,
                               code=e.code, reason=e.reason)
                for e in report.entries
            ],
            stories=report.stories_touched,
            new=report.new,
            duplicates=report.duplicates,
            skipped=report.count("skipped") + report.count("failed"),
        )
        return JSONResponse(jsonable_encoder(out), status_code=201 if report.new else 200)

    def _story_out(row: Any) -> StoryOut:
        return StoryOut(
            id=row.id,
            headline=row.headline,
            articles=row.size,
            first_date=row.first_date,
            last_date=row.last_date,
            brief=f"/stories/{row.id}/brief",
            html=f"/stories/{row.id}/brief.html",
        )

    not_found: dict[int | str, dict[str, Any]] = {
        404: {"model": ErrorOut, "description": "No such story"},
        422: _ERRORS[422],
    }

    @app.get("/stories", response_model=list[StoryOut], summary="List stories, most recently active first")
    async def get_stories() -> list[StoryOut]:
        rows = await run_in_threadpool(service.stories)
        return [_story_out(r) for r in rows]

    @app.get("/stories/{story_id}", response_model=StoryOut, responses=not_found, summary="One story")
    async def get_story(story_id: StoryId) -> StoryOut:
        row = await run_in_threadpool(service.story, story_id)
        if row is None:
            raise HTTPException(404, f"no story {story_id!r}; GET /stories lists them")
        return _story_out(row)

    async def _brief(story_id: str) -> CachedBrief:
        # a cached, rendered brief is served straight from the event loop: under load, hopping to the
        # thread pool for a dict lookup costs more than the lookup
        cached = service.cached(story_id)
        if cached is None or not cached.ready:
            cached = await run_in_threadpool(service.brief, story_id)
            if cached is None:
                raise HTTPException(404, f"no story {story_id!r}; GET /stories lists them")
            await run_in_threadpool(cached.json_bytes)
            await run_in_threadpool(cached.html_bytes)
        return cached

    @app.get(
        "/stories/{story_id}/brief",
        responses={**not_found, 200: {"description": "The brief (JSON contract, docs/brief.schema.json)",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
        response_class=Response,
        summary="A story's brief as JSON",
    )
    async def get_brief(story_id: StoryId) -> Response:
        cached = await _brief(story_id)
        return Response(cached.json_bytes(), media_type="application/json")

    @app.get(
        "/stories/{story_id}/brief.html",
        response_class=Response,  # HTMLResponse here would document the JSON errors as text/html
        responses={**not_found, 200: {"description": "The brief as one self-contained HTML page",
                                      "content": {"text/html": {"schema": {"type": "string"}}}}},
        summary="A story's brief as an HTML report",
    )
    async def get_brief_html(story_id: StoryId) -> Response:
        cached = await _brief(story_id)
        return HTMLResponse(cached.html_bytes())

    @app.get("/health", response_model=HealthOut, summary="Liveness and the number of stories")
    async def health() -> HealthOut:
        rows = await run_in_threadpool(service.stories)
        return HealthOut(status="ok", version=__version__, stories=len(rows))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        from storydesk.write.html import render_template

        rows = await run_in_threadpool(service.stories)
        return HTMLResponse(render_template("index.html.j2", stories=[_story_out(r) for r in rows],
                                            version=__version__))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        from storydesk.write.html import render_template

        spec = app.openapi()
        ops, schemas = _api_reference(spec)
        return HTMLResponse(render_template("api.html.j2", info=spec.get("info", {}), ops=ops, schemas=schemas,
                                            version=__version__))

    return app


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the API with uvicorn until interrupted (127.0.0.1 unless ``host`` says otherwise)."""
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=host or settings.serve.host,
        port=port if port is not None else settings.serve.port,
        log_level="info",
        server_header=False,
    )

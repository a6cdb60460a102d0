"""The brief JSON contract (schema_version 1; docs/brief.schema.json).

``brief_to_dict`` is the one place records become the contract's JSON shape: the CLI, the store and the
HTTP API all use it. Extra fields beyond the contract are allowed and documented in the schema.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from storydesk.records import (
    Article,
    Brief,
    Contradiction,
    Entity,
    Fact,
    InputRecord,
    ProvenanceLink,
    Quote,
    StageStats,
    Story,
    SummarySentence,
    TimelineEntry,
)

SCHEMA_VERSION = "1"


def _date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _timeline_date(entry: TimelineEntry) -> str:
    if entry.precision == "year":
        return f"{entry.date.year:04d}"
    if entry.precision == "month":
        return f"{entry.date.year:04d}-{entry.date.month:02d}"
    return entry.date.isoformat()


def input_to_dict(record: InputRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "location": record.location,
        "status": record.status,
        "reason": record.reason,
        "code": record.code,
    }


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": _date(article.published),
        "language": article.language,
        "chars": article.chars,
        "boilerplate_chars": article.boilerplate_chars,
        "original_title": article.original_title,
        "location": article.location,
        "sentences": len(article.sentences),
        "removed": [
            {"reason": b.reason, "chars": len(b.text), "text": b.text[:200]} for b in article.removed
        ],
    }


def _link(link: ProvenanceLink) -> dict[str, Any]:
    return {
        "article": link.article,
        "derived_from": link.derived_from,
        "relation": link.relation,
        "score": round(float(link.score), 4),
        "directed": link.directed,
        "evidence": [
            {
                "article": p.article,
                "text": p.text,
                "derived_text": p.derived_text,
                "score": round(float(p.score), 4),
            }
            for p in link.evidence
        ],
    }


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "articles": list(entity.articles),
        "mentions": entity.mentions,
    }


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "speaker": quote.speaker,
        "speaker_entity": quote.speaker_entity,
        "text": quote.text,
        "articles": list(quote.articles),
        "variants": [{"article": v.article, "text": v.text} for v in quote.variants],
        "cue": quote.cue,
        "direct": quote.direct,
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "text": fact.text,
        "articles": list(fact.articles),
        "independent_sources": fact.independent_sources,
        "mentions": [{"article": m.article, "sentence": m.sentence, "text": m.text} for m in fact.mentions],
    }


def _contradiction(c: Contradiction) -> dict[str, Any]:
    return {
        "about": c.about,
        "kind": c.kind,
        "claims": [{"value": cl.value, "text": cl.text, "articles": list(cl.articles)} for cl in c.claims],
    }


def _summary_sentence(s: SummarySentence) -> dict[str, Any]:
    return {
        "text": s.text,
        "citations": list(s.citations),
        "sources_differ": [
            {
                "about": d.about,
                "kind": d.kind,
                "values": [{"value": v.value, "articles": list(v.articles)} for v in d.values],
            }
            for d in s.sources_differ
        ],
    }


def story_to_dict(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "headline": story.headline,
        "event_date": _date(story.event_date),
        "places": list(story.places),
        "articles": list(story.articles),
        "source_groups": [list(g) for g in story.source_groups],
        "provenance": [_link(link) for link in story.provenance],
        "summary": [_summary_sentence(s) for s in story.summary],
        "entities": [_entity(e) for e in story.entities],
        "quotes": [_quote(q) for q in story.quotes],
        "facts": [_fact(f) for f in story.facts],
        "contradictions": [_contradiction(c) for c in story.contradictions],
        "timeline": [
            {
                "date": _timeline_date(t),
                "precision": t.precision,
                "text": t.text,
                "articles": list(t.articles),
            }
            for t in story.timeline
        ],
    }


def stats_to_dict(stats: dict[str, StageStats]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, s in stats.items():
        out[name] = {
            "items_in": s.items_in,
            "items_out": s.items_out,
            "dropped": dict(s.dropped),
            "seconds": round(s.seconds, 4),
            **{k: v for k, v in s.extra.items()},
        }
    return out


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "inputs": [input_to_dict(r) for r in brief.inputs],
        "articles": [article_to_dict(a) for a in brief.articles],
        "stories": [story_to_dict(s) for s in brief.stories],
        "stats": stats_to_dict(brief.stats),
    }


def write_json(brief: Brief, path: Path) -> Path:
    path.write_text(json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path

"""``brief.md``: the brief for people who read it in a terminal or an editor."""

from __future__ import annotations

from pathlib import Path

from storydesk.records import Article, Brief, Story, SummarySentence
from storydesk.write.brief_json import _timeline_date


def _cite(ids: list[str]) -> str:
    return " ".join(f"[{i}]" for i in ids)


def differ_note(sentence: SummarySentence) -> str:
    """The note after a summary sentence whose claim the sources disagree on, e.g. "(sources differ:
    12 workers in a, b; 14 workers in c)": its own value then reads as one side's, not as settled."""
    notes = [
        "; ".join(f"{v.value} in {', '.join(v.articles)}" for v in d.values) for d in sentence.sources_differ
    ]
    return " ".join(f"(sources differ: {n})" for n in notes)


def _story_md(story: Story, articles: dict[str, Article]) -> list[str]:
    out: list[str] = [f"## {story.headline or story.id}", ""]
    facts = []
    if story.event_date:
        facts.append(f"**When:** {story.event_date.isoformat()}")
    if story.places:
        facts.append(f"**Where:** {', '.join(story.places)}")
    facts.append(
        f"**Coverage:** {_count(len(story.articles), 'article')} from "
        f"{_count(len(story.source_groups) or len(story.articles), 'independent source')}"
    )
    out += ["  \n".join(facts), ""]
    if story.summary:
        out += ["### Summary", ""]
        for s in story.summary:
            note = differ_note(s)
            out.append(f"- {s.text} {_cite(s.citations)}" + (f" {note}" if note else ""))
        out.append("")
    people = [e for e in story.entities if e.type == "PERSON"]
    if people:
        out += ["### Who took part", ""]
        for e in people[:20]:
            aliases = [a for a in e.aliases if a != e.name]
            alias_txt = f" (also: {', '.join(aliases)})" if aliases else ""
            out.append(
                f"- **{e.name}**{alias_txt}: {_count(e.mentions, 'mention')} in {_count(len(e.articles), 'article')}"
            )
        out.append("")
    if story.quotes:
        out += ["### Who said what", ""]
        for q in story.quotes[:25]:
            # Reported speech is the writer's wording: no quote marks, marked as reported.
            shown = f"“{q.text}”" if q.direct else f"(reported) {q.text}"
            out.append(f"- **{q.speaker or 'unknown'}**: {shown} {_cite(q.articles)}")
            for v in q.variants:
                if v.text != q.text:
                    out.append(f"  - variant in [{v.article}]: " + (f"“{v.text}”" if q.direct else v.text))
        out.append("")
    if story.facts:
        out += ["### Facts and their support", ""]
        ranked = sorted(story.facts, key=lambda f: -f.independent_sources)
        for f in ranked[:25]:
            out.append(f"- ({f.independent_sources} independent) {f.text} {_cite(f.articles)}")
        out.append("")
    if story.contradictions:
        out += ["### Where sources disagree", ""]
        for c in story.contradictions:
            out.append(f"- **{c.about}**")
            for cl in c.claims:
                out.append(f"  - {cl.value}: “{cl.text}” {_cite(cl.articles)}")
        out.append("")
    if story.timeline:
        out += ["### Timeline", ""]
        out += [f"- {_timeline_date(t)}: {t.text} {_cite(t.articles)}" for t in story.timeline]
        out.append("")
    if story.provenance:
        out += ["### Who copied whom", ""]
        for link in story.provenance:
            arrow = "→" if link.directed else "↔"
            out.append(
                f"- [{link.derived_from}] {arrow} [{link.article}]: {link.relation} ({link.score:.2f})"
            )
        groups = ", ".join("{" + ", ".join(g) + "}" for g in story.source_groups)
        out += [f"- independent source groups: {groups}", ""]
    out += ["### Articles", ""]
    for aid in story.articles:
        a = articles.get(aid)
        if a is None:
            continue
        date = a.published.date().isoformat() if a.published else "undated"
        outlet = a.outlet or "unknown outlet"
        out.append(f"- [{aid}] {a.title or '(untitled)'}: {outlet}, {date}, {a.language or '?'}")
    out.append("")
    return out


def render_markdown(brief: Brief) -> str:
    articles = {a.id: a for a in brief.articles}
    lines: list[str] = ["# Story brief", ""]
    ok = sum(1 for r in brief.inputs if r.status == "ok")
    lines += [
        f"{ok} of {_count(len(brief.inputs), 'input')} read; {_count(len(brief.stories), 'story', 'stories')}.",
        "",
    ]
    for story in brief.stories:
        lines += _story_md(story, articles)
    bad = [r for r in brief.inputs if r.status != "ok"]
    if bad:
        lines += ["## Inputs not used", ""]
        # the reason names its input for logs ("a.html: ..."): the list already leads with it
        lines += [f"- {r.location}: {r.status} ({r.code}): {r.reason.removeprefix(f'{r.location}: ')}" for r in bad]
        lines.append("")
    return "\n".join(lines)


def write_markdown(brief: Brief, path: Path) -> Path:
    path.write_text(render_markdown(brief), encoding="utf-8")
    return path


def _count(n: int, one: str, many: str | None = None) -> str:
    """ "1 article", "2 articles" (a brief is read by people: no "1 articles")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"

"""A hand-built brief with every section filled, for writer tests."""

from __future__ import annotations

import datetime as dt

from storydesk.records import (
    Article,
    Brief,
    Claim,
    Contradiction,
    Entity,
    Fact,
    InputRecord,
    Passage,
    ProvenanceLink,
    Quote,
    QuoteVariant,
    StageStats,
    Story,
    SummarySentence,
    TimelineEntry,
)


def hand_built_brief() -> Brief:
    a = Article(id="herald", location="herald.html", title="Bridge reopens after storm <repairs>", outlet="Herald",
                url="https://herald.example/bridge", published=dt.datetime(2026, 2, 3, 9, 0), language="en",
                text="The bridge reopened on Monday. Mayor Ana Ruiz said \"we are back\".", boilerplate_chars=120)
    b = Article(id="wire", location="wire.txt", title="Bridge reopens", outlet="Wire", language="en",
                text="The bridge reopened on Monday. Mayor Ana Ruiz said \"we are back\".")
    c = Article(id="post", location="post.txt", title="Storm bridge open again", outlet="Post", language="en",
                text="Traffic crossed the bridge again on Monday, two days after 30 cars were stranded.")
    story = Story(
        id="S1",
        articles=["herald", "wire", "post"],
        headline="Bridge reopens after storm",
        event_date=dt.date(2026, 2, 2),
        places=["Portvale"],
        source_groups=[["herald", "wire"], ["post"]],
        provenance=[ProvenanceLink(article="wire", derived_from="herald", relation="duplicate", score=0.97,
                                   evidence=[Passage(article="herald", text="The bridge reopened on Monday.",
                                                     derived_text="The bridge reopened on Monday.", score=1.0)])],
        summary=[SummarySentence(text="The bridge reopened on Monday.", citations=["herald", "wire"])],
        entities=[Entity(id="E1", name="Ana Ruiz", type="PERSON", aliases=["Ana Ruiz", "Ruiz"],
                         articles=["herald", "wire"], mentions=2)],
        quotes=[Quote(speaker="Ana Ruiz", speaker_entity="E1", text="we are back", articles=["herald", "wire"],
                      variants=[QuoteVariant(article="herald", text="we are back"),
                                QuoteVariant(article="wire", text="we are back")], cue="said")],
        facts=[Fact(id="F1", text="The bridge reopened on Monday.", articles=["herald", "wire", "post"],
                    independent_sources=2)],
        contradictions=[Contradiction(about="cars stranded", kind="count", claims=[
            Claim(value="30", text="30 cars were stranded", articles=["post"]),
            Claim(value="40", text="40 cars were stranded", articles=["herald"])])],
        timeline=[TimelineEntry(date=dt.date(2026, 2, 1), precision="month", text="Storm hits", articles=["post"]),
                  TimelineEntry(date=dt.date(2026, 2, 2), precision="day", text="Bridge reopens",
                                articles=["herald"])],
    )
    inputs = [
        InputRecord(id="herald", location="herald.html"),
        InputRecord(id="wire", location="wire.txt"),
        InputRecord(id="post", location="post.txt"),
        InputRecord(id="junk", location="junk.bin", status="skipped", code="binary",
                    reason="junk.bin: binary file (NUL bytes), not text"),
    ]
    return Brief(inputs=inputs, articles=[a, b, c], stories=[story],
                 stats={"read": StageStats(name="read", items_in=4, items_out=3, dropped={"binary": 1},
                                           seconds=0.01)})

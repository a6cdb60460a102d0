"""Generality checks on real coverage storydesk was never tuned on.

Small multi-source clusters are read from ../shared/datasets at test time (nothing is copied into the
repo): Multi-News validation clusters, a NeuS/AllSides triple and a MultiLing 2011 topic in English.
The assertions are properties any brief must have, whatever the story: every input has a status, the
JSON validates, summary sentences are real sentences quoted from the articles they cite, entities do not
merge different people, timeline dates are plausible and corroboration never exceeds the sources.
The last test feeds random bytes, random unicode and huge lines to the readers and the cleaner.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from storydesk.ingest.base import InlineInput
from storydesk.records import Brief, Entity
from storydesk.write.brief_json import brief_to_dict

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "brief.schema.json").read_text())

# Which clusters: short, news-like Multi-News rows (a teacher's arrest, climbers' bodies found with an
# unrelated charity post mixed in, a campus death), NeuS triples (three outlets, one story each) and
# MultiLing topic 0.
MULTINEWS_ROWS = (4, 7, 8, 13)
NEUS_LINES = (0, 1, 3, 5)
MULTILING_TOPICS = (0,)
CLUSTERS = (
    [f"multinews-{i}" for i in MULTINEWS_ROWS]
    + [f"neus-{i}" for i in NEUS_LINES]
    + [f"multiling-{t}" for t in MULTILING_TOPICS]
)
_OPENING = re.compile(r"[\"'“‘«(\[]?[^\W\d_a-z]|[\"'“‘«(\[]?\d")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _multinews(datasets: Path, row: int) -> list[InlineInput]:
    csv.field_size_limit(1 << 30)
    with (datasets / "multinews_val" / "sample_validation.csv").open(newline="", encoding="utf-8") as f:
        data = list(csv.DictReader(f))
    docs = ast.literal_eval(data[row]["documents"])
    # The dataset flattened paragraph breaks into runs of spaces; give them back as blank lines.
    return [
        InlineInput(id=f"mn{row}-{k}", content=re.sub(r" {3,}", "\n\n", d.strip()), format="text")
        for k, d in enumerate(docs)
        if d.strip()
    ]


def _neus(datasets: Path, line: int) -> list[InlineInput]:
    source = (datasets / "neus_val" / "val.source").read_text(encoding="utf-8").splitlines()[line]
    out = []
    for k, part in enumerate(source.split(" [SEP] ")):
        m = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", part, re.S)
        title, body = (m.group(1), m.group(2)) if m else ("", part)
        out.append(InlineInput(id=f"neus{line}-{k}", content=body, title=title, format="text"))
    return out


def _multiling(datasets: Path, topic: int) -> list[InlineInput]:
    folder = datasets / "multiling2011" / "SourceTexts"
    paths = sorted(folder.glob(f"M{topic:03d}?.english"))
    return [InlineInput(id=p.stem, content=p.read_text(encoding="utf-8", errors="replace"), format="text") for p in paths]


def _inputs(datasets: Path, name: str) -> list[InlineInput]:
    family, number = name.rsplit("-", 1)
    loader = {"multinews": _multinews, "neus": _neus, "multiling": _multiling}[family]
    return loader(datasets, int(number))


@pytest.fixture(scope="module")
def briefs(datasets_dir: Path) -> dict[str, tuple[list[InlineInput], Brief]]:
    """One pipeline run per cluster, shared by every test of this module."""
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings

    settings = load_settings()
    out = {}
    for name in CLUSTERS:
        docs = _inputs(datasets_dir, name)
        assert docs, name
        out[name] = (docs, build_brief(docs, settings))
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


@pytest.mark.parametrize("name", CLUSTERS)
def test_unseen_every_input_has_a_status_and_the_brief_validates(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    docs, brief = briefs[name]
    assert [r.id for r in brief.inputs] == [d.id for d in docs]
    assert all(r.status in ("ok", "skipped", "failed") for r in brief.inputs)
    assert all(r.reason for r in brief.inputs if r.status != "ok")
    assert sum(r.status == "ok" for r in brief.inputs) >= len(docs) - 1, [r.reason for r in brief.inputs]
    assert brief.stories
    # Every article is in exactly one story.
    placed = [a for s in brief.stories for a in s.articles]
    assert sorted(placed) == sorted(a.id for a in brief.articles)
    jsonschema.validate(brief_to_dict(brief), SCHEMA)


@pytest.mark.parametrize("name", CLUSTERS)
def test_unseen_summary_sentences_are_quoted_sentences_of_cited_articles(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    _, brief = briefs[name]
    by_id = {a.id: a for a in brief.articles}
    for story in brief.stories:
        assert story.summary, story.id
        for sentence in story.summary:
            text = sentence.text.strip()
            assert sentence.citations and set(sentence.citations) <= set(story.articles), text
            assert any(_norm(text) in _norm(by_id[c].text) for c in sentence.citations), text
            # A heading, teaser or fragment is not a summary sentence.
            assert _TERMINAL.search(text), text
            assert len(text.split()) >= 6, text
            assert _OPENING.match(text), text  # not the tail of a sentence cut after an abbreviation


def _given_and_family(name: str) -> tuple[str, str] | None:
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", name) if w.lower() not in ("jr", "jr.", "sr", "sr.")]
    if len(words) < 2:
        return None
    return words[0].lower().rstrip("."), words[-1].lower()


def _different(a: str, b: str) -> bool:
    """Clearly different name parts: not an initial, not a prefix, not a spelling variant."""
    if a[0] != b[0]:
        return fuzz.ratio(a, b) < 60
    if len(a) <= 2 or len(b) <= 2 or a.startswith(b) or b.startswith(a):
        return False
    return fuzz.ratio(a, b) < 60


def _false_merges(entity: Entity) -> list[tuple[str, str]]:
    full = [(n, p) for n in {entity.name, *entity.aliases} if (p := _given_and_family(n))]
    bad = []
    for i, (na, (ga, fa)) in enumerate(full):
        for nb, (gb, fb) in full[i + 1 :]:
            swapped = ga == fb and fa == gb  # "Solberg Ingrid" / "Ingrid Solberg"
            if swapped:
                continue
            if (ga == gb and _different(fa, fb)) or (fa == fb and _different(ga, gb)):
                bad.append((na, nb))
    return bad


@pytest.mark.parametrize("name", CLUSTERS)
def test_unseen_entities_never_merge_people_sharing_a_first_name_or_surname(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    _, brief = briefs[name]
    for story in brief.stories:
        for entity in story.entities:
            assert entity.name and entity.mentions >= 1 and entity.articles
            if entity.type == "PERSON":
                assert not _false_merges(entity), (entity.name, entity.aliases)


@pytest.mark.parametrize("name", CLUSTERS)
def test_unseen_timeline_dates_are_plausible(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    _, brief = briefs[name]
    by_id = {a.id: a for a in brief.articles}
    today = dt.date.today()
    for story in brief.stories:
        published = [d for a in story.articles if (d := by_id[a].published_date) is not None]
        dates = [t.date for t in story.timeline]
        assert dates == sorted(dates)
        for entry in story.timeline:
            assert entry.articles and set(entry.articles) <= set(story.articles)
            assert entry.date <= today + dt.timedelta(days=3 * 365), entry.text
            if published:
                # Within 30 years of the coverage: history is fine, a misread number is not.
                assert min(published).year - 30 <= entry.date.year <= max(published).year + 30, entry.text
        if story.event_date and published:
            assert abs(story.event_date.year - max(published).year) <= 1


@pytest.mark.parametrize("name", CLUSTERS)
def test_unseen_independent_sources_never_exceed_source_groups(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    _, brief = briefs[name]
    for story in brief.stories:
        groups = len(set(story.source_group_of().values()))
        assert groups <= len(story.articles)
        for fact in story.facts:
            assert set(fact.articles) <= set(story.articles)
            assert 1 <= fact.independent_sources <= groups, fact.text
            assert fact.independent_sources == story.count_sources(fact.articles), fact.text
        for contradiction in story.contradictions:
            assert len(contradiction.claims) >= 2
            # Two sides of a disagreement come from different articles.
            sides = [set(c.articles) for c in contradiction.claims]
            assert len(set().union(*sides)) >= 2, contradiction.about


# Roundups whose three articles report one event (line 3 mixes in an opinion piece on another topic).
NEUS_ONE_EVENT = (0, 1)


@pytest.mark.parametrize("name", [f"neus-{i}" for i in NEUS_ONE_EVENT])
def test_unseen_one_story_covered_by_three_outlets_is_one_story(
    briefs: dict[str, tuple[list[InlineInput], Brief]], name: str
) -> None:
    """A NeuS roundup is one event reported by a left, a centre and a right outlet: one story."""
    _, brief = briefs[name]
    assert len(brief.stories) == 1, [(s.headline, s.articles) for s in brief.stories]


# --------------------------------------------------------------------------------------------
# robustness: whatever the bytes, every input gets a status and nothing raises
# --------------------------------------------------------------------------------------------

_SUFFIXES = (".txt", ".html", ".jsonl", ".xml", ".json", "", ".md")
_documents = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(min_size=1, max_size=40).map(lambda t: (t * 4000).encode("utf-8", "surrogatepass")),  # huge lines
    st.builds(
        lambda head, body: (f"<html><head><title>{head}</title></head><body><p>{body}</p></body></html>").encode(
            "utf-8", "surrogatepass"
        ),
        st.text(max_size=200),
        st.text(max_size=2000),
    ),
    st.builds(
        lambda body: json.dumps({"title": "t", "text": body}).encode() + b"\n" + body.encode("utf-8", "surrogatepass"),
        st.text(max_size=1000),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(st.tuples(_documents, st.sampled_from(_SUFFIXES)), min_size=1, max_size=4))
def test_unseen_random_inputs_never_raise_and_each_gets_a_status(docs: list[tuple[bytes, str]]) -> None:
    from storydesk.clean.boilerplate import BoilerplateCleaner, CorpusBoilerplateFilter
    from storydesk.ingest.base import read_inputs
    from storydesk.settings import load_settings

    settings_ = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, (data, suffix) in enumerate(docs):
            path = Path(tmp) / f"doc{i}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        records = {}
        articles = []
        for record, article in read_inputs(paths, settings_.read):
            assert record.status in ("ok", "skipped", "failed")
            assert record.status == "ok" or (record.reason and record.code)
            records[record.id] = record
            if article is not None:
                articles.append(article)
        # One record per file (a JSONL file may hold several articles, each with its own record).
        assert len({r.location.split(":")[0] for r in records.values()}) == len(paths)
        cleaner = BoilerplateCleaner(settings_.clean)
        cleaned = list(cleaner.run(iter(articles), records))
        CorpusBoilerplateFilter(settings_.clean).run(cleaned)
        for article in cleaned:
            assert records[article.id].status == "ok"
            for p in article.paragraphs:
                assert article.text[p.start : p.start + len(p.text)] == p.text
        dropped = {a.id for a in articles} - {a.id for a in cleaned}
        assert all(records[i].status != "ok" and records[i].reason for i in dropped)

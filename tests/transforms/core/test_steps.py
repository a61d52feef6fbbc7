"""The step runner (`run_steps`) and the order check (`check_order`), on small stub steps."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import pytest

from transforms.clean.recurrence import RecurringLinesStep
from transforms.clean.text_clean import TextCleanStep
from transforms.core.record import Article, Drop, Markup
from transforms.core.schema import ARTICLES_SCHEMA
from transforms.core.steps import (
    BatchStep,
    Step,
    StepOrderError,
    StepStats,
    check_order,
    run_steps,
)
from transforms.html.captions import HtmlCaptionStep, TextCaptionStep
from transforms.html.extract import ExtractBodyStep, ParseHtmlStep
from transforms.metadata.steps import HtmlMetadataStep
from transforms.pipeline import build_steps
from transforms.read.provides import READ_FIELDS
from transforms.text.decode import DecodeStep
from transforms.text.normalize import NormalizeStep


def doc(i: int, text: str = "one two three", kind: str = "text") -> Article:
    return Article(
        f"d{i}",
        f"p{i}.txt",
        "text",
        kind,  # type: ignore[arg-type]
        text=text,
        markup=Markup(raw=b"bytes", html="<p>x</p>", tree=object(), declared_charset="utf-8"),
    )


class Note(Step):
    """Notes `reason` once on every document it sees."""

    name = "note"
    reads = frozenset({"text"})
    writes = frozenset({"text"})

    def __init__(self, reason: str = "edited", count: int = 1) -> None:
        super().__init__()
        self.reason, self.count = reason, count

    def apply(self, doc: Article) -> Drop | None:
        doc.note(self.reason, self.count)
        return None


class DropIf(Step):
    """Drops the documents whose id is in `ids`."""

    name = "dropper"
    reads = frozenset({"doc_id"})
    writes: frozenset[str] = frozenset()

    def __init__(self, ids: set[str], reason: str = "unwanted") -> None:
        super().__init__()
        self.ids, self.reason = ids, reason

    def apply(self, doc: Article) -> Drop | None:
        return self.drop(self.reason, "by request") if doc.doc_id in self.ids else None


class Boom(Step):
    """Raises on the documents whose id is in `ids`."""

    name = "boom"
    reads = frozenset({"doc_id"})
    writes: frozenset[str] = frozenset()

    def __init__(self, ids: set[str]) -> None:
        super().__init__()
        self.ids = ids

    def apply(self, doc: Article) -> Drop | None:
        if doc.doc_id in self.ids:
            raise KeyError("no such thing")
        return None


class Seen(Step):
    """Remembers the ids it was applied to and whether their markup was still held."""

    name = "seen"
    reads = frozenset({"doc_id"})
    writes: frozenset[str] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.markup_held: list[bool] = []

    def apply(self, doc: Article) -> Drop | None:
        self.ids.append(doc.doc_id)
        self.markup_held.append(doc.markup.held)
        return None


class Gather(BatchStep):
    """Remembers the batch it was given (ids and whether markup was held), notes each doc."""

    name = "gather"
    reads = frozenset({"text"})
    writes = frozenset({"text"})

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail
        self.ids: list[str] = []
        self.markup_held: list[bool] = []

    def apply_batch(self, docs: list[Article]) -> None:
        self.ids = [d.doc_id for d in docs]
        self.markup_held = [d.markup.held for d in docs]
        for d in docs:
            d.note("gathered")
        if self.fail:
            raise RuntimeError("batch broke")


# --- run_steps: counting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "drop_ids", "kept_ids"),
    [
        (0, set(), []),
        (3, set(), ["d0", "d1", "d2"]),
        (3, {"d1"}, ["d0", "d2"]),
        (4, {"d0", "d3"}, ["d1", "d2"]),
        (2, {"d0", "d1"}, []),
    ],
)
def test_counts_documents_in_out_and_drops(n, drop_ids, kept_ids):
    kept, dropped, stats = run_steps([doc(i) for i in range(n)], [Note(), DropIf(drop_ids)])
    assert [d.doc_id for d in kept] == kept_ids
    assert sorted(d.doc_id for d, _ in dropped) == sorted(drop_ids)
    assert (stats.docs_in, stats.docs_out) == (n, len(kept_ids))
    assert stats.dropped == ({"dropper:unwanted": len(drop_ids)} if drop_ids else {})
    assert all(v == Drop("dropper", "unwanted", "by request") for _, v in dropped)
    # every document reached the first step, kept or not
    assert stats.changes == ({"edited": n} if n else {})


def test_a_dropped_document_skips_the_steps_after_the_drop():
    seen = Seen()
    kept, dropped, _ = run_steps([doc(0), doc(1)], [DropIf({"d0"}), seen])
    assert seen.ids == ["d1"]
    assert [d.doc_id for d in kept] == ["d1"] and [d.doc_id for d, _ in dropped] == ["d0"]


@pytest.mark.parametrize(
    ("drop_ids", "expected"),
    [
        (set(), [("note", "d0"), ("dropper", "d0"), ("gather", "d0"), ("seen", "d0")]),
        ({"d0"}, [("note", "d0"), ("dropper", "d0")]),  # the dropping step, then none
    ],
)
def test_observe_sees_each_document_after_each_step_that_ran(drop_ids, expected):
    seen: list[tuple[str, str]] = []
    run_steps(
        [doc(0)],
        [Note(), DropIf(drop_ids), Gather(), Seen()],
        observe=lambda step, d: seen.append((step, d.doc_id)),
    )
    assert seen == expected


def test_changes_count_only_what_the_steps_noted():
    d = doc(0)
    d.note("from_the_reader", 5)  # noted before the steps (a reader's note): not theirs
    _, _, stats = run_steps([d], [Note("a", 2), Note("b", 3), Note("a", 1)])
    # (a reason seen before the steps is counted 0 more: Counter equality ignores zeros)
    assert stats.changes == Counter({"a": 3, "b": 3})
    assert d.changes == {"from_the_reader": 5, "a": 3, "b": 3}


@pytest.mark.parametrize("kind", ["html", "text"])
def test_a_step_runs_only_on_the_kinds_it_applies_to(kind):
    class HtmlOnly(Note):
        name = "html_only"
        applies_to = frozenset({"html"})

    kept, _, stats = run_steps([doc(0, kind=kind)], [HtmlOnly("html_note")])
    assert kept[0].changes == ({"html_note": 1} if kind == "html" else {})
    assert ("html_only" in stats.seconds) == (kind == "html")


def test_timing_has_a_key_per_step_that_ran():
    _, _, stats = run_steps([doc(0), doc(1)], [Note(), Gather(), Seen()])
    assert set(stats.seconds) == {"note", "gather", "seen"}
    assert all(v >= 0 for v in stats.seconds.values())
    assert set(stats.to_dict()) == {"docs_in", "docs_out", "dropped", "changes", "seconds"}


def test_stats_accumulate_into_the_given_stats_and_merge():
    stats = StepStats()
    run_steps([doc(0)], [DropIf({"d0"})], stats)
    run_steps([doc(1)], [DropIf(set())], stats)
    assert (stats.docs_in, stats.docs_out, dict(stats.dropped)) == (2, 1, {"dropper:unwanted": 1})
    merged = StepStats.from_dict(stats.to_dict()).merge(stats)
    assert (merged.docs_in, merged.docs_out, merged.dropped["dropper:unwanted"]) == (4, 2, 2)


# --- run_steps: the exception path ------------------------------------------------------------


@pytest.mark.parametrize("bad", [{"d0"}, {"d1"}, {"d0", "d2"}])
def test_a_step_that_raises_drops_that_document_and_the_others_go_on(bad):
    seen = Seen()
    kept, dropped, stats = run_steps([doc(i) for i in range(3)], [Boom(bad), seen])
    assert sorted(d.doc_id for d, _ in dropped) == sorted(bad)
    for _, verdict in dropped:
        assert (verdict.stage, verdict.reason) == ("boom", "boom_error")
        assert verdict.detail == "KeyError: 'no such thing'"
    assert [d.doc_id for d in kept] == [f"d{i}" for i in range(3) if f"d{i}" not in bad]
    assert seen.ids == [d.doc_id for d in kept]  # the steps after it ran on the others
    assert stats.dropped == {"boom:boom_error": len(bad)}
    assert (stats.docs_in, stats.docs_out) == (3, 3 - len(bad))


def test_a_raising_step_keeps_the_changes_noted_before_it():
    kept, dropped, stats = run_steps([doc(0)], [Note("before"), Boom({"d0"}), Note("after")])
    assert kept == [] and dropped[0][0].changes == {"before": 1}
    assert stats.changes == {"before": 1}


def test_a_batch_step_that_raises_fails_no_document():
    kept, dropped, stats = run_steps([doc(0), doc(1)], [Gather(fail=True), Seen()])
    assert [d.doc_id for d in kept] == ["d0", "d1"] and dropped == []
    assert stats.changes["gather_error"] == 1
    assert stats.changes["gathered"] == 2  # what it did before it raised is counted


# --- run_steps: batch steps -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drop_ids", "batch_ids"),
    [(set(), ["d0", "d1", "d2"]), ({"d1"}, ["d0", "d2"]), ({"d0", "d1", "d2"}, [])],
)
def test_a_batch_step_sees_only_the_kept_documents(drop_ids, batch_ids):
    gather, after = Gather(), Seen()
    kept, _, stats = run_steps(
        [doc(i) for i in range(3)], [DropIf(drop_ids), gather, after, DropIf({"d2"}, "late")]
    )
    assert gather.ids == batch_ids
    assert after.ids == batch_ids  # the steps after the batch: the same documents
    assert [d.doc_id for d in kept] == [i for i in batch_ids if i != "d2"]
    assert stats.docs_in == 3 and stats.docs_out == len(kept)
    assert stats.dropped["dropper:late"] == ("d2" in batch_ids)


def test_a_batch_step_sees_only_the_kinds_it_applies_to():
    class TextOnly(Gather):
        applies_to = frozenset({"text"})

    gather = TextOnly()
    run_steps([doc(0, kind="html"), doc(1, kind="text")], [gather])
    assert gather.ids == ["d1"]


# --- run_steps: markup released ---------------------------------------------------------------


@pytest.mark.parametrize("with_batch", [False, True])
def test_no_document_holds_markup_after_run_steps(with_batch):
    docs = [doc(i) for i in range(4)]
    assert all(d.markup.held for d in docs)
    steps = [Boom({"d1"}), DropIf({"d2"})] + ([Gather()] if with_batch else []) + [Seen()]
    kept, dropped, _ = run_steps(docs, steps)
    assert len(kept) == 2 and len(dropped) == 2
    for d in [*kept, *(d for d, _ in dropped)]:
        assert not d.markup.held
        assert (d.markup.raw, d.markup.html, d.markup.tree) == (b"", None, None)


def test_markup_is_released_before_a_batch_step_and_after():
    before, gather, after = Seen(), Gather(), Seen()
    run_steps([doc(0), doc(1)], [before, gather, after])
    assert before.markup_held == [True, True]  # per-document steps read it
    assert gather.markup_held == [False, False]  # a batch holds only the cleaned fields
    assert after.markup_held == [False, False]


# --- the record: published fields apart from the transient markup ----------------------------


def test_article_fields_are_the_published_record_and_its_identity():
    published = set(ARTICLES_SCHEMA.names) | {"text"}  # `text` is published as `body`
    # content_kind routes a document through the steps; markup is the transient part
    assert {f.name for f in fields(Article)} - published == {"content_kind", "markup"}
    assert {f.name for f in fields(Markup)} == {
        "raw",
        "declared_charset",
        "html",
        "tree",
        "page_features",
        "live_updates",
        "page_words",
        "page_chars",
        "link_text",
    }


# --- check_order ------------------------------------------------------------------------------


def test_the_pipeline_order_passes():
    steps = build_steps()  # build_steps checks it; and checked again explicitly
    check_order(steps, available=READ_FIELDS)


def _swap(steps: list, a: type, b: type) -> list:
    i = next(k for k, s in enumerate(steps) if isinstance(s, a))
    j = next(k for k, s in enumerate(steps) if isinstance(s, b))
    steps = list(steps)
    steps[i], steps[j] = steps[j], steps[i]
    return steps


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        # the tree before it is parsed
        (ParseHtmlStep, HtmlMetadataStep, "step 'html_metadata' (HtmlMetadataStep) reads 'tree'"),
        (ParseHtmlStep, HtmlCaptionStep, "step 'html_captions' (HtmlCaptionStep) reads 'tree'"),
        # markup before it is decoded
        (DecodeStep, ParseHtmlStep, "step 'parse_html' (ParseHtmlStep) reads 'html' on html"),
        # the tree after extraction consumed it
        (HtmlCaptionStep, ExtractBodyStep, "reads 'tree' on html documents, but it was released"),
        # an HTML page's body before it is extracted
        (ExtractBodyStep, NormalizeStep, "step 'normalize' (NormalizeStep) reads 'text' on html"),
        (ExtractBodyStep, TextCaptionStep, "reads 'text' on html documents, but no reader"),
    ],
)
def test_a_swapped_order_fails_naming_the_step_and_the_field(a, b, message):
    with pytest.raises(StepOrderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_order(_swap(build_steps(), a, b), available=READ_FIELDS)


def test_markup_is_gone_after_a_batch_step():
    steps = [
        DecodeStep(),
        ParseHtmlStep(),
        ExtractBodyStep(),
        RecurringLinesStep(),
        ParseHtmlStep(),
    ]
    check_order(steps[:-1], available=READ_FIELDS)
    with pytest.raises(
        StepOrderError, match="reads 'html' on html documents, but it was released by the runner"
    ):
        check_order(steps, available=READ_FIELDS)


@pytest.mark.parametrize(
    ("missing", "steps", "message"),
    [
        ("raw", [DecodeStep()], "step 'decode' (DecodeStep) reads 'raw'"),
        (
            "url",
            [DecodeStep(), ParseHtmlStep(), ExtractBodyStep()],
            "'extract_body' (ExtractBodyStep) reads 'url'",
        ),
    ],
)
def test_a_field_no_reader_provides_fails(missing, steps, message):
    check_order(steps, available=READ_FIELDS)
    with pytest.raises(StepOrderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_order(steps, available=READ_FIELDS - {missing})


def test_what_a_step_writes_is_checked_per_content_kind():
    # decoding writes the body of a plain-text document, the markup of an HTML one
    class PlainTextClean(TextCleanStep):
        applies_to = frozenset({"text"})

    check_order([DecodeStep(), PlainTextClean()], available=READ_FIELDS)
    with pytest.raises(
        StepOrderError, match=r"'text_clean' \(TextCleanStep\) reads 'text' on html"
    ):
        check_order([DecodeStep(), ParseHtmlStep(), TextCleanStep()], available=READ_FIELDS)


def test_a_step_without_declarations_or_with_unknown_fields_fails():
    class Undeclared(Step):
        name = "undeclared"

        def apply(self, doc: Article) -> Drop | None:
            return None

    class Misspelt(Note):
        name = "misspelt"
        reads = frozenset({"titel"})

    with pytest.raises(StepOrderError, match=r"'undeclared' .* declares no reads"):
        check_order([Undeclared()], available=READ_FIELDS)
    with pytest.raises(StepOrderError, match=r"'misspelt' declares unknown fields \['titel'\]"):
        check_order([Misspelt()], available=READ_FIELDS)
    with pytest.raises(StepOrderError, match="available names unknown fields"):
        check_order([], available={"nonsense"})

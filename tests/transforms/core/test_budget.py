"""A document's CPU budget in the stages (transforms/core/budget.py, run_steps)."""

from __future__ import annotations

import contextlib
import re
import threading
import time

import pytest

from transforms.core.budget import DocumentTooCostly, cpu_budget
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Drop, Markup
from transforms.core.steps import Step, run_steps
from transforms.html.extract import ParseHtmlStep


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


class Spin(Step):
    """Burns the CPU seconds its document's text names ("spin 3"), inside a library's
    `except Exception` (which must not swallow the budget)."""

    name = "spin"
    reads = frozenset({"text"})
    writes: frozenset[str] = frozenset()

    def apply(self, doc: Article) -> Drop | None:
        with contextlib.suppress(Exception):  # what a library's handler does
            _spin(float(doc.text.split()[1]))
        return None


def _doc(i: int, text: str) -> Article:
    return Article(f"d{i}", f"p{i}.html", "html", "text", text=text, markup=Markup(html="x" * 50))


def test_a_document_over_its_cpu_budget_is_quarantined_and_the_next_goes_on():
    config = PipelineConfig().with_settings({"read.max_document_cpu_seconds": 1})
    docs = [_doc(0, "spin 30"), _doc(1, "spin 0.05")]
    start = time.process_time()
    kept, dropped, stats = run_steps(docs, [Spin(config)])
    assert time.process_time() - start < 5  # not the 30 s the page asked for
    assert [d.doc_id for d in kept] == ["d1"]
    ((doc, drop),) = dropped
    assert (doc.doc_id, drop.stage, drop.reason) == ("d0", "spin", "document_too_costly")
    # the timer counts the process's CPU, the figure this thread's: other threads' work (a loaded
    # test session) makes it read below the budget, never above it by much
    assert re.match(r"over its budget of 1 s of CPU in spin: [01]\.\d s, ", drop.detail), (
        drop.detail
    )
    assert "50 characters of markup, process peak" in drop.detail
    assert stats.dropped == {"spin:document_too_costly": 1}


def test_the_budget_is_off_again_after_the_block():
    with cpu_budget(1):
        _spin(0.1)
    _spin(1.5)  # no DocumentTooCostly now


def test_the_budget_raises_in_the_block():
    with pytest.raises(DocumentTooCostly), cpu_budget(1):
        _spin(10)


def test_off_the_main_thread_the_budget_is_not_kept():
    raised: list[BaseException] = []

    def work() -> None:
        try:
            with cpu_budget(1):
                _spin(1.3)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert raised == []


@pytest.mark.parametrize(("chars", "cut"), [(100, False), (5000, True)])
def test_html_longer_than_max_parse_chars_is_cut_before_parsing(chars, cut):
    config = PipelineConfig().with_settings({"read.max_parse_chars": 1000})
    body = "<p>" + "word " * (chars // 5) + "</p>"
    doc = Article("d", "p.html", "html", "html", markup=Markup(html=f"<html><body>{body}"))
    assert ParseHtmlStep(config).apply(doc) is None
    assert ("html_cut_for_cost" in doc.changes) is cut
    assert len(doc.markup.html) <= 1000 or not cut

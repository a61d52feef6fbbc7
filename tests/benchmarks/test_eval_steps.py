"""eval_steps: the body after each step, scored; a drop empties the body from its step on."""

from __future__ import annotations

import pytest

from benchmarks.eval_steps import StepTrace, print_steps
from transforms.core.record import Article
from transforms.core.steps import run_steps
from transforms.pipeline import build_steps

STEPS = [
    step
    for step in build_steps()
    if step.name in ("decode", "extract_body", "text_clean", "quality_gate")
]


def _trace(bodies: dict[str, str]) -> StepTrace:
    trace = StepTrace(STEPS, "html")
    for step, text in bodies.items():
        trace(step, Article("d", "d", "html", "html", text=text))
    return trace


@pytest.mark.parametrize(
    ("bodies", "dropped", "expected"),
    [
        (
            {"decode": "", "extract_body": "a b c", "text_clean": "a b", "quality_gate": "a b"},
            False,
            {"extract_body": "a b c", "text_clean": "a b", "quality_gate": "a b"},
        ),
        # dropped by text_clean: empty from there on
        (
            {"decode": "", "extract_body": "a b c", "text_clean": "a b"},
            True,
            {"extract_body": "a b c", "text_clean": "", "quality_gate": ""},
        ),
    ],
)
def test_per_step_bodies(bodies, dropped, expected):
    assert _trace(bodies).per_step("extract_body", dropped) == expected


def test_figures_score_each_step_against_the_truth():
    trace = _trace({"extract_body": "menu the council voted", "text_clean": "the council voted"})
    figs = trace.figures("the council voted", False, "proj_")["proj_steps"]
    assert figs["text_clean"] == 1.0
    assert 0.5 < figs["extract_body"] < 1.0


def test_a_real_run_prints_a_row_per_step(capsys):
    steps = build_steps()
    text = "The council voted on Tuesday to extend the night bus service. " * 12
    doc = Article("d", "d.txt", "text", "text")
    doc.markup.raw = text.encode()
    trace = StepTrace(steps, "text")
    kept, _, _ = run_steps([doc], steps, observe=trace)
    row = {"page_type": "article", **trace.figures(text, not kept, "text_")}
    print_steps([row])
    out = capsys.readouterr().out
    assert "text_clean" in out and "quality_gate" in out and "article (1)" in out
    assert "extract_body" not in out  # an HTML-only step is not a row of the text path

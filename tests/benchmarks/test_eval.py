"""`make eval` and `benchmarks.stage_cpu` on a few dev pages: they run the pipeline's own steps."""

from __future__ import annotations

import pytest

from benchmarks import eval as evaluation
from benchmarks import stage_cpu
from tests.conftest import WCXB, requires_wcxb

pytestmark = [pytest.mark.shared, requires_wcxb]


def test_eval_prints_both_systems_side_by_side(capsys):
    assert evaluation.main(["--data", str(WCXB), "--limit", "4"]) == 0
    out = capsys.readouterr().out
    assert "evaluated 4 pages" in out
    header = next(line for line in out.splitlines() if line.startswith("figure"))
    assert header.split() == ["figure", "project", "trafilatura", "text:project", "text:dump"]
    f1 = next(line for line in out.splitlines() if line.startswith("word_f1")).split()
    assert all(0.0 <= float(v) <= 1.0 for v in f1[1:])
    assert "== metadata ==" in out


def test_eval_runs_the_pipeline_steps():
    evaluation._init()
    names = [step.name for step in evaluation._STEPS]
    from transforms.pipeline import build_steps

    assert names == [step.name for step in build_steps()]


def test_stage_cpu_reports_every_stage(capsys):
    assert stage_cpu.main(["--data", str(WCXB), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 pages; CPU ms/page")
    for name in ("parse_html", "extract_body", "html_metadata"):
        assert name in out


def test_eval_metadata_scores_the_pipeline(capsys):
    from benchmarks import eval_metadata

    assert eval_metadata.main(["--limit", "3", "--no-trafilatura"]) == 0
    out = capsys.readouterr().out
    rows = dict(line.split()[:2] for line in out.splitlines()[2:] if len(line.split()) >= 2)
    for metric in ("title", "date", "authors", "author_invented"):
        value = float(rows[metric])  # nan when none of the few pages has that field
        assert value != value or 0.0 <= value <= 1.0


def test_eval_ceiling_prints_the_text_path_upper_bound(capsys):
    assert evaluation.main(["--data", str(WCXB), "--limit", "4", "--ceiling"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("all"))
    ceiling, dump = float(line.split()[5]), float(line.split()[8].rstrip(")"))
    assert 0.0 <= dump <= ceiling <= 1.0


def test_eval_of_one_page_type_skips_the_page_type_report(capsys):
    # a one-type selection cannot train the seven-type classifier: it said so by crashing
    args = ["--data", str(WCXB), "--limit", "2", "--page-type", "article", "--no-flow"]
    assert evaluation.main(args) == 0
    assert "page types: skipped (the pages are of one type" in capsys.readouterr().out

"""What the command line says before a run (issue 31): an INPUT with no supported file is an
error naming the kinds found and the supported ones (exit 2, so a cron job sees a failure);
settings that differ from the last committed run's are named, with how to rebuild."""

from __future__ import annotations

import json
import os
import time

import pytest

from flows import cli
from tests.flows.test_cli_nothing_new import _processed
from transforms.core.config import PipelineConfig
from transforms.run.notices import changed_settings, kinds_found
from transforms.run.output_store import OutputStore

OLD = time.time() - 3600


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["a.pdf", "b/c.PDF", "d.csv"], ".pdf (2), .csv (1)"),
        (["dump.csv.gz", "README"], ".csv.gz (1), no suffix (1)"),
        ([], "nothing"),
    ],
)
def test_kinds_found(paths, expected):
    assert kinds_found(paths) == expected


def test_an_input_with_no_supported_file_exits_2_naming_the_kinds(tmp_path, monkeypatch, capsys):
    root, output = tmp_path / "in", tmp_path / "out"
    (root / "sub").mkdir(parents=True)
    for name in ("a.pdf", "sub/b.pdf", "c.docx"):
        (root / name).write_text("not a page")
    calls = []
    monkeypatch.setattr(cli, "clean_articles", lambda prepared, **kw: calls.append(kw))

    assert cli.run(["--input", str(root), "--output", str(output)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: no supported file in {root}")
    assert ".pdf (2), .docx (1)" in err[0] and ".html, .htm, .txt, .jsonl, .warc" in err[0]
    assert calls == [] and not (output / "_run.lock").exists()


def test_an_input_whose_files_were_all_processed_is_still_nothing_new(tmp_path, capsys):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "a.html").write_text("<p>a</p>")
    os.utime(root / "a.html", (OLD, OLD))
    _processed(root, output)
    assert cli.run(["--input", str(root), "--output", str(output)]) == 0
    assert capsys.readouterr().out.startswith("nothing new to process")


def _committed(output, config: PipelineConfig, run_id: str) -> None:
    (output / "runs").mkdir(parents=True, exist_ok=True)
    manifest = {"run_id": run_id, "config": config.to_dict()}
    (output / "runs" / f"{run_id}.json").write_text(json.dumps(manifest, default=str))


def test_changed_settings_name_the_keys_and_the_way_to_rebuild(tmp_path):
    output = tmp_path / "out"
    store = OutputStore(output)
    assert changed_settings(store, PipelineConfig()) is None  # no run yet
    _committed(output, PipelineConfig(), "20260101T000000-aaaaaa")
    assert changed_settings(store, PipelineConfig()) is None
    changed = PipelineConfig.from_dict({"clean": {"min_words": 61}})
    _committed(output, changed, "20260102T000000-bbbbbb")  # the latest committed run
    notice = changed_settings(store, PipelineConfig())
    assert notice is not None and "20260102T000000-bbbbbb" in notice
    assert f"clean.min_words 61 -> {PipelineConfig().clean.min_words}" in notice
    assert "new OUTPUT" in notice
    # settings of how a run is scheduled or stored do not change what it publishes
    assert (
        changed_settings(
            store, PipelineConfig.from_dict({**changed.to_dict(), "shards": {"shard_size": 7}})
        )
        is None
    )


def test_a_rerun_with_other_settings_says_so(tmp_path, capsys):
    root, output = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "a.html").write_text("<p>a</p>")
    os.utime(root / "a.html", (OLD, OLD))
    _processed(root, output)
    _committed(output, PipelineConfig(), "20260101T000000-aaaaaa")
    argv = ["--input", str(root), "--output", str(output), "--set", "clean.min_words=61"]
    assert cli.run(argv) == 0
    captured = capsys.readouterr()
    assert "clean.min_words" in captured.err and "-> 61" in captured.err
    assert captured.out.startswith("nothing new to process")

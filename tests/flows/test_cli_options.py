"""The command line refuses a bad option with one line and exit 2, before any Prefect server
starts and without writing anything (issue 18, case 5; OUTPUT == INPUT, case 3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows import cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_flow(monkeypatch):
    """The flow must not start: a call fails the test at once (no server is started)."""

    def started(prepared, **kwargs):
        raise AssertionError(f"the flow started with {kwargs}")

    monkeypatch.setattr(cli, "clean_articles", started)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--workers", "0"], "workers=0 is out of range: must be an int >= 1"),
        (["--shard-size", "0"], "shard_size=0 is out of range: must be >= 1"),
        (["--set", "dedup.bands=0"], "dedup.bands=0 is out of range: must be >= 1"),
        (
            ["--set", "dedup.num_perm=3"],
            "dedup.num_perm=3 is out of range: must be >= dedup.bands * dedup.rows",
        ),
        (
            ["--set", "dedup.near_jaccard=5"],
            "dedup.near_jaccard=5.0 is out of range: must be in (0, 1]",
        ),
        (
            ["--shard-size", "5", "--set", "shards.shard_size=7"],
            "--shard-size 5 and --set shards.shard_size=7 disagree",
        ),
        (["--set", "shards.shard_size=5", "--set", "shards.shard_size=7"], "disagree"),
        (
            ["--set", "min_words=60"],
            "setting 'min_words' is now named by section: use 'clean.min_words'",
        ),
        (["--set", "no_such=1"], "unknown setting 'no_such'"),
        (["--workers", "many"], "argument --workers: invalid int value: 'many'"),
        (["--lock-timeout", "-5"], "lock timeout -5.0: must be a number of seconds >= 0"),
    ],
)
def test_a_bad_option_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capsys, no_flow, options, message
):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("<p>x</p>")
    out = tmp_path / "out"
    assert _exit_code(["--input", str(tmp_path / "in"), "--output", str(out), *options]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert err.err.count("\n") == 1 and message in err.err, err.err
    assert not out.exists()


@pytest.mark.parametrize(
    ("input_", "output", "message"),
    [
        ("page.html", "out", "input '{tmp}/page.html' is a file, not a folder"),
        ("missing", "out", "input folder '{tmp}/missing' does not exist"),
        ("in", "in", "output folder '{tmp}/in' is the input folder"),
        ("in", "in/../in", "output folder '{tmp}/in/../in' is the input folder"),
        ("in", "page.html/out", "which is a file, not a folder"),
        ("in", "/proc/newsclean-out", "output folder '/proc/newsclean-out' is not writable"),
    ],
)
def test_bad_folders_exit_2_with_one_line_and_write_nothing(
    tmp_path, capsys, no_flow, input_, output, message
):
    (tmp_path / "in").mkdir()
    (tmp_path / "page.html").write_text("<p>x</p>")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    argv = ["--input", str(tmp_path / input_), "--output", str(tmp_path / output)]
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(tmp=tmp_path) in err, err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_the_real_command_prints_one_line_and_starts_no_server(tmp_path):
    """As `make run WORKERS=0` runs it: one line on stderr, nothing from Prefect, exit 2."""
    (tmp_path / "in").mkdir()
    cmd = [sys.executable, "-m", "flows", "run", "--input", str(tmp_path / "in")]
    cmd += ["--output", str(tmp_path / "out"), "--workers", "0"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "error: workers=0 is out of range: must be an int >= 1\n"
    assert not (tmp_path / "out").exists()


def _exit_code(argv: list[str]) -> int:
    """main's exit code, whether it returns it or argparse exits with it."""
    try:
        return cli.run(argv)
    except SystemExit as exc:
        return exc.code

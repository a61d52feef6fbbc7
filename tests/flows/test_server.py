"""`make server` / `make server-stop` (flows/server.py): a stale pid file never kills anything."""

from __future__ import annotations

import os

from flows import server


def test_a_stale_pid_file_is_removed_and_nothing_is_killed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    (tmp_path / "server.pid").write_text(f"{os.getpid()} 4210\n")  # this process: not a server
    assert server.status() == 1
    assert server.stop() == 0
    assert not (tmp_path / "server.pid").exists()
    out = capsys.readouterr().out
    assert (
        "no Prefect server is running: neither `make server`'s nor the one `make run` keeps" in out
    )


def test_status_finds_the_kept_server_without_prefect_home(tmp_path, monkeypatch, capsys):
    """`python -m flows.server status` in a shell without PREFECT_HOME looks in the project's
    .prefect, where `make` keeps its servers."""
    import json
    import subprocess
    import sys
    import time
    from pathlib import Path

    from flows import serve

    monkeypatch.delenv("PREFECT_HOME", raising=False)
    monkeypatch.setattr(serve, "PROJECT_HOME", tmp_path)
    # a process whose command line is the kept server's (flows.api_server kept), sleeping
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "flows.api_server", "kept"]
    )
    try:
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        for _ in range(100):  # until the child's command line is its own (after exec)
            if b"flows.api_server" in cmdline.read_bytes():
                break
            time.sleep(0.05)
        (tmp_path / "kept-server.json").write_text(json.dumps({"pid": proc.pid, "port": 4321}))
        assert server.main(["status"]) == 0
        assert "kept by `make run`: http://127.0.0.1:4321/api" in capsys.readouterr().out
        assert os.environ["PREFECT_HOME"] == str(tmp_path)
    finally:
        proc.kill()
        proc.wait()
        os.environ.pop("PREFECT_HOME", None)


def test_the_run_now_command_is_printed_as_it_works(monkeypatch, tmp_path):
    """The command `make serve` prints names this venv's prefect (not on PATH) and the
    server's API (a shell without it asks a temporary server that knows no deployment)."""
    import shlex
    import sys
    from pathlib import Path

    from flows import serve

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    words = shlex.split(serve.run_now_command("clean_articles/scheduled"))
    assert words[0] == "PREFECT_API_URL=http://127.0.0.1:4200/api"
    assert Path(words[1]).is_file()
    assert Path(words[1]).absolute().parent == Path(sys.executable).parent
    assert words[2:] == ["deployment", "run", "clean_articles/scheduled"]


def test_a_run_that_leaves_the_kept_server_says_so_and_how_to_stop_it():
    from flows import cli

    line = cli._kept_server_notice("http://127.0.0.1:4300/api", 900)
    assert "http://127.0.0.1:4300 " in line and "15 min" in line
    assert line.endswith("make server-stop")

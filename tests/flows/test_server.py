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
    assert "no Prefect server started by `make server` is running" in capsys.readouterr().out

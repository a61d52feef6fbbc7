"""`newsclean compact` (make compact): under OUTPUT's lock, one JSON line, exit codes."""

import json
import threading

from flows.compact import main
from tests.transforms.run.history import add_runs
from transforms.core.storage import resolve_location
from transforms.run.lock import hold
from transforms.run.output_store import OutputStore, data_files


def test_compact_rewrites_and_says_what_it_did(tmp_path, capsys):
    store = OutputStore(tmp_path / "out")
    add_runs(store, 3)
    assert main(["--output", str(tmp_path / "out")]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report["changed"] and report["ledger"]["files"] == 3
    assert len(data_files(store.at("ledger"))) == 1


def test_compact_waits_for_no_run_by_default(tmp_path, capsys):
    store = OutputStore(tmp_path / "out")
    add_runs(store, 2)
    held, done = threading.Event(), threading.Event()

    def a_run() -> None:  # another holder (a thread has a context of its own)
        with hold(resolve_location(str(tmp_path / "out")), "a-run", 0):
            held.set()
            done.wait(30)

    holder = threading.Thread(target=a_run)
    holder.start()
    try:
        assert held.wait(30)
        assert main(["--output", str(tmp_path / "out")]) == 75
    finally:
        done.set()
        holder.join()
    assert "error:" in capsys.readouterr().err
    assert len(data_files(store.at("ledger"))) == 2  # untouched


def test_the_scheduled_flow_takes_serves_parameters_and_waits_for_a_run(tmp_path, prefect_harness):
    """`newsclean serve --flow flows.compact_flow:compact_output` gives the flow the run's
    deployment parameters; a compaction due while a run holds the lock waits for it."""
    from flows import serve
    from flows.compact_flow import compact_output

    store = OutputStore(tmp_path / "out")
    add_runs(store, 3)
    args = serve.parse_args(
        ["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--cron", "30 3 * * *"]
    )
    params = serve.deployment_parameters(args)
    held, done = threading.Event(), threading.Event()

    def a_run() -> None:
        with hold(resolve_location(str(tmp_path / "out")), "a-run", 0):
            held.set()
            done.wait(2)  # the run ends; the waiting compaction goes on

    holder = threading.Thread(target=a_run)
    holder.start()
    try:
        assert held.wait(30)
        report = compact_output(**params, retain_seconds=0)
    finally:
        done.set()
        holder.join()
    assert report["changed"] and report["ledger"]["files"] == 3
    assert len(data_files(store.at("ledger"))) == 1

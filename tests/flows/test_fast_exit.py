"""flows/fast_exit.py: the command line ends after every exit handler, without the teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import atexit, logging, sys
from pathlib import Path
from flows import fast_exit

out = Path(sys.argv[1])

class Teardown:
    def __del__(self):  # runs in the interpreter's teardown of this module's globals
        (out / "teardown").write_text("ran")

kept = Teardown()
atexit.register(lambda: (out / "handler").write_text("ran"))  # a later handler, e.g. Prefect's
logging.basicConfig(stream=sys.stderr)
logging.getLogger("x").warning("logged")
sys.stdout.write("unflushed output")
sys.exit(fast_exit.arm(int(sys.argv[2])) if sys.argv[3] == "armed" else int(sys.argv[2]))
"""


@pytest.mark.parametrize(("armed", "teardown"), [("armed", False), ("plain", True)])
def test_armed_exit_runs_the_handlers_and_flushes_but_skips_the_teardown(tmp_path, armed, teardown):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), "3", armed],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert proc.stdout == "unflushed output"
    assert "logged" in proc.stderr
    assert (tmp_path / "handler").read_text() == "ran"
    assert (tmp_path / "teardown").exists() is teardown


def _leave_teardown_marker(path: str) -> int:
    import os

    global _kept  # freed only by the interpreter's teardown

    class Teardown:
        def __del__(self):
            Path(path).write_text("ran")

    _kept = Teardown()
    return os.getpid()


@pytest.mark.parametrize(("initializer", "teardown"), [(True, False), (False, True)])
def test_a_pool_worker_armed_by_its_initializer_skips_its_teardown(tmp_path, initializer, teardown):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from flows.fast_exit import arm_worker

    marker = tmp_path / "teardown"
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=arm_worker if initializer else None,
    ) as pool:
        pool.submit(_leave_teardown_marker, str(marker)).result()
    assert marker.exists() is teardown

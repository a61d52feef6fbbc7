"""moto's S3 server on 127.0.0.1 for the S3 benchmarks (a process of its own: its CPU is not
the benchmark's), started on a free port and returned once it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def start_moto(log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """(the server process, its endpoint url); `log`: where its request log goes (a line a
    request: `bench_history` counts them), else nowhere. Terminate the process when done."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w") if log is not None else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("moto_server did not start")

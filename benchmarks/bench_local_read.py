"""CPU seconds of discovery and reading over a local folder: the figure that shows a change to
the input side costs local runs nothing. Run it under two checkouts and compare:

    python -m benchmarks.bench_local_read [--data ../shared/data/wcxb-dev] [--repeat 3]
    (cd /path/to/other/checkout && PYTHONPATH=$PWD /path/to/.venv/bin/python \\
        -m benchmarks.bench_local_read --data …)

Process CPU time (not wall time: the machine is shared), best of `--repeat`: `discover` (walk,
stat, hash every file), `read_file` over every file (bounded read, gunzip, records), and
`gather_inputs` against an empty OUTPUT (discover + ledger + planning).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from transforms.core.config import PipelineConfig
from transforms.read.files import discover, read_file
from transforms.run.inputs import gather_inputs

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "wcxb-dev")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    config, output = PipelineConfig(), Path(tempfile.mkdtemp(prefix="bench-local-read-"))
    best = {"discover": float("inf"), "read_file": float("inf"), "gather_inputs": float("inf")}
    files, documents = [], 0
    for _ in range(args.repeat):
        t = time.process_time()
        files = discover(args.data, config.read)[0]
        best["discover"] = min(best["discover"], time.process_time() - t)
        t = time.process_time()
        documents = sum(1 for f in files for _ in read_file(args.data, f, config.read, {}))
        best["read_file"] = min(best["read_file"], time.process_time() - t)
        t = time.process_time()
        gather_inputs(args.data, output, config, 2)
        best["gather_inputs"] = min(best["gather_inputs"], time.process_time() - t)
    print(
        f"code: {REPO}; {len(files)} files, {documents} documents; CPU seconds, best of "
        f"{args.repeat}: " + ", ".join(f"{k} {v:.3f}" for k, v in best.items())
    )


if __name__ == "__main__":
    main()

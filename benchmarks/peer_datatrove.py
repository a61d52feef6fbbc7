"""The peer of `make bench`: datatrove's extraction pipeline on the bench's pages.

    <venv with datatrove + orjson + pyarrow>/bin/python benchmarks/peer_datatrove.py CORPUS WORK

Run by `benchmarks.bench --datatrove-python PATH` in an interpreter of its own (datatrove is a
bench-only dependency, never in the project's venv; install plain `datatrove`, `orjson` and
`pyarrow` (its ParquetWriter needs it), and `lxml_html_clean` (pip does not resolve lxml's
`html-clean` extra; without it trafilatura cannot import and datatrove's extractor sandbox times
out on every page), never its `processing` extra, which pins trafilatura 1.x: ../shared/NOTES.md).
The pages under
CORPUS (*.html) are first written as two JSON Lines files (not timed), then JsonlReader ->
extractors.Trafilatura -> ParquetWriter runs on LocalPipelineExecutor(tasks=2, workers=2) (timed,
including the executor's start). Prints one line: pages, seconds, pages/s. Exits 1 when the
extractor timed out or failed on more than 1% of the pages: a speed of pages not extracted is
not the peer's speed.
"""

import json
import sys
import time
from pathlib import Path


def main() -> int:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    corpus, work = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(corpus.rglob("*.html"))
    (work / "jsonl").mkdir(parents=True, exist_ok=True)
    for part in range(2):
        with open(work / "jsonl" / f"part{part}.jsonl", "w", encoding="utf-8") as fh:
            for i, path in enumerate(files[part::2]):
                text = path.read_bytes().decode("utf-8", "replace")
                fh.write(json.dumps({"id": f"{part}-{i}", "text": text}) + "\n")
    t0 = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(work / "jsonl")),
            Trafilatura(favour_precision=True, timeout=30.0),
            ParquetWriter(str(work / "parquet")),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(work / "logs"),
    ).run()
    seconds = time.perf_counter() - t0
    stats = json.loads((work / "logs" / "stats.json").read_text())
    extractor = next(step["stats"] for step in stats if "Trafilatura" in step["name"])
    failed = sum(
        v for k, v in extractor.items() if k in ("timeout", "broken_process", "clean_error")
    )
    if failed > len(files) / 100:
        print(f"datatrove: the extractor failed on {failed} of {len(files)} pages: {extractor}")
        return 1
    print(f"datatrove: {len(files)} pages in {seconds:.1f} s, {len(files) / seconds:.1f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

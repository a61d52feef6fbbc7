"""Every dev page's record after the per-document steps, as JSON lines: a speed-up's proof.

A change meant to make a stage cheaper without changing what it produces (a prefilter, a
cached value, a faster equivalent of a library's internals) is checked by dumping the records
before and after it and comparing them: every field of `Article` the steps set (body, title,
subtitle, authors, dates, site, language, captions, change notes) and the drop, if any.

    python -m benchmarks.step_records --out before.jsonl      # on the old code
    python -m benchmarks.step_records --out after.jsonl       # on the new code
    python -m benchmarks.step_records --compare before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.wcxb import DEFAULT_DATA, load_page, page_ids
from transforms.core.record import Drop
from transforms.core.steps import BatchStep
from transforms.pipeline import build_steps

_FIELDS = (
    "text",
    "url",
    "title",
    "subtitle",
    "authors",
    "published_at",
    "published_at_precision",
    "published_at_source",
    "published_date",
    "site_name",
    "language",
    "changes",
)


def page_record(doc, drop) -> dict:
    """The fields of `doc` the steps set, JSON-ready (dates as ISO strings)."""
    rec = {name: getattr(doc, name) for name in _FIELDS}
    for name in ("published_at", "published_date"):
        rec[name] = rec[name].isoformat() if rec[name] is not None else None
    rec["captions"] = [[c.text, c.credit] for c in doc.captions]
    rec["drop"] = None if drop is None else [drop.stage, drop.reason, drop.detail]
    return rec


def dump(data: Path, out: Path, limit: int | None) -> int:
    """Run every page of `data` through the per-document steps; write one record a line."""
    steps = [s for s in build_steps() if not isinstance(s, BatchStep)]
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for file_id in page_ids(data)[:limit]:
            doc, drop = load_page(data, file_id).as_article(), None
            for step in steps:
                if doc.content_kind not in step.applies_to:
                    continue
                try:
                    drop = step.apply(doc)
                except Exception as exc:  # run_steps makes it a drop: so does this
                    drop = Drop(step.name, "step_error", type(exc).__name__)
                if drop is not None:
                    break
            fh.write(json.dumps({"id": file_id, **page_record(doc, drop)}, sort_keys=True) + "\n")
            n += 1
    return n


def compare(a: Path, b: Path) -> int:
    """Print the pages whose records differ (field by field); the count of them."""
    left = {r["id"]: r for r in map(json.loads, a.read_text(encoding="utf-8").splitlines())}
    right = {r["id"]: r for r in map(json.loads, b.read_text(encoding="utf-8").splitlines())}
    differing = 0
    for key in sorted(left.keys() | right.keys()):
        ra, rb = left.get(key), right.get(key)
        if ra == rb:
            continue
        differing += 1
        fields = (
            ["(missing)"] if ra is None or rb is None else [f for f in ra if ra[f] != rb.get(f)]
        )
        print(f"{key}: {', '.join(fields)}")
    print(f"{len(left)} / {len(right)} records, {differing} differ")
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        return 1 if compare(*args.compare) else 0
    if not args.data.exists():
        print(f"no dev data at {args.data}: nothing to dump")
        return 0
    if args.out is None:
        parser.error("--out or --compare is required")
    print(f"{dump(args.data, args.out, args.limit)} records -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Are bylines shown only in markup a sign of invented authors? Counted on the dev article pages.

    python -m benchmarks.byline_visibility [--data ../shared/data/wcxb-dev]

Runs the pipeline's steps over the WCXB dev article pages and, for each page given an author,
asks whether every name it was given appears in the page's visible text (outside `<head>`,
scripts and styles, compared on letters and digits only). Pages are counted by whether the
truth names someone, whether the byline is right (as `benchmarks.eval_metadata` scores it),
and, for names shown nowhere, by where the markup states them (JSON-LD author/creator or a
meta tag) and their form (a person's name, or one token: an account name). docs/metadata.md
gives the counts and what they rule out.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import html as lxml_html

from benchmarks.eval_metadata import _author_set
from benchmarks.wcxb import DEFAULT_DATA, iter_pages


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def visible_letters(raw: bytes) -> str:
    """The page's visible text, letters and digits only (what a reader can find a name in)."""
    tree = lxml_html.fromstring(raw)
    for el in tree.xpath("//script|//style|//noscript|//template|//head"):
        el.drop_tree()
    return _letters(tree.text_content())


def _stated_in(raw: bytes, name: str) -> str:
    from transforms.metadata.html_evidence import collect_evidence

    ev = collect_evidence(lxml_html.fromstring(raw))
    jsonld = " ".join(f"{n.get('author', '')} {n.get('creator', '')}" for n in ev.articles)
    if name in jsonld:
        return "jsonld"
    return "meta" if any(name in v for vs in ev.meta.values() for v in vs) else "other"


def count(data: Path) -> Counter:
    from transforms.core.config import PipelineConfig
    from transforms.core.steps import StepStats, run_steps
    from transforms.pipeline import build_steps

    steps = build_steps(PipelineConfig())
    out: Counter = Counter()
    for page in iter_pages(data, page_type="article"):
        doc = page.as_article()
        run_steps([doc], steps, StepStats())
        if not doc.authors:
            continue
        truth = _author_set(page.author)
        right = truth == _author_set(doc.authors) | _author_set(doc.author_organizations)
        seen = visible_letters(page.html_bytes)
        shown = all(_letters(a) in seen for a in doc.authors)
        key = ("truth names someone" if truth else "truth names nobody", right, shown)
        out[("pages", *key)] += 1
        if not shown:
            form = "account" if " " not in doc.authors[0] else "name"
            where = _stated_in(page.html_bytes, doc.authors[0])
            out[("markup only", key[0], right, where, form)] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth").is_dir():
        print(f"skipped: {args.data} not found")
        return 0
    counts = count(args.data)
    print("kind | truth | byline right | shown (or: stated in, form) | pages")
    for key in sorted(counts, key=str):
        print(" | ".join(map(str, key)), "|", counts[key])
    return 0


if __name__ == "__main__":
    sys.exit(main())

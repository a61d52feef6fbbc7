"""How many dev pages' title could any choice get right? The ceiling of choosing a title.

    python -m benchmarks.title_oracle [--data ../shared/data/wcxb-dev] [--show N]

For every WCXB dev article page with a title in its truth, every title the page offers is
gathered (`offered_titles`): each heading h1-h6, `<title>`, every `<meta>` whose name or
property says title or headline (og:title, twitter:title, dc.title, ...), every JSON-LD
`headline`, `alternativeHeadline` and `name` at any depth, itemprop=headline/name elements;
each also in its derived forms: entities decoded again, every run of the segments it splits
into at a separator (" | ", " - ", ": ", ...), and with the site's name cut
(`titles.strip_decoration`). The pipeline's own choice (decode, parse_html, html_metadata, as
`transforms.pipeline` wires them) is one more candidate. The page is parsed here with lxml,
apart from `parse_html`, so a page that step drops still offers its titles.

A page is counted by the first of these that holds, compared as the eval compares titles
(`titles.norm_title`: case-folded, quotes removed, spaces collapsed):
- `rule`: the pipeline's choice equals the truth;
- `oracle_stated`: a candidate from the usual sources (h1, `<title>`, og/twitter/JSON-LD/
  itemprop headline) or a derived form of one equals it;
- `oracle_all`: a candidate from any source above equals it (other headings, other metas,
  JSON-LD names);
- `punctuation_only`: a candidate equals it once both are reduced to letters and digits (the
  truth or the page differs by a "?", a dash, an asterisk);
- `in_text`: the truth is a run of the page's visible text but no candidate;
- `in_markup`: the truth is in the markup's text or attributes only (scripts included);
- `nowhere`: the page does not state it.
The oracle is `rule` + `oracle_stated` + `oracle_all`: no chooser over the page's candidates,
learned or written, can score above it on these pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from html import unescape
from pathlib import Path
from typing import Any

from benchmarks.wcxb import DEFAULT_DATA, iter_pages

# a separator between a title's segments: the eval's candidates split at all of these
_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::|~|/|:)\s+|\s*\|\s*|:\s+")
_MAX_WORDS = 60
STATED = frozenset({"h1", "title", "og:title", "twitter:title", "jsonld:headline", "itemprop"})
LEVELS = (
    "rule",
    "oracle_stated",
    "oracle_all",
    "punctuation_only",
    "in_text",
    "in_markup",
    "nowhere",
)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _jsonld_titles(node: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        for key in ("headline", "alternativeHeadline", "name"):
            if isinstance(v := node.get(key), str):
                out.append((f"jsonld:{key if key != 'alternativeHeadline' else 'headline'}", v))
        for v in node.values():
            _jsonld_titles(v, out)
    elif isinstance(node, list):
        for v in node:
            _jsonld_titles(v, out)


def raw_titles(tree: Any) -> list[tuple[str, str]]:
    """(source, text) for every title-like statement of a parsed page, in document order."""
    out: list[tuple[str, str]] = []
    for el in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "title", "meta", "script"):
        tag = el.tag
        if tag == "title":
            out.append(("title", el.text_content()))
        elif tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if "title" in key or "headline" in key:
                out.append((key if key in STATED else "meta", el.get("content") or ""))
        elif tag == "script":
            if "ld+json" in (el.get("type") or "").lower():
                try:
                    _jsonld_titles(json.loads(el.text or ""), out)
                except ValueError:
                    continue
        else:
            out.append((tag, el.text_content()))
    for el in tree.xpath("//*[@itemprop='headline' or @itemprop='name']"):
        text = el.get("content") if el.tag == "meta" else el.text_content()
        out.append(("itemprop" if el.get("itemprop") == "headline" else "meta", text or ""))
    return [(s, t) for s, t in ((s, _clean(t)) for s, t in out) if t]


def _forms(text: str, site: list[str]) -> tuple[set[str], set[str]]:
    """The text whole (entities decoded again, the site's name cut) and the runs of its
    segments a chooser could cut it to."""
    from transforms.metadata.titles import strip_decoration

    whole = {text, _clean(unescape(text))}
    forms: set[str] = set()
    for t in list(whole):
        parts = [p for p in _SEP.split(t) if p.strip()]
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                # a run keeps the separators between its segments as the text has them
                start = t.find(parts[i])
                end = t.rfind(parts[j - 1]) + len(parts[j - 1])
                if 0 <= start < end:
                    forms.add(_clean(t[start:end]))
        whole.add(_clean(strip_decoration(t, site, leading=True) or ""))
        whole.add(_clean(strip_decoration(t, site, leading=False) or ""))

    def keep(found: set[str]) -> set[str]:
        return {f for f in found if f and len(f.split()) <= _MAX_WORDS}

    return keep(whole), keep(forms - whole)


def offered_titles(tree: Any, site: list[str]) -> dict[str, set[str]]:
    """Every title the page offers, by `norm_title`, with the sources offering it (a source
    that offers it only as a run of its segments is marked "source+run")."""
    from transforms.metadata.titles import norm_title

    out: dict[str, set[str]] = {}
    for source, text in raw_titles(tree):
        whole, runs = _forms(text, site)
        for form in whole:
            out.setdefault(norm_title(form), set()).add(source)
        for form in runs:
            out.setdefault(norm_title(form), set()).add(source + "+run")
    return out


def _level(truth: str, rule: str | None, offered: dict[str, set[str]], tree: Any) -> str:
    from transforms.metadata.titles import norm_title, squash

    key = norm_title(truth)
    if norm_title(rule) == key:
        return "rule"
    if key in offered:
        return "oracle_stated" if {s.split("+")[0] for s in offered[key]} & STATED else "oracle_all"
    if squash(truth) and any(squash(k) == squash(truth) for k in offered):
        return "punctuation_only"
    body = tree.find("body")
    text = norm_title(body.text_content() if body is not None else "")
    if key in text:
        return "in_text"
    from lxml import etree

    markup = norm_title(unescape(etree.tostring(tree, encoding="unicode")))
    return "in_markup" if key in markup else "nowhere"


def page_levels(data: Path) -> list[dict]:
    """One row a titled dev article page: its id, truth, the rule's title and its level."""
    import lxml.html

    from transforms.core.config import PipelineConfig
    from transforms.html.extract import ParseHtmlStep
    from transforms.metadata.html_evidence import collect_evidence
    from transforms.metadata.site import site_and_host
    from transforms.metadata.steps import HtmlMetadataStep
    from transforms.metadata.titles import norm_title
    from transforms.text.decode import DecodeStep

    config = PipelineConfig()
    decode, meta = DecodeStep(config), HtmlMetadataStep(config)
    # as `transforms.pipeline` wires it: a page without text keeps what its head states
    parse = ParseHtmlStep(config, on_empty=meta.apply)
    rows = []
    for page in iter_pages(data, page_type="article"):
        if not page.title:
            continue
        doc = page.as_article()
        decode.apply(doc)
        tree = lxml.html.document_fromstring(doc.markup.html or "<html></html>")
        if parse.apply(doc) is None:
            meta.apply(doc)
        site = site_and_host(collect_evidence(tree), doc.url)
        offered = offered_titles(tree, site)
        level = _level(page.title, doc.title, offered, tree)
        sources = offered.get(norm_title(page.title), set())
        rows.append(
            {
                "id": page.file_id,
                "truth": page.title,
                "rule": doc.title,
                "level": level,
                "whole": any("+" not in s for s in sources),
                "candidates": len(offered),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show", type=int, default=0, help="print N pages of each level past rule")
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth").is_dir():
        print(f"skipped: {args.data} not found")
        return 0
    rows = page_levels(args.data)
    n = len(rows)
    counts = Counter(r["level"] for r in rows)
    oracle = counts["rule"] + counts["oracle_stated"] + counts["oracle_all"]
    out = {"pages": n, **{k: counts[k] for k in LEVELS}}
    out["rule_share"] = round(counts["rule"] / n, 3)
    out["oracle_stated_share"] = round((counts["rule"] + counts["oracle_stated"]) / n, 3)
    out["oracle_share"] = round(oracle / n, 3)
    # the oracle without cutting a stated title into segment runs (only the site's name cut)
    whole = sum(
        r["level"] == "rule" or (r["whole"] and r["level"].startswith("oracle")) for r in rows
    )
    out["oracle_whole_share"] = round(whole / n, 3)
    out["candidates_per_page"] = round(sum(r["candidates"] for r in rows) / n, 1)
    print(json.dumps(out))
    for level in LEVELS[1:]:
        for r in [r for r in rows if r["level"] == level][: args.show]:
            print(f"{level:16} {r['id']:>5}  truth={r['truth']!r}  rule={r['rule']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

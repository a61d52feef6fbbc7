"""The titles a page states, as candidates for its headline, each with features of its own
and of its agreement with the others (for `benchmarks.title_chooser`).

A page states its title several times: the visible h1, og:title, twitter:title, the JSON-LD
headline, `<title>` (with the site's name cut off), itemprop=headline. Templates and editors
differ on which one carries the headline a reader means: an SEO title worded apart from the
h1, an h1 that is a section's or blog's name, a kicker glued to one of them. What decides is
the page's own evidence: which candidates agree once decoration is cut, which one contains
another, which one the URL path words, where the h1 sits. No word or site list is used.

Candidates are distinct by `norm_title` (the comparison a reader's eye makes: case, quotes,
spaces); each carries the set of sources that state it. The rule-based choice
(`headline.choose_title`) is one source among them ("rule").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import unescape

from transforms.metadata.evidence import HtmlEvidence
from transforms.metadata.titles import (
    content_words,
    names_match,
    norm_title,
    squash,
    strip_decoration,
)
from transforms.metadata.urls import url_path

SOURCES = (
    "rule",
    "h1",
    "h1_raw",
    "jsonld",
    "og",
    "twitter",
    "meta",
    "itemprop",
    "title",
    "head",
    "first",
    "cut",
)
# a separator between a title's segments (a dash or bar set apart by spaces)
_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::)\s+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_GLUED = re.compile(r"[a-z]{2}[A-Z][a-z]")
_MAX_WORDS = 40


@dataclass(slots=True)
class Candidate:
    """One distinct title the page states, and the sources stating it."""

    text: str
    sources: set[str] = field(default_factory=set)


def _add(cands: dict[str, Candidate], text: str | None, source: str) -> None:
    text = " ".join(unescape(text or "").split())
    key = norm_title(text)
    if not key or len(text.split()) > _MAX_WORDS:
        return
    cands.setdefault(key, Candidate(text)).sources.add(source)


def collect_candidates(
    ev: HtmlEvidence, site: list[str], rule: str | None
) -> tuple[list[Candidate], list[str]]:
    """The distinct titles the page states (rule choice first) and the visible h1 texts."""
    cands: dict[str, Candidate] = {}
    _add(cands, rule, "rule")
    h1s = sorted(ev.h1, key=lambda p: (not p.in_article, p.order))
    heads = [h.text for h in h1s]
    if h1s:
        _add(cands, strip_decoration(h1s[0].text, site, leading=False), "h1")
        _add(cands, h1s[0].text, "h1_raw")
    for node in ev.articles[:1]:
        for key in ("headline", "name"):
            if isinstance(v := node.get(key), str) and v.strip():
                _add(cands, strip_decoration(unescape(v), site, heads), "jsonld")
                break
    for key, source in (("og:title", "og"), ("twitter:title", "twitter")):
        _add(cands, strip_decoration(unescape(ev.meta_first(key) or ""), site, heads), source)
    for key in ("dc.title", "dcterms.title", "title", "headline"):
        if v := ev.meta_first(key):
            _add(cands, strip_decoration(unescape(v), site, heads), "meta")
            break
    for v in ev.itemprops.get("headline", [])[:1]:
        _add(cands, strip_decoration(unescape(v), site, heads), "itemprop")
    if ev.title_tag:
        tag = unescape(ev.title_tag)
        _add(cands, strip_decoration(tag, site, heads), "title")
        parts = [p for p in _SEP.split(" ".join(tag.split())) if p.strip()]
        if len(parts) > 1:
            _add(cands, max(parts, key=lambda p: len(p.split())), "head")
            _add(cands, parts[0], "first")
    if rule and len(parts := _SEP.split(rule)) > 1:
        _add(cands, parts[0], "cut")
    return list(cands.values()), heads


def _features(
    c: Candidate,
    cands: list[Candidate],
    ev: HtmlEvidence,
    site: list[str],
    slug: set[str],
    visible: str = "",
) -> dict[str, float]:
    key = squash(c.text)
    others = [squash(o.text) for o in cands if o is not c]
    words = c.text.split()
    cw = content_words(c.text)
    f: dict[str, float] = {f"src_{s}": float(s in c.sources) for s in SOURCES}
    stated = c.sources - {"rule", "h1_raw"}
    f["n_sources"] = float(len(stated))
    f["meta_sources"] = float(len(stated - {"h1", "head"}))
    f["log_words"] = math.log1p(len(words))
    f["contains_other"] = float(any(o and o != key and o in key for o in others))
    f["inside_other"] = float(any(key and key != o and key in o for o in others))
    lens = [len(o.text.split()) for o in cands]
    f["longest"] = float(len(words) == max(lens))
    f["shortest"] = float(len(words) == min(lens))
    f["slug_share"] = len(cw & slug) / len(cw) if cw and slug else 0.0
    shares = [len(content_words(o.text) & slug) / max(1, len(content_words(o.text))) for o in cands]
    f["slug_best"] = float(bool(slug) and f["slug_share"] >= max(shares) and f["slug_share"] > 0)
    f["has_sep"] = float(bool(_SEP.search(c.text)))
    f["names_site"] = float(any(names_match(p, site) for p in _SEP.split(c.text) if p.strip()))
    f["upper"] = float(sum(w.isupper() for w in words) > len(words) / 2)
    h1 = "h1" in c.sources
    first = min(ev.h1, key=lambda p: (not p.in_article, p.order), default=None)
    f["h1_in_article"] = float(h1 and first is not None and first.in_article)
    f["h1_many"] = float(h1 and len(ev.h1) > 1)
    f["h1_alone"] = float(h1 and len(stated) == 1)
    f["meta_alone"] = float(
        not h1 and len(stated - {"head"}) >= 1 and "title" in c.sources and len(stated) == 1
    )
    f["n_cands"] = float(len(cands))
    f["year"] = float(bool(_YEAR.search(c.text)))
    f["year_only_here"] = float(f["year"] > 0 and not all(_YEAR.search(o.text) for o in cands))
    f["brackets"] = float(bool(re.search(r"[\[(]", c.text)))
    f["glued"] = float(bool(_GLUED.search(c.text)))
    f["question"] = float(c.text.rstrip().endswith("?"))
    # the second round (issue 30): the page's visible text, the slug's recall, case, position
    f["shown"] = float(bool(key) and key in visible)
    f["lede_share"] = len(cw & content_words(ev.header_after)) / len(cw) if cw else 0.0
    f["slug_recall"] = len(cw & slug) / len(slug) if cw and slug else 0.0
    caps = [w for w in words if w[:1].isalpha()]
    f["title_case"] = sum(w[0].isupper() for w in caps) / len(caps) if caps else 0.0
    f["h1_order"] = math.log1p(first.order) if h1 and first is not None else -1.0
    f["n_h1"] = float(len(ev.h1))
    f["agree_h1"] = float(any(squash(h.text) == key for h in ev.h1))
    rule = next((o for o in cands if "rule" in o.sources), None)
    if rule is not None and rule is not c:
        ra = content_words(rule.text)
        f["sim_rule"] = len(cw & ra) / max(1, len(cw | ra))
        f["words_vs_rule"] = math.log1p(len(words)) - math.log1p(len(rule.text.split()))
    else:
        f["sim_rule"], f["words_vs_rule"] = 1.0, 0.0
    return f


def candidate_features(
    ev: HtmlEvidence, url: str | None, site: list[str], rule: str | None, visible: str = ""
) -> tuple[list[Candidate], list[dict[str, float]]]:
    """Candidates and one feature dict each (the order of `collect_candidates`); `visible` is
    the page's body text squashed (`titles.squash`), to tell a shown title from a meta-only
    one."""
    cands, _ = collect_candidates(ev, site, rule)
    slug = content_words(url_path(url))
    return cands, [_features(c, cands, ev, site, slug, visible) for c in cands]

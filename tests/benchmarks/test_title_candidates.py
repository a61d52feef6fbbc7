"""The title-chooser experiment's candidates and ranking, on a page of the project's making."""

import pytest
from lxml import html as lxml_html

from benchmarks.byline_visibility import visible_letters
from benchmarks.title_candidates import candidate_features, collect_candidates
from benchmarks.title_chooser import _patterns, best_index
from transforms.metadata.html_evidence import collect_evidence

PAGE = """<html><head><title>Tide gauges drift in winter - Field notes | Lantern Post</title>
<meta property="og:title" content="Why tide gauges drift in winter">
<script type="application/ld+json">{"@type": "NewsArticle",
 "headline": "Why tide gauges drift in winter", "author": {"name": "Mira Holt"}}</script>
</head><body><article><h1>Tide gauges drift in winter - Field notes</h1>
<p>The harbour board checked its gauges after the cold snap.</p></article></body></html>"""
URL = "https://lanternpost.example/2026/why-tide-gauges-drift"


def _cands():
    ev = collect_evidence(lxml_html.fromstring(PAGE))
    return candidate_features(
        ev, URL, ["Lantern Post"], "Tide gauges drift in winter - Field notes"
    )


def test_candidates_are_distinct_titles_with_their_sources():
    ev = collect_evidence(lxml_html.fromstring(PAGE))
    cands, heads = collect_candidates(
        ev, ["Lantern Post"], "Tide gauges drift in winter - Field notes"
    )
    by_text = {c.text: c.sources for c in cands}
    assert heads == ["Tide gauges drift in winter - Field notes"]
    assert by_text["Why tide gauges drift in winter"] == {"jsonld", "og"}
    # the rule's choice is the h1 and the <title> without the site's name
    assert {"rule", "h1", "title"} <= by_text["Tide gauges drift in winter - Field notes"]
    # the rule's choice cut at its separator, also the <title>'s first segment
    assert {"cut", "first"} <= by_text["Tide gauges drift in winter"]


def test_features_read_agreement_and_the_url():
    cands, feats = _cands()
    f = dict(zip((c.text for c in cands), feats, strict=True))
    meta = f["Why tide gauges drift in winter"]
    assert meta["n_sources"] == 2 and meta["meta_sources"] == 2
    assert meta["slug_best"] == 1.0  # the URL path words it ("why-tide-gauges-drift")
    assert f["Tide gauges drift in winter"]["inside_other"] == 1.0
    assert f["Tide gauges drift in winter - Field notes"]["has_sep"] == 1.0


@pytest.mark.parametrize(
    ("weights", "expected"),
    [([1.0, 0.0], 1), ([0.0, 1.0], 0), ([0.0, 0.0], 0)],  # a tie keeps the first (the rule's)
)
def test_best_index(weights, expected):
    feats = [{"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 0.0}]
    assert best_index(feats, ["a", "b"], weights) == expected


@pytest.mark.parametrize(("margin", "expected"), [(0.0, 1), (0.5, 1), (1.0, 0), (2.0, 0)])
def test_best_index_leaves_the_rule_only_by_a_margin(margin, expected):
    feats = [{"a": 0.0}, {"a": 1.0}]  # the second outscores the rule's choice by 1.0
    assert best_index(feats, ["a"], [1.0], margin) == expected


def test_visible_letters_leave_out_head_and_scripts():
    raw = b"<html><head><title>Ann Lee</title></head><body><script>var a='Bo Chen'</script><p>By Cy Diaz</p></body></html>"
    seen = visible_letters(raw)
    assert "cydiaz" in seen and "annlee" not in seen and "bochen" not in seen


def test_features_read_the_shown_text_and_the_slug_recall():
    from transforms.metadata.titles import squash

    ev = collect_evidence(lxml_html.fromstring(PAGE))
    rule = "Tide gauges drift in winter - Field notes"
    visible = squash("Tide gauges drift in winter - Field notes The harbour board checked")
    cands, feats = candidate_features(ev, URL, ["Lantern Post"], rule, visible)
    f = dict(zip((c.text for c in cands), feats, strict=True))
    assert f[rule]["shown"] == 1.0 and f["Why tide gauges drift in winter"]["shown"] == 0.0
    # the path's content words are 2026, tide, gauges, drift: the og:title has three
    assert f["Why tide gauges drift in winter"]["slug_recall"] == 0.75
    assert f[rule]["h1_order"] >= 0.0 and f["Why tide gauges drift in winter"]["h1_order"] == -1.0


def _row(texts, right, h1=(True,), meta=(), inside=()):
    feats = [
        {
            "src_h1": float(i < len(h1) and h1[i]),
            "meta_sources": float(i in meta),
            "inside_other": float(i in inside),
        }
        for i in range(len(texts))
    ]
    for i in meta:
        feats[i]["meta_sources"] = 2.0
    return {"texts": texts, "feats": feats, "right": right, "rule_ok": right[0]}


def test_patterns_count_both_sides():
    rows = [
        # "Headline – more words": the truth is the part before the dash
        _row(["Tide gauges – a field guide", "Tide gauges"], [False, True]),
        # the same words as a stated title with other punctuation: the h1's form is right
        _row(["Tide gauges drift?", "Tide gauges drift"], [True, False]),
        # a short h1 against a title two sources state
        _row(["Tide notes", "Why tide gauges drift in winter"], [False, True], meta=(1,)),
    ]
    out = _patterns(rows)
    assert out["dash_whole_vs_first"] == [0, 1]
    assert out["h1_form_vs_punct"] == [1, 0]
    # only the third page states a title twice beside a short h1
    assert out["short_h1_vs_meta"] == [0, 1]

"""The learned line filter: features, the compiled trees, the guards, and the shipped model on
pages of our own making (prose with chrome, a list article, code, a Chinese article)."""

from __future__ import annotations

import pytest

from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Markup
from transforms.text.block_features import FEATURES, block_features
from transforms.text.block_filter import (
    BlockFilterStep,
    BlockModel,
    TextBlockFilterStep,
    compile_trees,
    filter_lines,
    shipped_model,
    walk_trees,
)

STOP = FEATURES.index("stop_share")
WORDS = FEATURES.index("words")

# a hand-made model: a line with almost no function words is chrome, one with several is prose
LABEL_MODEL = BlockModel(
    {"meta": {}, "features": FEATURES, "trees": [[STOP, 0.1, -4.0, 4.0]], "base": 0.0}
)

PROSE = [
    "The council voted on Tuesday to extend the night bus service to the harbour district.",
    "The transport office expects the first routes to start in early June, once drivers are hired.",
    "Opponents questioned the cost, which the budget committee put at four million a year.",
]


def test_features_one_row_a_line_in_order():
    lines = ["Harbour buses", *PROSE, "Share"]
    rows = block_features(lines, "Harbour buses extended", "article", True)
    assert len(rows) == len(lines)
    assert all(len(r) == len(FEATURES) for r in rows)
    assert rows[0][FEATURES.index("is_first")] == 1.0
    assert rows[-1][FEATURES.index("is_last")] == 1.0
    assert rows[0][FEATURES.index("in_title")] == 1.0
    assert rows[1][STOP] > 0.2 > rows[-1][STOP]
    assert rows[1][FEATURES.index("type_article")] == 1.0


@pytest.mark.parametrize(
    ("line", "feature"),
    [
        ("- first item of a list", "bullet"),
        ("const total = items.length;", "code"),
        ("市议会周二投票决定延长夜间公交服务。", "cjk"),
        ("June 9 – Tampa, FL @ Harbour Amphitheatre", "form"),
        ("Home » News » Local", "pipe_or_arrow"),
    ],
)
def test_markers(line, feature):
    rows = block_features([PROSE[0], line], None, "article", False)
    assert rows[1][FEATURES.index(feature)] == 1.0
    assert rows[0][FEATURES.index(feature)] == 0.0


def test_compiled_trees_score_as_walked():
    trees = [[STOP, 0.1, [WORDS, 5.0, -1.0, 0.5], 2.0], [WORDS, 12.0, 0.25, -0.75]]
    score = compile_trees(trees, 0.1)
    for row in block_features(["Share", *PROSE, "Read more news"], "t", "listing", True):
        assert score(row) == pytest.approx(walk_trees(trees, 0.1, row))


def test_filter_removes_low_lines_keeps_paragraphs():
    paragraphs = [PROSE[0], "Share now\nTwitter", PROSE[1] + "\n" + PROSE[2]]
    kept, removed = filter_lines(paragraphs, None, "article", True, None, LABEL_MODEL, 0.5, 0.5)
    assert removed == 2
    assert kept == [PROSE[0], PROSE[1] + "\n" + PROSE[2]]


@pytest.mark.parametrize(
    ("paragraphs", "min_share"),
    [
        (["Share on Facebook"], 0.5),  # a single line: never
        (["Share now", "Related News", PROSE[0]], 0.9),  # too much of the body would go
    ],
)
def test_guards_leave_the_body_whole(paragraphs, min_share):
    kept, removed = filter_lines(
        paragraphs, None, "article", True, None, LABEL_MODEL, 0.5, min_share
    )
    assert (kept, removed) == (paragraphs, 0)


@pytest.mark.parametrize(
    ("settings", "page_type"),
    [({"clean.block_filter_min_keep": "0"}, "article"), ({}, "collection")],
)
def test_step_leaves_the_body_when_off_or_on_another_type(settings, page_type):
    doc = Article("d", "d.html", "html", "html", markup=Markup(raw=b""), page_type=page_type)
    doc.set_paragraphs([PROSE[0], "Share now", "Twitter", PROSE[1]])
    doc.markup.link_text = "share now twitter"
    before = doc.text
    BlockFilterStep(PipelineConfig().with_settings(settings)).apply(doc)
    assert doc.text == before and not doc.changes


@pytest.mark.parametrize(
    ("step_type", "content_kind", "filtered"),
    [
        (BlockFilterStep, "html", False),  # an article page: not in the default types
        (TextBlockFilterStep, "text", True),  # a dump is typed article, and every dump is read
    ],
)
def test_page_types_limit_html_pages_not_dumps(step_type, content_kind, filtered):
    step = step_type(PipelineConfig())
    step._model = LABEL_MODEL  # the hand-made model, so the outcome does not hang on training
    doc = Article("d", "d", content_kind, content_kind, markup=Markup(raw=b""), page_type="article")
    doc.set_paragraphs([PROSE[0], "Share now", "Twitter", PROSE[1]])
    step.apply(doc)
    assert (doc.paragraphs == [PROSE[0], PROSE[1]]) is filtered


LINKS = "home news sport harbour buses extended share on facebook read more"

# Pages of our own making that the shipped model must leave (nearly) whole.
TOUR = [
    "The band announced a summer tour of twelve cities on Monday, its first in four years.",
    "Tour dates:",
    "June 9 – West Harbour, FL @ Lakeside Amphitheatre",
    "June 11 – Port Ellis, GA @ Riverside Hall",
    "June 14 – Northbay, NC @ Pine Arena",
    "June 17 – Clearwater Falls, VA @ The Old Mill",
    "Tickets go on sale on Friday at ten in the morning through the venues' box offices.",
]
CODE = [
    "To fetch the posts, send a query that names the fields you want returned.",
    "query GetPosts($first: Int) {",
    "  posts(first: $first) {",
    "    title",
    "  }",
    "}",
    "The server answers with exactly the fields the query asked for and nothing more.",
]
CHINESE = [
    "市议会周二投票决定将夜间公交服务延长至港口区，此前轮班工人抱怨了一年。",
    "交通部门预计，首批延长线路将于六月初开通，届时夜班司机将完成招聘和培训。",
    "反对者对成本提出质疑，预算委员会估计每年需要四百万元。",
    "议员们表示，将在一年后根据乘客数量重新评估这项服务。",
]


@pytest.mark.parametrize(
    ("paragraphs", "page_type", "html"),
    [
        (PROSE * 2, "article", True),
        (TOUR, "article", True),
        (TOUR, "article", False),
        (CODE, "documentation", True),
        (CHINESE, "article", True),
        (CHINESE, "article", False),
        (PROSE * 2, "article", False),
        (CODE, "article", False),
    ],
)
def test_shipped_model_spares_prose_lists_code_and_cjk(paragraphs, page_type, html):
    kind = "html" if html else "text"
    model = shipped_model(kind)
    if model is None:
        pytest.skip(f"no {kind} model (python -m benchmarks.train_blocks --path {kind} --write)")
    clean = PipelineConfig().clean
    min_keep = clean.block_filter_min_keep if html else clean.block_filter_text_min_keep
    kept, removed = filter_lines(
        paragraphs, "A page", page_type, html, LINKS if html else None, model, min_keep, 0.5
    )
    assert removed <= 1, [p for p in paragraphs if p not in kept]


@pytest.mark.parametrize(
    "line",
    [
        "June 9 – Tampa, FL @ Harbour Amphitheatre",
        "March brought rain to the harbour",  # a month-led line without digits
        "Weight: 1.2 kg",
        "Rovers 2-1 United",
        "| Size | 12 |",
        "Best Novel – Mara Quill",
        "The council voted on Tuesday.",
        "Share",
    ],
)
def test_form_shortcut_agrees_with_line_form(line):
    from transforms.text.block_features import _DIGIT, _has_form
    from transforms.text.forms import line_form

    assert _has_form(line, bool(_DIGIT.search(line))) == (line_form(line) is not None)

"""A page with no text (a script shell) is quarantined by parse_html with what its head states:
the quarantine row keeps the title, as a paywall stub's does."""

import pytest

from transforms.core.record import Article
from transforms.core.steps import run_steps
from transforms.pipeline import build_steps

_SHELL = """<!doctype html><html><head>{head}</head>
<body><div id="app"></div><script>window.boot({{"route": "/lists/42"}});</script></body></html>"""


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            "<title>My Favourite Board Games of the Year</title>",
            "My Favourite Board Games of the Year",
        ),
        (
            '<title>Ten Quiet Trails | Hillwalker</title><meta property="og:site_name"'
            ' content="Hillwalker"><meta property="og:title" content="Ten Quiet Trails">',
            "Ten Quiet Trails",
        ),
        ("<meta charset='utf-8'>", None),
    ],
)
def test_script_shell_is_quarantined_with_its_stated_title(head, title):
    doc = Article(doc_id="d", source_path="p.html", source_format="html", content_kind="html")
    doc.url = "https://example.org/lists/42"
    doc.markup.raw = _SHELL.format(head=head).encode()
    kept, dropped, _ = run_steps([doc], build_steps())
    assert not kept
    [(gone, drop)] = dropped
    assert (drop.stage, drop.reason) == ("parse_html", "no_text_in_html")
    assert gone.title == title
    assert gone.markup.tree is None

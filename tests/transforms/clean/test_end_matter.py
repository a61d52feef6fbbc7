"""End-matter forms of single lines, and the cut by position in `classify_lines`."""

from __future__ import annotations

import pytest

from transforms.clean.end_matter import end_matter_kind
from transforms.clean.line_features import line_features, normalise_line
from transforms.clean.text_clean import TextCleanStep
from transforms.core.record import Article


def kind(line: str) -> str | None:
    return end_matter_kind(normalise_line(line), line, line_features(line))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("About the Author", "header"),
        ("About the authors:", "header"),
        ("Article Sources", "header"),
        ("References", "header"),
        ("Footnotes", "header"),
        ("Disclaimer", "header"),
        ("Reviewed by", "header"),
        (
            "Mara Quist is a freelance writer based in Lisbon who covers food, ferries and "
            "small-town politics.",
            "bio",
        ),
        (
            "Dr. Ivo Brandt is a professor of marine biology and has studied harbour seals for "
            "twenty years.",
            "bio",
        ),
        ("Hi, I'm Tessa, and I have been baking sourdough in this kitchen since 2009.", "bio"),
        ("Oriel is the agency's marketing manager and writes about ferries and boats.", "bio"),
        (
            "Ada Lind (@adalind) is the managing editor of the Harbour Post and a former teacher.",
            "bio",
        ),
        (
            "Disclaimer: the figures above are estimates and may differ from your own bill.",
            "legal",
        ),
        (
            "This material is for informational purposes only and should not be relied on when "
            "choosing a loan.",
            "legal",
        ),
        (
            "Nothing on this page is financial advice; the opinions are not investment advice "
            "and do not constitute an offer.",
            "legal",
        ),
        # a company or product described in the body is not a bio: no person's role
        (
            "Harbourline Labs is a platform that connects fishing fleets with buyers in real time.",
            None,
        ),
        # one capitalised word is a product or a company more often than a person
        ("Ferrix is a writer's tool that checks grammar as you type and suggests words.", None),
        # a sentence about references, a question, a plain body sentence
        ("The references in the report were checked twice.", None),
        ("What sources did the council use?", None),
        ("The quay was rebuilt in 1987 after the storm flooded the lower town.", None),
    ],
)
def test_end_matter_kind(line: str, expected: str | None) -> None:
    assert kind(line) == expected


BODY = [
    "The harbour festival returned on Saturday after a two-year pause, drawing crowds that "
    "organisers said were the largest in the town's history.",
    "Boats from a dozen neighbouring villages lined the quay, and the mayor opened the day "
    "with a short speech about the fishermen who founded the event.",
    "Local bakers sold out of their seaweed bread by noon, and the evening fireworks were "
    "moved to the breakwater because of the wind.",
    "Organisers said the festival would return next summer with a second stage for local "
    "bands and a longer programme for children on the beach.",
    "Volunteers spent the following morning clearing the quay, and the harbour master said "
    "the fishing boats would be back at their moorings by Monday evening.",
    "The town council has promised to publish the costs of the weekend before its next "
    "meeting, after complaints about the price of the fireworks last year.",
]
BIO = (
    "Mara Quist is a freelance writer based in Lisbon who covers food, ferries and small-town "
    "politics for regional papers."
)


@pytest.mark.parametrize("kind_", ["text", "html"])
def test_bio_and_references_after_the_article_go(kind_: str) -> None:
    doc = Article(doc_id="t", source_path="t", source_format="text", content_kind=kind_)
    doc.set_paragraphs([*BODY, "About the Author", BIO, "References", "Town archive, 1987."])
    TextCleanStep().apply(doc)
    assert doc.paragraphs == BODY
    assert doc.changes["end_matter_removed"] == 4


def test_bio_form_early_in_the_article_stays() -> None:
    # a profile opening with the subject's role is the article, not end matter: much follows
    doc = Article(doc_id="t", source_path="t", source_format="text", content_kind="html")
    doc.set_paragraphs([BODY[0], BIO, *BODY[1:]])
    TextCleanStep().apply(doc)
    assert doc.paragraphs == [BODY[0], BIO, *BODY[1:]]
    assert "end_matter_removed" not in doc.changes


LEGAL = (
    "The figures in this guide are for informational purposes only and do not constitute "
    "financial advice for any reader."
)


@pytest.mark.parametrize(("line", "cut"), [(LEGAL, True), (BIO, False)])
def test_a_legal_notice_opens_the_end_matter_further_up_than_a_bio(line: str, cut: bool) -> None:
    # about a quarter of the text follows the line: too much after a bio, not after a notice
    doc = Article(doc_id="t", source_path="t", source_format="text", content_kind="html")
    doc.set_paragraphs([*BODY, *BODY, line, BODY[0], BODY[1]])
    TextCleanStep().apply(doc)
    assert (doc.paragraphs == [*BODY, *BODY]) is cut

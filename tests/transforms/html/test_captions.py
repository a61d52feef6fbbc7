"""Credits, caption lines, and the two caption steps, on invented captions and pages."""

from __future__ import annotations

import pytest

from transforms.core.record import Article, Caption, Markup
from transforms.html.captions import HtmlCaptionStep, TextCaptionStep, is_caption_line, split_credit
from transforms.html.credits import is_credit
from transforms.html.extract import ParseHtmlStep


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (  # the credit printed twice by the scraper, once in brackets
            "Boats wait out the storm in the harbour on Monday. (Mo Reyes/AP) Mo Reyes/AP",
            "Boats wait out the storm in the harbour on Monday.",
            "Mo Reyes/AP",
        ),
        (
            "Firefighters rest near a burned barn outside Dayton, March 3, 2021. (Lena Ortiz/AP)",
            "Firefighters rest near a burned barn outside Dayton, March 3, 2021.",
            "Lena Ortiz/AP",
        ),
        (
            "A commuter waits for a delayed train. (AP Photo/Tom Becker, File)",
            "A commuter waits for a delayed train.",
            "AP Photo/Tom Becker, File",
        ),
        (
            "The harbour at dawn. Rui Santos/Getty Images",
            "The harbour at dawn.",
            "Rui Santos/Getty Images",
        ),
        (
            "A fox crosses the road. Photo: Mira Stone",
            "A fox crosses the road.",
            "Photo: Mira Stone",
        ),
        (
            "Lanterns over the river. Credit: Sam Hill",
            "Lanterns over the river.",
            "Credit: Sam Hill",
        ),
        (
            "Crowds outside the stadium. Photograph: Ada Kerr/The Daily Post",
            "Crowds outside the stadium.",
            "Photograph: Ada Kerr/The Daily Post",
        ),
        (
            "A map of the new route. Image: City Transit",
            "A map of the new route.",
            "Image: City Transit",
        ),
        (
            "Traders on the floor of the exchange (Reuters)",
            "Traders on the floor of the exchange",
            "Reuters",
        ),
        (
            "An early sketch of the bridge. Courtesy of the Town Archive",
            "An early sketch of the bridge.",
            "Courtesy of the Town Archive",
        ),
        (
            "(AP Photo/Jo Kim) Voters queue at a school.",
            "Voters queue at a school.",
            "AP Photo/Jo Kim",
        ),
        ("Photo: Ben Ray | Snow covers the square.", "Snow covers the square.", "Photo: Ben Ray"),
        ("Photo: Ben Ray", "", "Photo: Ben Ray"),
        ("Ana Lee/AFP via Getty Images", "", "Ana Lee/AFP via Getty Images"),
    ],
)
def test_split_credit(text: str, caption: str, credit: str) -> None:
    assert split_credit(text) == Caption(text=caption, credit=credit)


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire between the two sides held through the weekend.",
        "Talks on the Israel/Gaza border crossing resumed on Monday.",
        "He was born in 1950 (aged 74) and moved to the coast in 1990.",
        "Prices rose by 4% (see table) in the third quarter.",
        "Read more: how the council plans to pay for the new buses",
    ],
)
def test_split_credit_leaves_ordinary_sentences(text: str) -> None:
    assert split_credit(text) == Caption(text=text, credit=None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Soldiers walk at a base near the border, Feb. 24, 2022. (Jane Doe/AP)", True),
        ("Getty Images", True),
        ("FILE - A tanker is moored at the port terminal on June 2, 2020.", True),
        ("Pictured: the old mill before the fire.", True),
        ("The mayor said the budget would be balanced by the end of next year.", False),
        ("Share this article", False),
        ("(AP)", False),  # a wire byline line, read by the metadata step
        ("(AP Photo/Jo Kim)", True),
        ("", False),
    ],
)
def test_is_caption_line(line: str, expected: bool) -> None:
    assert is_caption_line(line) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Jane Doe/AP", True), ("Photo by Jane Doe", True), ("Israel/Gaza", False), ("Hello", False)],
)
def test_is_credit(text: str, expected: bool) -> None:
    assert is_credit(text) is expected


def html_doc(body: str) -> Article:
    markup = f"<html><head><title>t</title></head><body>{body}</body></html>"
    doc = Article(
        doc_id="d",
        source_path="p",
        source_format="html",
        content_kind="html",
        markup=Markup(html=markup),
    )
    assert ParseHtmlStep().apply(doc) is None
    return doc


def test_html_captions_from_figures_classes_and_alt() -> None:
    doc = html_doc(
        "<article><p>Body text of the story goes here and continues for a while.</p>"
        "<figure><img src='a.jpg' alt='ignored because the figcaption wins'>"
        "<figcaption>Boats wait out the storm in the harbour. "
        "<span class='credit'>Ola Berg/AP</span></figcaption></figure>"
        "<div class='image-caption'>Volunteers fill sandbags on the quay. (Photo: Tim Roe)</div>"
        "<img src='b.jpg' alt='A child holds a paper boat by the water'>"
        "<img src='c.jpg' alt='IMG_2041.jpg'><img src='d.jpg' alt='Company Logo'>"
        "<figure><figcaption>Boats wait out the storm in the harbour.</figcaption></figure>"
        "</article>"
        "<aside><figure><figcaption>A teaser picture for another story entirely</figcaption>"
        "</figure></aside>"
    )
    assert HtmlCaptionStep().apply(doc) is None
    assert doc.captions[:2] == [
        Caption("Boats wait out the storm in the harbour.", "Ola Berg/AP"),
        Caption("Volunteers fill sandbags on the quay.", "Photo: Tim Roe"),
    ]
    texts = [c.text for c in doc.captions]
    assert "A child holds a paper boat by the water" in texts
    assert not any("teaser" in t or "IMG" in t or "Logo" in t for t in texts)
    assert len(texts) == len({t.lower() for t in texts})


@pytest.mark.parametrize(
    ("attrs", "taken"),
    [
        ("class='Image-CAPTION'", True),
        ("id='photoCredit'", True),
        ("class='wp-block' id='FigCap-1'", True),
        ("class='captıon'", True),  # a dotless i: the case-insensitive search still matches
        ("class='figure'", False),
        ("", False),
    ],
)
def test_html_caption_classes_in_any_case(attrs: str, taken: bool) -> None:
    doc = html_doc(
        "<article><p>Body text of the story goes here and continues for a while.</p>"
        f"<div {attrs}>Volunteers fill sandbags on the quay. (Photo: Tim Roe)</div></article>"
    )
    HtmlCaptionStep().apply(doc)
    assert bool(doc.captions) is taken


CAPTION = "Rescue teams search the rubble after the quake, Oct. 9, 2023. (Nia Shaw/AP)"
BODY = [
    "The earthquake struck shortly before dawn, when most residents were still asleep.",
    "Officials said at least two hundred buildings had collapsed in the old town.",
]


def text_doc(paragraphs: list[str], captions: list[Caption] | None = None) -> Article:
    doc = Article(doc_id="d", source_path="p", source_format="text", content_kind="text")
    doc.set_paragraphs(paragraphs)
    doc.captions = list(captions or [])
    return doc


def test_text_caption_printed_twice_is_kept_once() -> None:
    doc = text_doc([BODY[0], CAPTION, CAPTION, BODY[1]])
    assert TextCaptionStep().apply(doc) is None
    assert doc.paragraphs == BODY
    assert doc.captions == [
        Caption("Rescue teams search the rubble after the quake, Oct. 9, 2023.", "Nia Shaw/AP")
    ]
    assert doc.changes == {"caption_moved": 1, "caption_duplicate_removed": 1}


def test_body_paragraphs_around_a_new_caption_stay() -> None:
    # no caption is known before the first one: the paragraphs before it have no key, and the
    # caption is filed under its own line's key, not a body paragraph's
    short = "The mayor said the bridge would reopen in May, after the repairs."
    doc = text_doc([short, CAPTION, short, CAPTION, BODY[1]])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [short, short, BODY[1]]
    assert doc.changes == {"caption_moved": 1, "caption_duplicate_removed": 1}


def test_text_caption_already_taken_from_html_is_only_removed() -> None:
    known = Caption("Rescue teams search the rubble after the quake, Oct. 9, 2023.", "Nia Shaw/AP")
    plain = "Rescue teams search the rubble after the quake, Oct. 9, 2023."
    doc = text_doc([BODY[0], plain, BODY[1], CAPTION], [known])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == BODY
    assert doc.captions == [known]
    assert doc.changes == {"caption_duplicate_removed": 2}


def test_text_credit_line_after_caption_becomes_its_credit() -> None:
    doc = text_doc([BODY[0], "FILE - Rescue teams search the rubble.", "Photo: Nia Shaw", BODY[1]])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == BODY
    assert doc.captions == [Caption("FILE - Rescue teams search the rubble.", "Photo: Nia Shaw")]


def test_text_without_captions_is_untouched() -> None:
    doc = text_doc(BODY)
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == BODY
    assert doc.captions == []
    assert doc.changes == {}


def test_credit_only_figcaption_takes_the_alt_text_as_caption() -> None:
    doc = html_doc(
        "<header><figure><img src='x.jpg' alt='A heron stands in the shallow lake water'>"
        "<figcaption>Image credit: Pia Holm</figcaption></figure></header>"
        "<figure><figcaption>Night market</figcaption></figure>"
        "<figure><figcaption>Credit: Lee Moss</figcaption></figure>"
    )
    HtmlCaptionStep().apply(doc)
    assert doc.captions == [
        Caption("A heron stands in the shallow lake water", "Image credit: Pia Holm"),
        Caption("Night market", None),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Tips for New Runners",  # "Name for Name": a heading, not "Jo Roe for The Times"
        "Best for Small Kitchens",
        "21. Safety Lockout/Tagout Kit",  # "Name/Name" without an agency: a list item
        "Questions About Salary/Benefits",
    ],
)
def test_weak_credit_forms_alone_are_not_captions(line: str) -> None:
    assert is_caption_line(line) is False


def test_weak_credit_line_after_a_caption_is_its_credit() -> None:
    doc = Article(doc_id="d", source_path="p", source_format="text", content_kind="text")
    body = "The quay was rebuilt in 1987 after the storm flooded the lower town and the market."
    doc.set_paragraphs(
        ["FILE - The old quay in winter, 1986.", "Jo Roe for The Harbour Post", body]
    )
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [body]
    assert doc.captions == [
        Caption(text="FILE - The old quay in winter, 1986.", credit="Jo Roe for The Harbour Post")
    ]


@pytest.mark.parametrize(
    ("text", "strong"),
    [("Jo Roe/AP", True), ("Photo: Jo Roe", True), ("Jo Roe/The Harbour Post", False)],
)
def test_strong_and_weak_credits(text: str, strong: bool) -> None:
    assert is_credit(text)
    assert is_credit(text, weak=False) is strong


# --- guards: the lead and long runs stay in the body ------------------------------------------

WIRE_LEAD = (
    "(Reuters) - The state attorney general on Tuesday sued a drug maker over the price of its "
    "insulin, saying the company misled patients for years."
)


def test_a_wire_lead_is_not_a_caption() -> None:
    doc = text_doc([WIRE_LEAD, *BODY])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [WIRE_LEAD, *BODY]
    assert doc.captions == []


def test_a_lead_image_caption_above_the_lead_still_moves() -> None:
    doc = text_doc([CAPTION, WIRE_LEAD, *BODY])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [WIRE_LEAD, *BODY]
    assert len(doc.captions) == 1


def _blurb(name: str) -> str:
    return (
        f"The {name} kettle boils a full litre in under three minutes, keeps water warm for an "
        "hour and has a filter that lifts out for cleaning, which makes it our pick for most "
        "kitchens this year, whether you brew tea once a day or many times."
    )


def test_a_long_run_of_caption_classed_sections_stays_in_the_body() -> None:
    blurbs = [_blurb(name) for name in ("Harbour", "Meadow", "Summit", "Cedar")]
    doc = text_doc([BODY[0], *blurbs, BODY[1]], [Caption(b) for b in blurbs])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [BODY[0], *blurbs, BODY[1]]
    assert doc.changes == {"caption_run_kept": 4}


def test_a_short_run_of_gallery_captions_still_moves() -> None:
    captions = [f"Rescue teams search the rubble on day {n}." for n in ("one", "two", "three")]
    doc = text_doc([BODY[0], *captions, BODY[1]], [Caption(c) for c in captions])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == BODY
    assert doc.changes == {"caption_duplicate_removed": 3}


@pytest.mark.parametrize(
    ("beside", "taken"),
    [
        # a teaser card: the picture's alt repeats the headline linked beside it
        ("<h3><a href='/story/otters-return'>Otters return to the old mill stream</a></h3>", False),
        # a section's illustration: the alt repeats the section's heading
        ("<h2>Otters return to the old mill stream</h2>", False),
        # an in-page anchor is no link off the page; a paragraph's words are no label
        ("<a href='#top'>Otters return to the old mill stream</a>", True),
        ("<p>Otters return to the old mill stream, the survey found this spring.</p>", True),
    ],
)
def test_alt_text_repeating_a_heading_or_link_is_no_caption(beside: str, taken: bool) -> None:
    doc = html_doc(
        "<main><div class='card'><img src='o.jpg' alt='Otters return to the old mill stream'>"
        f"{beside}</div></main>"
    )
    assert HtmlCaptionStep().apply(doc) is None
    assert (Caption("Otters return to the old mill stream") in doc.captions) is taken


def test_a_list_item_of_the_body_is_never_moved() -> None:
    """An FAQ the page wraps in caption-classed markup: its items stay in the body."""
    item = "- Can I bring a bicycle? Folding bicycles ride free on every night bus (Photo: Tim Roe)"
    doc = text_doc([*BODY, item], captions=[Caption(item[2:])])
    TextCaptionStep().apply(doc)
    assert doc.paragraphs == [*BODY, item]

"""Line-level boilerplate removal: each class removed with its reason, body lines kept."""

from __future__ import annotations

import pytest

from transforms.clean.line_features import boilerplate_class, line_features
from transforms.clean.text_clean import TextCleanStep, classify_lines
from transforms.core.record import Article

# An invented article: three prose paragraphs about a harbour festival.
P1 = (
    "The harbour festival returned on Saturday after a two-year pause, drawing crowds that "
    "organisers said were the largest in the town's history."
)
P2 = (
    "Boats from a dozen neighbouring villages lined the quay, and the mayor opened the day with "
    "a short speech about the fishermen who founded the event."
)
P3 = (
    "Local bakers sold out of their seaweed bread by noon, and the evening fireworks were moved "
    "to the breakwater because of the wind."
)


def make(*lines: str, kind: str = "text") -> Article:
    doc = Article(doc_id="t", source_path="t.txt", source_format="text", content_kind=kind)
    doc.set_paragraphs(list(lines))
    return doc


def clean(*lines: str) -> Article:
    doc = make(*lines)
    assert TextCleanStep().apply(doc) is None
    return doc


@pytest.mark.parametrize(
    ("lines", "junk", "reason"),
    [
        # site chrome before the article
        (
            ["Search", "Close this search box.", P1, P2, P3],
            ["Search", "Close this search box."],
            "site_chrome_removed",
        ),
        (
            ["Skip to content", "Menu", P1, P2, P3],
            ["Skip to content", "Menu"],
            "site_chrome_removed",
        ),
        # share buttons between paragraphs
        ([P1, "Share on Facebook", P2, P3], ["Share on Facebook"], "site_chrome_removed"),
        # newsletter / app prompts
        (
            [P1, P2, "Sign up for our daily newsletter", P3],
            ["Sign up for our daily newsletter"],
            "prompt_removed",
        ),
        (
            [P1, P2, P3, "Turn on push alerts to stay updated", "Thanks, you're subscribed"],
            ["Turn on push alerts to stay updated", "Thanks, you're subscribed"],
            "prompt_removed",
        ),
        # read-more and click-here lines
        (
            [P1, "READ MORE: Harbour town plans new marina", P2, P3],
            ["READ MORE: Harbour town plans new marina"],
            "read_more_removed",
        ),
        (
            [P1, P2, "CLICK HERE FOR MORE COASTAL NEWS FROM THE GAZETTE", P3],
            ["CLICK HERE FOR MORE COASTAL NEWS FROM THE GAZETTE"],
            "read_more_removed",
        ),
        # teasers: an ALL-CAPS headline between paragraphs; a "Related" header and its headlines
        (
            [P1, "MAYOR UNVEILS PLAN FOR A SECOND FESTIVAL WEEKEND", P2, P3],
            ["MAYOR UNVEILS PLAN FOR A SECOND FESTIVAL WEEKEND"],
            "teaser_removed",
        ),
        (
            [P1, P2, "Related:", "Fishing Quotas Cut Again", "Storm Damages Old Lighthouse", P3],
            ["Related:", "Fishing Quotas Cut Again", "Storm Damages Old Lighthouse"],
            "teaser_removed",
        ),
        (
            [P1, P2, P3, "More Stories", "Ferry Timetable Changes For Winter"],
            ["More Stories", "Ferry Timetable Changes For Winter"],
            "teaser_removed",
        ),
        # comment sections, from the header to the end
        (
            [
                P1,
                P2,
                P3,
                "2 Comments",
                "1. What a lovely day it was, we went with the kids and "
                "stayed until the fireworks were over.",
                "2. Great article, thank you.",
                "Leave a Reply",
            ],
            ["2 Comments", "Leave a Reply", "2. Great article, thank you."],
            "comments_removed",
        ),
        ([P1, P2, P3, "Leave a Reply"], ["Leave a Reply"], "comments_removed"),
        # footers
        (
            [P1, P2, P3, "Popular Posts", "© 2024 Harbour Gazette. All rights reserved."],
            ["Popular Posts", "© 2024 Harbour Gazette. All rights reserved."],
            "footer_removed",
        ),
    ],
)
def test_boilerplate_removed_with_reason(lines, junk, reason):
    doc = clean(*lines)
    kept = doc.paragraphs
    for line in junk:
        assert line not in kept
    assert doc.changes.get(reason, 0) >= 1
    for body in (P1, P2, P3):
        assert body in kept


@pytest.mark.parametrize(
    "keep",
    [
        "He declined to comment.",  # short prose between paragraphs
        "“It was worth the wait,” she said.",  # a quote
        "1. Arrive early to find parking.",  # numbered list inside the body
        "2. Bring a coat for the evening.",
        "(AP)",  # agency line at the end: the metadata step reads it
        "What the festival costs",  # a subheading in the middle of the article
    ],
)
def test_body_lines_kept(keep):
    for lines in ([P1, keep, P2, P3], [P1, P2, P3, keep] if keep == "(AP)" else [P1, keep, P2]):
        doc = clean(*lines)
        assert keep in doc.paragraphs
        assert not doc.changes


def test_headline_at_top_is_left_for_metadata():
    doc = clean("Harbour Festival Returns After Two-Year Pause", P1, P2, P3)
    assert doc.paragraphs[0] == "Harbour Festival Returns After Two-Year Pause"


def test_prose_mentioning_a_newsletter_stays():
    line = (
        "The festival committee said it would publish the budget in its newsletter next month, "
        "after the council has approved the accounts."
    )
    doc = clean(P1, line, P2)
    assert line in doc.paragraphs


def test_comment_header_with_long_article_after_is_not_a_cut():
    # a "Comments" line early on must not take the article with it
    doc = clean(P1, "Comments", P2, P3, P1 + " " + P2)
    assert P3 in doc.paragraphs


def test_lines_inside_one_paragraph_are_classified_separately():
    doc = make(P1, P2, P3 + "\n" + "read more:" + "\n" + "Get notifications to stay updated")
    TextCleanStep().apply(doc)
    assert doc.paragraphs[-1] == P3
    assert doc.changes == {"read_more_removed": 1, "prompt_removed": 1}


def test_applies_to_html_bodies_too():
    doc = make(P1, P2, P3, "Read more", kind="html")
    assert "html" in TextCleanStep.applies_to
    TextCleanStep().apply(doc)
    assert doc.paragraphs == [P1, P2, P3]


def test_no_body_removes_only_classed_lines():
    assert classify_lines(["Menu", "Weather Today", "Share on Twitter"]) == [
        "chrome",
        None,
        "chrome",
    ]


@pytest.mark.parametrize(
    ("line", "cls"),
    [
        ("Search", "chrome"),
        ("Sign up for our newsletter", "prompt"),
        ("Download the app", "prompt"),
        ("Click here to read more", "read_more"),
        ("Related Content", "teaser"),
        ("One Response", "comments"),
        ("14 Comments", "comments"),
        ("All rights reserved.", "footer"),
        ("Popular Posts", "footer"),
        ("More on that later.", None),
        ("Home prices rose again in March", None),
        (P1, None),
    ],
)
def test_boilerplate_class_of_single_lines(line, cls):
    assert boilerplate_class(line) == cls


def test_line_features_form():
    f = line_features("The quick brown fox jumped over the dog and ran away.")
    assert f.prose and f.terminal and not f.all_caps
    assert line_features("STORM HITS THE COAST AGAIN").all_caps
    assert line_features("(AP)").parenthesised
    assert not line_features("Weather Today").prose


LONG_ARTICLE = [P1, P2, P3, P1.replace("Saturday", "Sunday"), P2.replace("mayor", "bishop")]


def test_long_comment_thread_after_a_long_article_is_cut():
    # the thread is longer than the article, but the article before the header is long enough
    thread = [
        "Mary says",
        "We went with the kids and stayed until the fireworks were over, what a day it was.",
    ] * 6
    doc = clean(*LONG_ARTICLE, "12 Comments", *thread)
    assert doc.paragraphs == LONG_ARTICLE
    assert doc.changes == {"comments_removed": 1 + len(thread)}


def test_teaser_header_ends_the_article_when_little_follows():
    blurb = "Ten years of harbour festivals, told by the people who built the stage every summer."
    doc = clean(*LONG_ARTICLE, "More Stories", blurb, "(AP)")
    assert doc.paragraphs == [*LONG_ARTICLE, "(AP)"]
    assert doc.changes == {"teaser_removed": 2}


def test_prompt_early_in_the_article_does_not_cut_it():
    doc = clean(P1, "Sign up for our newsletter", *LONG_ARTICLE[1:])
    assert doc.paragraphs == LONG_ARTICLE
    assert doc.changes == {"prompt_removed": 1}


@pytest.mark.parametrize(
    "header",
    [
        "12 thoughts on “Harbour Festival Returns”",
        "One Response to “Festival”",
        "Reader Interactions",
    ],
)
def test_wordpress_comment_headers(header):
    assert boilerplate_class(header) == "comments"


def test_count_phrase_in_a_subheading_is_not_a_comment_header():
    assert boilerplate_class("Three responses to the storm") is None


def test_navigation_above_the_title_block_goes():
    nav = ["Weather", "Local Sports", "Harbour Life", "Events Calendar", "Obituaries", "Jobs"]
    top = ["Harbour Festival Returns", "Crowds Break Records", "By Ann Smith", "June 3, 2024"]
    doc = clean(*nav, *top, P1, P2, P3)
    assert doc.paragraphs == [*top, P1, P2, P3]
    assert doc.changes == {"site_chrome_removed": len(nav)}


@pytest.mark.parametrize("header", ["Recommend Posts", "Similar Articles", "More Blogs"])
def test_generic_teaser_headers(header):
    assert boilerplate_class(header) == "teaser"


def test_html_bodies_skip_the_cuts_by_position():
    nav = ["Weather", "Local Sports", "Harbour Life", "Events Calendar", "Obituaries", "Jobs"]
    doc = make(*nav, P1, P2, P3, kind="html")
    TextCleanStep().apply(doc)
    assert doc.paragraphs == [*nav, P1, P2, P3]  # trafilatura already trimmed the page


def test_trailing_list_longer_than_the_article_is_content():
    items = [f"Stall {n} - Smoked Fish And Seaweed Bread" for n in range(1, 20)]
    doc = clean(P1, P2, *items)
    assert doc.paragraphs == [P1, P2, *items]


def test_inline_related_line_does_not_take_the_next_subheading():
    doc = clean(P1, "Related: Ferry Fares Rise Again", "What the festival costs", P2, P3)
    assert doc.paragraphs == [P1, "What the festival costs", P2, P3]
    assert doc.changes == {"teaser_removed": 1}


@pytest.mark.parametrize("line", ["Comments?", "FAQ", "About", "Contact"])
def test_question_and_section_words_are_not_furniture(line):
    assert boilerplate_class(line) is None


@pytest.mark.parametrize(
    ("line", "cls"),
    [
        ("Your email address will not be published. Required fields are marked *", "comments"),
        (
            "Save my name, email, and website in this browser for the next time I comment.",
            "comments",
        ),
        (
            "This post contains affiliate links: if you buy through them we may earn a small "
            "commission at no extra cost to you.",
            "footer",
        ),
    ],
)
def test_comment_forms_and_disclosures(line, cls):
    assert boilerplate_class(line) == cls


def test_menu_run_right_above_the_title_block_is_navigation():
    title = "Harbour festival draws record crowd despite the wind"
    doc = clean(
        "Skip to content", "Menu", "News", "Sport", "Weather", title, "By Ada Lind", P1, P2, P3
    )
    assert doc.paragraphs[:2] == [title, "By Ada Lind"]
    assert doc.changes.get("site_chrome_removed", 0) >= 4


def test_two_word_headline_block_is_kept_when_not_a_menu_run():
    doc = clean("Festival returns", "By Ada Lind", P1, P2, P3)
    assert doc.paragraphs[0] == "Festival returns"


@pytest.mark.parametrize(
    ("line", "cls"),
    [
        # the sales call to action: a sales imperative with an offer
        ("Get a free quote today.", "prompt"),
        ("Book a demo", "prompt"),
        ("Request a free consultation with our team.", "prompt"),
        ("To get started, request a quote and our team will call you back.", "prompt"),
        # how-to imperatives without an offer are the article
        ("Call your vet if the swelling lasts more than a day.", None),
        ("Start your day with a glass of water and a short walk.", None),
        ("Get the dough out of the fridge an hour before baking.", None),
        # statements about newsletters and subscribers speak to nobody: text
        ("The newsletter is published once a month.", None),
        ("Most of our subscribers open every issue.", None),
        ("Where can I sign up for the class?", None),
        # ... while an address to the reader is a prompt
        ("Would you like to receive notifications about new posts?", "prompt"),
        ("For daily tips and recipes, sign up for the kitchen newsletter.", "prompt"),
        # an article about affiliate programmes is not a disclosure; a site's own notice is
        ("Streamers earn a commission when viewers buy games through affiliate links.", None),
        ("Purchases made through our links may earn us a commission.", "footer"),
        # sponsored markers, pagination and reading time
        ("Advertisement: The Best Ferry Deals Of The Year", "chrome"),
        ("Ten tools for harbour masters (Sponsored)", "chrome"),
        ("Page 2 of 5", "chrome"),
        ("- 6 min read", "chrome"),
        ("4 minute read time", "chrome"),
        (
            "© Copyright 2009-2025 Ada Lind, Mo Reyes and the Harbour Post Ltd. "
            "All Rights Reserved.",
            "footer",
        ),
        (
            "Copyright law was reformed in 1976 and all rights reserved clauses were "
            "dropped from most books.",
            None,
        ),
        ("Table of Contents", "chrome"),
        ("Join now", "chrome"),
        ("Other related articles...", "teaser"),
        ("Other Posts You May Enjoy", "teaser"),
        ("Read this next", "teaser"),
        ("Related topics & resources", "teaser"),
        ("Click below to sign up for the ferry timetable alerts.", "read_more"),
        # an inline teaser with a longer headline
        ("You might also like: The Quiet Return Of The Herring To The Northern Harbours", "teaser"),
        # "Also read:" with a headline longer than a short teaser
        (
            "Also read: Why The Harbour Ferries Of The Northern Coast Are Running Late Again "
            "This Winter, And What The Council Plans To Do About It",
            "read_more",
        ),
        ("See also: Ferry timetables", "read_more"),
        ("Also seen at the festival were the harbour pilots.", None),
        # a shop button beside a product, not a sentence about prices
        ("Check Price on Harbourmart", "chrome"),
        ("Check Price - Ferrystore", "chrome"),
        ("Compare Prices and Services", None),
        ("Expect to see prices rise before the summer.", None),
        # the author's own social pitch
        ("Follow me on Snapgram: @harbourcook", "prompt"),
        ("Find us on Snapgram for daily harbour photos", "prompt"),
        ("She did not follow the map and found the old lighthouse anyway.", None),
    ],
)
def test_calls_to_action_and_notices(line, cls):
    assert boilerplate_class(line) == cls


def test_all_caps_line_in_an_html_body_is_a_subheading():
    caps = "WHAT THE FESTIVAL COSTS THE TOWN"
    html = make(P1, caps, P2, P3, kind="html")
    TextCleanStep().apply(html)
    assert html.paragraphs == [P1, caps, P2, P3]
    text = make(P1, caps, P2, P3)
    TextCleanStep().apply(text)
    assert caps not in text.paragraphs  # in a plain-text dump it reads as a teaser link


# What a cut by position takes on a page that is not an article: a thread's replies below its
# comment header, a product's closing spec list. The header and the share button go by form.
_REPLY = (
    "I had the same trouble with the kiln last winter, and lowering the first ramp to a hundred "
    "degrees an hour fixed the cracking for me."
)
_SPECS = ["Glazed stoneware", "Holds 350 ml", "Dishwasher safe", "Made in Portugal"]


@pytest.mark.parametrize(
    ("lines", "by_position"),
    [
        ([P1, P2, "12 Comments", _REPLY, "Thanks, that worked."], [_REPLY, "Thanks, that worked."]),
        ([P1, P2, P3, *_SPECS], _SPECS),
    ],
)
@pytest.mark.parametrize("page_type", ["forum", "product", "service", "listing"])
def test_a_page_of_another_type_loses_only_lines_classed_by_form(lines, by_position, page_type):
    as_article = make(*lines, "Share on Facebook", kind="html")
    TextCleanStep().apply(as_article)  # the record's default type: the cut by position runs
    kept = "\n".join(as_article.paragraphs)
    assert not any(line in kept for line in by_position)
    typed = make(*lines, "Share on Facebook", kind="html")
    typed.page_type = page_type
    TextCleanStep().apply(typed)
    kept = "\n".join(typed.paragraphs)
    assert all(line in kept for line in by_position)
    assert "Share on Facebook" not in kept and "12 Comments" not in kept


@pytest.mark.parametrize(
    ("line", "on_a_page"),
    [
        ("Get a free quote for your kitchen today", None),  # a service's own offer
        ("Start your free trial", None),
        ("Learn more about glaze firing", None),  # a page's own link
        ("See also the kiln manual", None),
        ("Subscribe to our newsletter", "prompt"),  # site furniture on any page
        ("Share on Facebook", "chrome"),
        ("© 2026 Harbour Pottery. All rights reserved.", "footer"),
    ],
)
def test_what_a_page_of_another_type_keeps_of_the_article_furniture(line, on_a_page):
    as_article = classify_lines([P1, line, P2, P3], markup=True)
    assert as_article[1] is not None
    assert classify_lines([P1, line, P2, P3], markup=True, article=False)[1] == on_a_page


# Invented: a guide with an affiliate disclosure sentence, inside it or at its end.
_GUIDE = [
    "Winter tyres are worth fitting once the morning temperature stays under seven degrees, "
    "because their softer rubber keeps its grip where summer compounds turn hard and slick.",
    "Fitters in the valley said bookings doubled in the first cold week, and several garages "
    "now ask drivers to reserve a slot at least a fortnight before they want the change.",
    "Storage is the hidden cost: a set of four takes the space of a small wardrobe, and hotels "
    "for tyres charge between forty and sixty a season for keeping them dry and upright.",
]
_MORE = [
    "Drivers who live above the snow line should also carry chains, since some mountain passes "
    "close to cars without them whenever the road authority raises its winter warning level.",
    "All-season tyres are a compromise that suits town driving, but their tread wears faster in "
    "summer heat and their grip on packed snow falls well short of a dedicated winter set.",
]
_DISCLOSURE = (
    "We may earn a commission when you buy through the affiliate links in this guide, at no "
    "extra cost to you, and it never changes which products we recommend to readers."
)


def test_disclosure_sentence_inside_the_article_goes_alone():
    doc = clean(*_GUIDE, *LONG_ARTICLE, _DISCLOSURE, "Chains and socks", *_MORE)
    assert doc.paragraphs == [*_GUIDE, *LONG_ARTICLE, "Chains and socks", *_MORE]
    assert doc.changes == {"footer_removed": 1}


def test_disclosure_sentence_at_the_end_takes_the_furniture_below():
    doc = clean(*_GUIDE, *LONG_ARTICLE, _DISCLOSURE, "Best Roof Boxes", "Cheap Snow Chains")
    assert doc.paragraphs == [*_GUIDE, *LONG_ARTICLE]

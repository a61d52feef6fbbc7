"""Bylines as an editor reads them: people apart from organisations, links to a writer's page,
never a cited expert, a commenter or another site's profile (pages of the project's making)."""

import pytest

from tests.transforms.metadata.pages import html_metadata
from transforms.core.record import Article
from transforms.metadata.authors import split_authors

URL = "https://www.lanternpost.example/2024/03/harbour-dredging"


def _doc(body: str, head: str = "") -> Article:
    return html_metadata(f"<html><head>{head}</head><body>{body}</body></html>", URL)


_PROSE = "<p>The harbour board voted on Tuesday to begin dredging the channel next spring.</p>"


@pytest.mark.parametrize(
    ("byline", "people", "orgs"),
    [
        # a link to the writer's page on the site, no byline class or label
        ('<div><a href="/author/mira-okafor">Mira Okafor</a></div>', ["Mira Okafor"], []),
        # co-authors' links side by side
        (
            '<div><a href="/authors/mira-okafor/">Mira Okafor</a> and '
            '<a href="/authors/tom-h">Tomás Hergé</a></div>',
            ["Mira Okafor", "Tomás Hergé"],
            [],
        ),
        # a staff byline is an organisation's credit
        ('<p class="byline">By Lantern Post Staff</p>', [], ["Lantern Post Staff"]),
        ('<p class="byline">By The Associated Press</p>', [], ["The Associated Press"]),
        # the publication after the people is their employer
        (
            '<p class="byline">By Mira Okafor and Tom Reyes, The Harbour Courier</p>',
            ["Mira Okafor", "Tom Reyes"],
            [],
        ),
    ],
)
def test_byline_people_and_organisations(byline, people, orgs):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>")
    assert doc.authors == people
    assert doc.author_organizations == orgs


@pytest.mark.parametrize(
    "body",
    [
        # an expert the article cites, linked to their staff page inside a sentence
        '<p>The plan is sound, says engineer <a href="/staff/ines-varga">Ines Varga</a>, who '
        "has studied the channel for a decade and advised the board on it.</p>",
        # a profile on another site
        '<div><a href="https://social.example/profile/mira-okafor">Mira Okafor</a></div>',
    ],
)
def test_author_links_that_are_not_the_byline(body):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{_PROSE}{body}</article>")
    assert doc.authors == []
    assert doc.author_organizations == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Rosa May Quintero", ["Rosa May Quintero"]),  # a month word inside a name
        ("Odile Jan Verhoef", ["Odile Jan Verhoef"]),
        ("Odile Verhoef May 3, 2024", ["Odile Verhoef"]),  # a month before a day is a date
        ("By Declan O&#039;Rourke", ["Declan O'Rourke"]),  # an entity is one letter
        ("Tobias R.J.", ["Tobias R.J."]),  # initials are part of the name
        ("By Hollis Grant Jr. and Ann Lee", ["Hollis Grant Jr.", "Ann Lee"]),
        ("By Hollis Grant, Jr.", ["Hollis Grant Jr."]),
        ("Pieter van der Berg III", ["Pieter van der Berg III"]),
        ("Zoë Ångström-Núñez", ["Zoë Ångström-Núñez"]),  # diacritics as shown
        ("Hana Ilić M.D.", ["Hana Ilić"]),  # post-nominal letters are not the name
        ("As told to Hana Ilić", ["Hana Ilić"]),
        ("Authored by: Hana Ilić", ["Hana Ilić"]),
        # credits of other roles are not authors
        ("Contributions from Hana Ilić", []),
        ("Hana Ilić. With contributions from Bo Li", ["Hana Ilić"]),
        ("By Hana Ilić | Reviewed by Bo Li", ["Hana Ilić"]),
        ("By Hana Ilić, Edited by Bo Li", ["Hana Ilić"]),
        # "with" joins a co-author; the body a writer speaks for is not a writer
        ("By Hana Ilić with Bo Lindqvist", ["Hana Ilić", "Bo Lindqvist"]),
        ("Mar. 4, 2025 · Hana Ilić on behalf of the Harbour Docs Group", ["Hana Ilić"]),
    ],
)
def test_names_whole(byline, names):
    assert split_authors(byline, strict=True) == names


_DEK = "<p>The board's vote ends a decade of delay</p>"


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        # an unlabelled name line under the headline and dek, a date below it
        ("<p>Mira Okafor</p><p>12.03.2024 · 6 min read</p>", ["Mira Okafor"]),
        # with a job title beside it
        ("<p>Mira Okafor | Harbour Reporter | March 12, 2024</p>", ["Mira Okafor"]),
        ("<p>Mira Okafor</p><p>Senior Writer</p>", ["Mira Okafor"]),
        ("<p>Mira Okafor and Tom Reyes</p><p>March 12, 2024</p>", ["Mira Okafor", "Tom Reyes"]),
        # a paper's comma list of full names, initials kept
        (
            "<p>Mira Okafor, Tom J. Reyes, Ines Varga</p><p>12 Mar 2024 • 4 min read</p>",
            ["Mira Okafor", "Tom J. Reyes", "Ines Varga"],
        ),
        # a date label whose value the page fills in by script
        ("<p>Mira Okafor</p><p>Last Updated:</p>", ["Mira Okafor"]),
        # the date first, the section the byline files under after it
        ("<p>Mar 12, 2024 • Mira Okafor in</p><p>Harbour Works</p>", ["Mira Okafor"]),
        # not a byline: a place beside a date, a label, a name with no date or role beside it
        ("<p>Port Elwen, Norway</p><p>March 12, 2024</p>", []),
        ("<p>Port Elwen, Vestland</p><p>March 12, 2024</p>", []),
        ("<p>Reading Time</p><p>6 min read</p>", []),
        ("<p>Mira Okafor</p>", []),
    ],
)
def test_unlabelled_byline_under_the_headline(byline, people):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{_DEK}{byline}{_PROSE}</article>")
    assert doc.authors == people


def test_shown_byline_beats_a_lone_markup_author():
    head = '<meta name="author" content="Ola Berg">'
    body = f"<article><h1>Harbour dredging approved</h1><p>By Mira Okafor</p>{_PROSE}</article>"
    assert _doc(body, head).authors == ["Mira Okafor"]
    # when the markup's author is shown in the byline area, the markup stands
    body = (
        "<article><h1>Harbour dredging approved</h1><p>By Mira Okafor</p>"
        f"<p>Ola Berg contributed</p>{_PROSE}</article>"
    )
    assert _doc(body, head).authors == ["Ola Berg"]


def test_a_reviewer_in_an_attribution_list_is_not_the_author():
    # the label and the name in sibling elements of one attribution item, the reviewer first
    byline = (
        '<div class="bylines"><div class="byline-item"><span class="label">Reviewed by</span> '
        '<a class="name" href="/people/ola-berg">Ola Berg</a></div>'
        '<div class="byline-item">Written by <a class="name">Mira Okafor</a></div></div>'
    )
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>")
    assert doc.authors == ["Mira Okafor"]


def test_a_first_name_link_gives_way_to_the_name_line_that_states_it_whole():
    byline = (
        "<p>Mira Okafor</p><p>Harbour Reporter</p>"
        '<p><a href="/authors/mira-okafor">Articles by Mira</a></p>'
    )
    doc = _doc(f"<div><h1>Harbour dredging approved</h1>{_DEK}{byline}{_PROSE}</div>")
    assert doc.authors == ["Mira Okafor"]


def test_markup_naming_one_of_the_authors_the_name_line_states():
    head = '<meta name="author" content="Mira Okafor">'
    byline = "<p>Mira Okafor, Tom Reyes &amp; Ines Varga</p><p>March 12, 2024</p>"
    body = f"<article><h1>Harbour dredging approved</h1>{_DEK}{byline}{_PROSE}</article>"
    assert _doc(body, head).authors == ["Mira Okafor", "Tom Reyes", "Ines Varga"]


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("<p>by mokafor</p>", ["mokafor"]),  # an account name labelled as the byline
        ("<p>by m_okafor2</p>", ["m_okafor2"]),
        ("<p>by Mira Okafor</p>", ["Mira Okafor"]),
    ],
)
def test_a_labelled_account_name_under_the_headline(line, people):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{line}{_PROSE}</article>")
    assert doc.authors == people


def test_an_account_name_far_from_the_headline_is_not_the_byline():
    filler = "".join(f"<p>Paragraph {i} of the story about the channel.</p>" for i in range(30))
    body = f"<article><h1>Harbour dredging approved</h1>{filler}<p>by mokafor</p></article>"
    assert _doc(body).authors == []


@pytest.mark.parametrize(
    "byline",
    [
        # the label and a list of names in the same element
        "<p>Written by: <ul><li><a href='/a/mo'>Mira Okafor</a></li>"
        "<li><a href='/a/tr'>Tom Reyes</a></li></ul></p>",
        # the label alone, the names in blocks of their own in the next element
        "<div><span>Written by</span><div><div>Mira Okafor</div><div>Tom Reyes</div></div></div>",
    ],
)
def test_names_listed_in_blocks_after_a_label(byline):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>")
    assert doc.authors == ["Mira Okafor", "Tom Reyes"]


_PUBLISHER_AUTHOR = (
    '<meta property="og:site_name" content="Lantern Post">'
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
    '"headline":"Harbour dredging approved","author":{"@type":"Organization",'
    '"name":"Lantern Post"}}</script>'
)


@pytest.mark.parametrize(
    ("byline", "people", "orgs"),
    [
        # no writer credited anywhere: the publisher named as author is an organisation's byline
        ("", [], ["Lantern Post"]),
        # a writer the page shows is the byline; the publisher is not added beside her
        ("<p>By Mira Okafor</p>", ["Mira Okafor"], []),
    ],
)
def test_the_publisher_as_author(byline, people, orgs):
    doc = _doc(
        f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>", _PUBLISHER_AUTHOR
    )
    assert (doc.authors, doc.author_organizations) == (people, orgs)


_FOOT = (
    "<p>The dredgers start in April.</p>"
    + "".join(f"<p>Paragraph {i} of the story about the channel.</p>" for i in range(45))
    + '<div class="post-meta"><a class="post-meta-item--author" href="/blog?author=7">'
    "Ola Berg</a></div>"
)


@pytest.mark.parametrize("head", ["", '<meta itemprop="author" content="Ola Berg">'])
def test_the_by_line_under_the_headline_beats_an_account_at_the_articles_foot(head):
    body = (
        f"<article><h1>Harbour dredging approved</h1><p>By Mira Okafor, RDN</p>{_PROSE}{_FOOT}"
        "</article>"
    )
    assert _doc(body, head).authors == ["Mira Okafor"]


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        # bios between the linked names stop the text's parse at the first name
        (
            '<div class="article-byline">Written by <span><a href="/authors/mira-okafor">'
            "Mira Okafor</a></span>, 4+ years covering ports and shipping lanes "
            '<span><a href="/authors/tom-reyes">Tom Reyes</a></span>, senior editor with 9 years'
            " experience</div>",
            ["Mira Okafor", "Tom Reyes"],
        ),
        # a reviewer linked in the same element is not a writer
        (
            '<div class="article-byline">By <a href="/authors/mira-okafor">Mira Okafor, DVM</a>'
            ' . Reviewed by <a href="/authors/tom-reyes">Tom Reyes, DVM</a></div>',
            ["Mira Okafor"],
        ),
    ],
)
def test_writers_linked_inside_a_byline_with_bios(byline, people):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>")
    assert doc.authors == people


def test_an_organisation_author_field_and_a_byline_naming_its_people():
    # the markup credits the institute; the byline shows who wrote it and where they work
    head = '<meta name="author" content="HARBORLAB">'
    byline = (
        '<p class="byline">by Mira Okafor, Senior Director, Research, The Harbour Weekly and '
        "HARBORLAB Institute</p>"
    )
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{byline}{_PROSE}</article>", head)
    assert (doc.authors, doc.author_organizations) == (["Mira Okafor"], [])
    # without a byline naming people, the organisation stays the credit
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{_PROSE}</article>", head)
    assert (doc.authors, doc.author_organizations) == ([], ["HARBORLAB"])


@pytest.mark.parametrize(
    ("box", "people"),
    [
        # an end-of-article author box: the name over a bio about her
        (
            "<h3>Mira Okafor</h3><p>Mira Okafor is the harbour reporter of the Post.</p>",
            ["Mira Okafor"],
        ),
        # the first name in the bio when the heading links to her page
        (
            '<h6><a rel="author" href="/author/mira/">Mira Okafor</a></h6>'
            "<p>(Reporter) – Mira comes from a family of pilots.</p>",
            ["Mira Okafor"],
        ),
        # a heading over text about a thing is no author box
        ("<h3>Theft Protection</h3><p>Theft is rare in the harbour.</p>", []),
        # several name boxes are the people the article profiles
        (
            "<h3>Mira Okafor</h3><p>Mira Okafor is a pilot.</p>"
            "<h3>Tom Reyes</h3><p>Tom Reyes is a dredger.</p>",
            [],
        ),
    ],
)
def test_an_author_box_after_the_article(box, people):
    doc = _doc(f"<article><h1>Harbour dredging approved</h1>{_PROSE}</article><div>{box}</div>")
    assert doc.authors == people

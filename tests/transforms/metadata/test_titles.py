import pytest

from transforms.metadata.titles import (
    content_words,
    heading_core,
    names_match,
    norm_title,
    slug_prefers,
    strip_decoration,
)


@pytest.mark.parametrize(
    ("title", "sites", "heads", "expected"),
    [
        ("Storm hits coast | CNN", ["CNN"], [], "Storm hits coast"),
        ("Storm hits coast - The Daily Example", ["The Daily Example"], [], "Storm hits coast"),
        ("Storm hits coast – Daily Example", ["dailyexample"], [], "Storm hits coast"),
        ("Daily Example: Storm hits coast", ["Daily Example"], [], "Storm hits coast"),
        ("Storm hits coast | Weather | Daily Example", ["Daily Example"], [], "Storm hits coast"),
        ("Storm hits coast | Weather News", [], [], "Storm hits coast"),
        # a hyphen with no site match is headline punctuation, kept
        ("Storm hits coast - and it is not over", [], [], "Storm hits coast - and it is not over"),
        # the visible heading decides which segment is the headline
        ("Example Site | Storm hits coast", [], ["Storm hits coast"], "Storm hits coast"),
        ("Storm: what we know - Example", ["Example"], [], "Storm: what we know"),
        ("Plain headline", ["Example"], [], "Plain headline"),
        # the site's own domain written before the headline
        ("example.com Storm hits coast", ["example"], [], "Storm hits coast"),
        ("Node.js streams explained", ["example"], [], "Node.js streams explained"),
        (None, [], [], None),
    ],
)
def test_strip_decoration(title, sites, heads, expected):
    assert strip_decoration(title, sites, heads) == expected


def test_names_match_variants():
    assert names_match("CNN.com", ["cnn"])
    assert names_match("The Guardian", ["guardian"])
    assert not names_match("Storm hits coast", ["cnn"])


def test_norm_title():
    assert norm_title(" “Storm”  Hits\tCoast ") == norm_title('"storm" hits coast')


def test_strip_decoration_trailing_only():
    # a visible heading keeps a leading series name; only trailing decoration goes
    assert (
        strip_decoration("Weekly Example #18 – Storm hits coast", ["Weekly Example"], leading=False)
        == "Weekly Example #18 – Storm hits coast"
    )
    assert (
        strip_decoration("Storm hits coast | Opinion", ["Daily Example"], leading=False)
        == "Storm hits coast"
    )


@pytest.mark.parametrize(
    ("heading", "title", "expected"),
    [
        (
            "Dec 18 2025 Council approves budget",
            "Council approves budget",
            "Council approves budget",
        ),
        (
            "Council approves budget Posted on July 1, 2024 by admin",
            "Council approves budget",
            "Council approves budget",
        ),
        (
            "Council approves budget (example.com) 87",
            "Council approves budget",
            "Council approves budget",
        ),
        ("Council approves budget 87", "Council approves budget", "Council approves budget"),
        ("Blog: Council approves budget", "Council approves budget", "Council approves budget"),
        # a number or words before the headline are part of it, not furniture
        ("2025 Council budget guide", "Council budget guide", None),
        ("The council budget guide", "council budget guide", None),
        ("Council approves budget", "Council approves budget", None),
        ("Council approves budget", "Mayor resigns", None),
    ],
)
def test_heading_core(heading, title, expected):
    assert heading_core(heading, title) == expected


@pytest.mark.parametrize(
    ("slug", "meta", "heading", "expected"),
    [
        # a section label in the h1; the URL path names the story the meta title names
        ("blog defer panic and recover", "Defer, Panic, and Recover", "The Go Blog", True),
        ("news council approves budget", "Council approves budget", "Latest news", True),
        # only one more shared word: not clear enough, the visible heading stays
        ("news budget", "Council approves budget", "Latest news", False),
        # the two titles are the same wording: no reason to switch
        (
            "council approves budget",
            "Council approves budget 2024",
            "Council approves budget",
            False,
        ),
    ],
)
def test_slug_prefers(slug, meta, heading, expected):
    assert slug_prefers(content_words(slug), meta, heading) is expected

import pytest

from transforms.titles import names_match, norm_title, strip_decoration


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

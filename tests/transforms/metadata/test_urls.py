import pytest

from transforms.metadata.urls import canonicalize_url, host_label, host_of, url_date, url_path


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTPS://Example.COM/News/Story?id=3#top", None, "https://example.com/News/Story?id=3"),
        (
            "https://example.com/a?utm_source=x&utm_medium=y&id=7&fbclid=abc&gclid=q",
            None,
            "https://example.com/a?id=7",
        ),
        ("http://example.com:80/a", None, "http://example.com/a"),
        ("https://example.com:8443/a", None, "https://example.com:8443/a"),
        (
            "/news/story-1",
            "https://www.example.org/section/",
            "https://www.example.org/news/story-1",
        ),
        ("https://example.com", None, "https://example.com/"),
        ("mailto:a@b.c", None, None),
        ("javascript:void(0)", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_canonicalize_url(url, base, expected):
    assert canonicalize_url(url, base) == expected


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.com/2024/03/05/some-story/", "2024-03-05"),
        ("https://x.com/news/2024-03-05-some-story", "2024-03-05"),
        ("https://x.com/20240305/story", "2024-03-05"),
        ("https://x.com/2024/03/some-story/", None),  # a month is not a day
        ("https://x.com/story/123456789012", None),
        ("https://x.com/2024/13/45/bad", None),
        (None, None),
    ],
)
def test_url_date(url, day):
    got = url_date(url)
    assert (got.value.date().isoformat() if got else None) == day
    if got:
        assert got.precision == "day"


def test_hosts():
    assert host_of("https://www.Example.co.uk/a") == "example.co.uk"
    assert host_label("https://www.example.co.uk/a") == "example"
    assert host_label("https://news.example.com/a") == "example"
    assert host_label(None) is None


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (
            "https://example.org/news/council-approves_budget.html",
            " news council approves budget html",
        ),
        ("https://example.org/", " "),
        (None, ""),
    ],
)
def test_url_path(url, path):
    assert url_path(url) == path


def test_canonical_url_of_a_relative_link_depends_on_its_base():
    # the answers are remembered: by address and base together
    assert canonicalize_url("/a?utm_source=x", "https://one.example/") == "https://one.example/a"
    assert canonicalize_url("/a?utm_source=x", "https://two.example/") == "https://two.example/a"
    assert canonicalize_url("/a?utm_source=x") is None

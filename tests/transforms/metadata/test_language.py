import pytest

from transforms.metadata.language import _letters_at_least, detect_language

TEXTS = {
    "en": "The council approved the budget on Monday after a long debate about schools and roads.",
    "fr": "Le conseil municipal a approuvé le budget lundi après un long débat sur les écoles.",
    "es": "El ayuntamiento aprobó el presupuesto el lunes tras un largo debate sobre las escuelas.",
}


@pytest.mark.parametrize(("lang", "text"), sorted(TEXTS.items()))
def test_detects_iso_639_1(lang, text):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", [None, "", "OK", "12345 67890 !!!", "Hi there"])
def test_short_or_empty_is_none(text):
    assert detect_language(text) is None


def test_min_chars_is_configurable():
    assert detect_language("Le conseil a voté.", min_chars=5) is not None
    assert detect_language(TEXTS["en"], min_chars=10_000) is None


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        ("abc", 3, True),
        ("abc", 4, False),
        ("a1 b2 c3", 3, True),  # digits, spaces and punctuation are not letters
        ("12 34 !!", 1, False),
        ("été", 3, True),
        ("", 0, True),
        ("", -1, True),
        ("", 1, False),
    ],
)
def test_letters_at_least_counts_like_isalpha(text, n, expected):
    assert _letters_at_least(text, n) is expected
    assert (sum(c.isalpha() for c in text) >= n) is expected


def test_min_chars_counts_letters_exactly():
    text = "Le conseil municipal a voté le budget 2025."  # 31 letters
    assert detect_language(text, min_chars=31) is not None
    assert detect_language(text, min_chars=32) is None

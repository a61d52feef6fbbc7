import pytest

from transforms.metadata.language import detect_language

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

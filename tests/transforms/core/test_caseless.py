import re

import pytest

from transforms.core.caseless import CaselessWords

WORDS = ("author", "byline", "more-stories", "figcap")
REGEX = re.compile("|".join(map(re.escape, WORDS)), re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("post-author vcard", True),
        ("Post-AUTHOR", True),
        ("ByLine", True),
        ("wp-block-more-stories list", True),
        ("FigCaption", True),
        ("entry-content main", False),
        ("", False),
        ("more stories", False),  # the hyphen is part of the word
        ("auth or", False),
        # non-ASCII text: the letters IGNORECASE folds onto "i" count, as in the regex
        ("bylİne", True),
        ("bylıne", True),
        ("fıgcap", True),
        ("caf\u00e9 AUTHOR", True),
        ("caf\u00e9 autor", False),
    ],
)
def test_found_is_the_case_insensitive_search(text, found):
    words = CaselessWords(*WORDS)
    assert words.found(text) is found
    assert (REGEX.search(text) is not None) is found


def test_same_answer_as_the_regex_on_every_single_character_swap():
    # each letter of each word replaced by every character that IGNORECASE may fold onto it
    words = CaselessWords(*WORDS)
    swaps = ["", "I", "\u0130", "\u0131", "S", "\u017f", "K", "\u212a", "É", "\u00e9"]
    for word in WORDS:
        for i in range(len(word)):
            for c in [*swaps, word[i].upper()]:
                text = f"x {word[:i]}{c}{word[i + 1 :]} y"
                assert words.found(text) == (REGEX.search(text) is not None), text


@pytest.mark.parametrize("bad", [(), ("Author",), ("caf\u00e9",), ("",)])
def test_words_must_be_lower_case_ascii(bad):
    with pytest.raises(ValueError):
        CaselessWords(*bad)

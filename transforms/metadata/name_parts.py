"""One part of a byline: is it a name, a job title, a credential, a sentence? Trim what is not
the name ("Staff Writer Jane Doe" -> "Jane Doe"), and the keys names are compared by.
"""

from __future__ import annotations

import re
import unicodedata

from transforms.metadata.name_words import (
    BYLINE_LOWER,
    COMMON_CREDENTIALS,
    CREDENTIAL,
    GENERIC,
    PARTICLES,
    ROLE_HEADS,
    ROLE_WORDS,
    SOCIAL,
    TITLE_START,
    UI_WORDS,
)

_NAME_CHARS = re.compile(r"^[\w.'’\- ]+$")


def nfc(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def is_credential(part: str) -> bool:
    """True for post-nominal letters ("MD", "Ph.D.", "RD", "E-RYT 200", "CFP®")."""
    p = part.strip().strip(",")
    return bool(p) and len(p) <= 12 and bool(CREDENTIAL.match(p))


def is_role(part: str) -> bool:
    """True for a job title rather than a name ("Staff Writer", "CEO of Acme")."""
    words = re.findall(r"[\w'-]+", part.lower())
    if not words:
        return False
    if all(w in ROLE_WORDS for w in words):
        return True
    return any(w.rstrip("s") in ROLE_HEADS for w in words) and len(words) <= 6


def strip_roles(part: str) -> str:
    """Remove role words around a name: "Staff Writer Jane Doe" -> "Jane Doe"."""
    words = part.split()

    def role(w: str) -> bool:
        w = w.lower().strip(".,")
        return w in ROLE_WORDS or w.rstrip("s") in ROLE_HEADS

    while len(words) > 1 and role(words[0]):
        words.pop(0)
    while len(words) > 1 and role(words[-1]):
        words.pop()
    return " ".join(words)


def cut_role(part: str) -> str:
    """ "Jane Doe Senior Autos" (left of "Reporter") -> "Jane Doe": after two name words, a
    role word starts the job title."""
    words = part.split()
    for i in range(2, len(words)):
        if words[i].lower().strip(".,") in ROLE_WORDS:
            return " ".join(words[:i])
    return part


def cut_title(part: str) -> str:
    """ "Jane Doe Senior Research Executive" -> "Jane Doe": after two name words, a
    capitalised role word ("Senior", "Staff", "Editor") starts a job title."""
    words = part.split()
    for i in range(2, len(words)):
        w = words[i].strip(".,")
        low = w.lower()
        if w[:1].isupper() and (low in TITLE_START or low.rstrip("s") in ROLE_HEADS):
            return " ".join(words[:i])
    return part


def looks_like_name(part: str) -> bool:
    """A short run of name-like words: no sentence, no digits-only, no URL, not generic."""
    p = part.strip()
    if not p or len(p) > 60 or not _NAME_CHARS.match(p):
        return False
    words = p.split()
    if len(words) > 5 or not any(c.isalpha() for c in p):
        return False
    if any(c.isdigit() for c in p):
        return False
    # a lower-case handle with separators ("jane.doe", "site-admin") is an account, not a name
    if len(words) == 1 and p == p.lower() and re.search(r"[._-]", p):
        return False
    if p.lower() in GENERIC or SOCIAL.search(p):
        return False
    # a multi-word name has its words capitalised (particles such as "van", "de" excepted)
    if len(words) > 1:
        caps = sum(1 for w in words if w[:1].isupper())
        if caps < max(1, len(words) - 2) or (caps == 0):
            return False
    return True


def tidy_case(name: str) -> str:
    """ALL-CAPS names become Title Case; other casing is kept as written."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters) and " " in name:
        return " ".join(w.capitalize() if w.isalpha() else w for w in name.split())
    return name


def strict_ok(name: str) -> bool:
    """Visible-text names: every word capitalised (particles aside), no social-button or
    interface words."""
    words = name.split()
    core = [w for w in words if w.lower() not in PARTICLES and not SUFFIX.fullmatch(w)]
    if len(core) > 4 or SOCIAL.search(name):
        return False
    if any(w.lower() in UI_WORDS for w in words):
        return False
    return all(
        w[:1].isupper() or w.lower() in PARTICLES or (i == 0 and w == "the")
        for i, w in enumerate(words)
    )


def is_prose(text: str) -> bool:
    """True for a sentence rather than a byline ("Dan lives and works in Calgary, and bikes
    year-round"): three or more lower-case words that are neither role words, particles nor
    byline labels. An author box's bio reads so; a byline ("By Jane Doe, staff writer") not."""
    n = 0
    for w in re.findall(r"[^\W\d_][\w'’-]*", text):
        if w.islower() and w not in ROLE_WORDS and w not in PARTICLES and w not in BYLINE_LOWER:
            n += 1
            if n >= 3:
                return True
    return False


SUFFIX = re.compile(r"(?:\b(?:Jr|Sr)\.?|\b(?:II|III|IV))$")
INITIAL_END = re.compile(r"(?:^|\s)(?:[A-Z]\.){1,3}$")


def name_end(words: list[str]) -> bool:
    """The last word belongs to the name: a generational suffix ("Jr.", "III") or initials
    ("Nelson C.J."), not post-nominal letters ("M.D.", "Ph.D.")."""
    last = words[-1].strip(",")
    if SUFFIX.fullmatch(last):
        return True
    letters = last.replace(".", "")
    return (
        bool(INITIAL_END.search(last))
        and letters.upper() not in COMMON_CREDENTIALS
        and len(letters) <= 2
    )


def swap_last_first(value: str) -> str:
    """ "Doe, Jane" -> "Jane Doe" (the citation_author form); other strings unchanged."""
    m = re.fullmatch(
        r"\s*([A-Z][\w'’-]+(?:\s+[a-z]{1,3}\s+[A-Z][\w'’-]+)?),\s*([A-Z][\w.'’ -]{0,40})\s*", value
    )
    if m and "," not in m.group(2) and len(m.group(2).split()) <= 3:
        return f"{m.group(2).strip()} {m.group(1)}"
    return value


def normalise_name(name: str) -> str:
    """Comparison key for a name: case-folded, accents and punctuation kept, spaces collapsed."""
    return " ".join(nfc(name).casefold().replace("’", "'").split())

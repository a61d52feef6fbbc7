"""Pages that are never content: found from what the page is, not from its length.

A news crawl fetches, beside its articles, pages that stand in for one (a consent interstitial,
a paywall stub, a bot challenge, a login form, an error page, an empty script shell). Each has
a mark of its own (its title, its form, its consent vocabulary, `isAccessibleForFree: false`)
and no prose of its own: a page with real prose (`never_content_max_prose_words` words in
paragraphs of 15+ words) is content whatever its chrome says. The reasons are stable quarantine
reasons (docs/page_types.md); a paywall stub's quarantine row keeps the title, URL, authors and
date found before it (`transforms.run.tables.quarantine_table`).
"""

from __future__ import annotations

import re
from typing import Any

from transforms.core.config.sections import PageTypeSettings
from transforms.pagetype.markup import MarkupTypes

ERROR_PAGE = "error_page"
CONSENT_WALL = "consent_wall"
PAYWALL_STUB = "paywall_stub"
BOT_CHALLENGE = "bot_challenge"
LOGIN_WALL = "login_wall"
EMPTY_SHELL = "empty_shell"
REASONS = (ERROR_PAGE, CONSENT_WALL, PAYWALL_STUB, BOT_CHALLENGE, LOGIN_WALL, EMPTY_SHELL)

# in a page's title or main heading
_ERROR_TITLE = re.compile(
    r"(?:^|\W)(?:404|410)(?:\W|$)|\bpage (?:was )?not found\b|\bcould not be found\b|"
    r"\b(?:page|content) you(?:'re| are| were) looking for\b|\bno longer (?:exists|available)\b|"
    r"\binternal server error\b|seite nicht gefunden|p[áa]gina no encontrada|page introuvable|"
    r"pagina non trovata|pagina niet gevonden",
    re.I,
)
_LOGIN_TITLE = re.compile(
    r"\b(?:log ?in|sign ?in|login|log on|anmelden|connexion|iniciar sesi[óo]n|accedi)\b", re.I
)
# in the visible text
_BOT = re.compile(
    r"just a moment\.\.\.|checking (?:your|if the site connection is) |verify(?:ing)? (?:that )?"
    r"you are (?:a )?human|are you a robot|not a robot|captcha|unusual traffic|attention required|"
    r"press (?:&|and) hold|enable javascript and cookies to continue|ddos protection",
    re.I,
)
# a consent wall names cookies or consent, asks for a choice, and says little else
_CONSENT_TOPIC = ("cookie", "consent")
_CONSENT_ACTION = (
    "accept all",
    "reject all",
    "allow all",
    "accept cookies",
    "manage preferences",
    "legitimate interest",
    "store and/or access",
    "your choices",
    "personal data",
)
_CONSENT_MAX_WORDS = 600  # a consent interstitial is short; an overlay on an article is not one
_CONSENT_CUES = (*_CONSENT_TOPIC, *_CONSENT_ACTION, "partners", "vendors", "privacy policy")
# what a paywall says in place of the article (a newsletter's "subscribe" is not one)
_PAYWALL = re.compile(
    r"already a (?:subscriber|member)|(?:subscribe|sign in|log in|register) (?:now )?to "
    r"(?:continue|keep|read|unlock)|to continue reading|for subscribers only|subscribers? only|"
    r"this (?:article|story|content) is (?:for|reserved for|available to|exclusive to) "
    r"(?:subscribers|members)|unlock (?:this|full) (?:article|story)",
    re.I,
)
_APP_ROOTS = ("root", "app", "__next", "__nuxt", "svelte")
_NOSCRIPT_JS = re.compile(r"javascript", re.I)


def _headings(tree: Any) -> list[str]:
    """The page's `<title>` and `<h1>` texts, stripped."""
    found = [tree.findtext(".//title") or ""]
    found += [h.text_content() for h in tree.iterfind(".//h1")]
    return [t.strip() for t in found if t and t.strip()]


def _cues(text: str, cues: tuple[str, ...]) -> int:
    return sum(1 for cue in cues if cue in text)


def _consent_prose(tree: Any) -> int:
    """Words in paragraphs of 20+ words that say nothing of cookies or consent."""
    words = 0
    for p in tree.iterfind(".//p"):
        text = p.text_content()
        n = len(text.split())
        if n >= 20 and _cues(text.lower(), _CONSENT_CUES) == 0:
            words += n
    return words


def _shell(tree: Any) -> bool:
    """Scripts, an app root (`<div id="root">`) or a noscript asking for JavaScript."""
    if tree.find(".//script") is not None:
        return True
    if any(tree.find(f".//*[@id='{root}']") is not None for root in _APP_ROOTS):
        return True
    return any(_NOSCRIPT_JS.search(n.text_content()) for n in tree.iterfind(".//noscript"))


def never_content(
    tree: Any,
    text: str,
    features: dict[str, float],
    marks: MarkupTypes,
    article_marks: bool,
    settings: PageTypeSettings,
) -> tuple[str, str] | None:
    """(reason, detail) when the page is one that is never content, else None.

    `text`: the visible text; `features`: `page_features`; `article_marks`: the page presents
    itself as one article (a byline, a date, an article type): a paywall stub does, a
    subscription offer page does not (that one is a service page).
    """
    words = int(features["words"])
    prose = int(features["p_long_words"])
    short = prose < settings.never_content_max_prose_words
    headings = _headings(tree) if short else []  # read only where they could decide
    error = next((h for h in headings if _ERROR_TITLE.search(h)), None)
    if error and short:
        return ERROR_PAGE, f"error title {error[:80]!r}"
    if short and words < 300 and _BOT.search(text):
        return BOT_CHALLENGE, "a human check instead of the page"
    if words < _CONSENT_MAX_WORDS:  # the cues are looked for only where they could decide
        lower = text.lower()
        consent = _cues(lower, _CONSENT_CUES)
        asks = _cues(lower, _CONSENT_TOPIC) and _cues(lower, _CONSENT_ACTION)
        if asks and consent >= 3 and _consent_prose(tree) < 50:
            return CONSENT_WALL, f"{consent} consent cues and no prose of its own"
    if features["n_password"] and short and any(_LOGIN_TITLE.search(h) for h in headings):
        return LOGIN_WALL, "a sign-in form and no prose"
    # a notice alone ("members only") also sits on shop and member pages: with it, the page must
    # name its article by type or byline, not only by a CMS's default og:type
    named = bool(features.get("ld_article") or features.get("meta_authors"))
    if short and article_marks and (marks.free is False or (named and _PAYWALL.search(text))):
        free = "isAccessibleForFree false" if marks.free is False else "a paywall notice"
        return PAYWALL_STUB, f"an article's headline and teaser behind a paywall ({free})"
    if words < settings.empty_shell_max_words and _shell(tree):
        return EMPTY_SHELL, f"{words} visible words in a script-rendered page"
    return None

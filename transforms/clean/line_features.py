"""Features of one line of plain text, for telling body prose from page boilerplate.

Everything here looks at a single line: its length in words, terminal punctuation, share of
capitalised and all-caps words, share of English function words, and whether it opens with the
imperative verb of a call to action. `boilerplate_class` maps a line to a boilerplate class from
the *form* of generic web furniture (search boxes, share bars, subscribe prompts, "read more"
links, comment headers, copyright footers): patterns of the web at large, not of one site.
Positional and cross-document signals live in `transforms.clean.text_clean`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from transforms.core.words import count_words, has_unspaced_letters

# Function words: prose has many (~40-50% of tokens), menus, headlines and teasers few.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "may",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "out",
        "over",
        "she",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# A line is terminal when it ends with . ! ? … : ; before any closing quotes or brackets.
_CLOSERS = "\"'”’»)]"
_TERMINALS = frozenset(".!?…:;")
_QUOTES = (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"))


def normalise_line(line: str) -> str:
    """The comparison key of a line: NFKC, straight quotes, collapsed spaces, case-folded."""
    line = unicodedata.normalize("NFKC", line)
    for curly, straight in _QUOTES:  # str.replace is much faster than translate on long lines
        if curly in line:
            line = line.replace(curly, straight)
    return " ".join(line.split()).casefold()


@dataclass(frozen=True, slots=True)
class LineFeatures:
    """Form features of one line (see `line_features`)."""

    words: int
    terminal: bool  # ends with . ! ? … : ; (before closing quotes/brackets)
    stop_share: float  # share of tokens that are function words
    cap_share: float  # share of alphabetic tokens starting with a capital
    all_caps: bool  # >= 3 alphabetic tokens, nearly all of them upper case
    parenthesised: bool  # the whole line is "( ... )"

    @property
    def prose(self) -> bool:
        """Reads as running text: a sentence, not a label, menu item or headline."""
        if self.words >= 20:
            return self.stop_share >= 0.15 or self.terminal
        if self.words >= 7:
            return self.terminal and self.stop_share >= 0.15 and not self.all_caps
        return False

    @property
    def headline(self) -> bool:
        """Headline/label form: short, no closing period, mostly capitalised words."""
        return 2 <= self.words <= 20 and not self.terminal and (self.cap_share >= 0.5)


# In ASCII, `_WORD`'s letters ([^\W_]) are [A-Za-z0-9]: every other character separates tokens
# but the apostrophe, which joins two runs of them ("don't").
_ASCII_SEPARATORS = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "'")}
)


def _tokens(text: str) -> list[str]:
    """`_WORD.findall(text)`, for an ASCII text without the regex (about twice as fast): split
    at the separators, each chunk is a token unless an apostrophe in it calls for the regex."""
    if not text.isascii():
        return _WORD.findall(text)
    chunks = text.translate(_ASCII_SEPARATORS).split()
    if "'" not in text:
        return chunks
    tokens: list[str] = []
    for chunk in chunks:
        if "'" in chunk:
            tokens.extend(_WORD.findall(chunk))
        else:
            tokens.append(chunk)
    return tokens


def line_features(line: str) -> LineFeatures:
    """Compute the form features of `line`."""
    text = line.strip()
    tokens = _tokens(text)
    n = len(tokens)
    # counts by C-level map() over the tokens and their first letters: this runs on every line
    # of every document
    firsts = "".join([t[0] for t in tokens])
    n_alpha = sum(map(str.isalpha, firsts))
    caps = sum(map(str.isupper, firsts))
    stops = sum(map(STOP_WORDS.__contains__, map(str.lower, tokens)))
    # all caps needs nearly every word capitalised first: count whole upper words only then
    all_caps = False
    if n_alpha >= 3 and caps >= 0.9 * n_alpha:
        upper = sum(1 for t in tokens if t[0].isalpha() and t.isupper())
        all_caps = upper >= 0.9 * n_alpha
    return LineFeatures(
        # a CJK or Thai sentence is one \w+ token: count its words as the gate does
        words=count_words(text) if has_unspaced_letters(text) else n,
        terminal=text.rstrip(_CLOSERS)[-1:] in _TERMINALS if text else False,
        stop_share=stops / n if n else 0.0,
        cap_share=caps / n_alpha if n_alpha else 0.0,
        all_caps=all_caps,
        parenthesised=text.startswith("(") and text.endswith(")") and n <= 4,
    )


# --- generic boilerplate forms, by class (matched on `normalise_line` output) -------------------
# Each pattern is short-line furniture of web pages in general. Lines that are long prose are
# never matched by these (see `boilerplate_class`), so an article sentence that happens to say
# "subscribe" stays.

_CHROME = re.compile(
    r"""^(?:
        (?:search|menu|main\ menu|navigation|home|close|open\ menu|close\ menu|toggle\ (?:menu|navigation)
          |skip\ to\ (?:main\ )?(?:content|navigation|menu)|back\ to\ top|go\ to\ top|scroll\ to\ top)
      | (?:share|tweet|pin\ it|email|print|copy\ link|whatsapp|facebook|twitter|linkedin|reddit)
        (?:\ (?:this|on|via|to|it|article|story|link|page|post|facebook|twitter|x|email))*
      | (?:click\ to\ )?(?:share|email|print)\ (?:on|via|this)\b.*
      | (?:log\ ?in|log\ ?out|sign\ ?in|sign\ ?out|register|my\ account|cart)
      | (?:advertisement|sponsored(?:\ content)?|story\ continues\ below.*|continue\ reading.*)
      | (?:advertisement|sponsored|promoted|paid\ content|ad)\ ?[:|–—-]\ .*  # "Advertisement: ..."
      | .*\((?:sponsored|advertisement|promoted|paid\ post|ad)\)
      | page\ \d+\ of\ \d+ | \W*\d+\ min(?:ute)?s?\ read(?:ing)?(?:\ time)?
      | (?:previous|next)(?:\ (?:post|article|story|page))?
      | table\ of\ contents | on\ this\ page | in\ this\ (?:article|post|guide)
      | (?:join|apply|sign\ up)\ (?:now|today|for\ free|free)
      | (?:check|see|view|compare)\ (?:the\ )?(?:latest\ |current\ )?prices?  # a shop button
        (?:\ (?:on|at|-)\ ?.{0,30})?
      | .{0,30}\bsearch\ (?:box|form|for|this\ site|the\ site|results)\b.*
    )\W*$""",
    re.X,
)
_PROMPT = re.compile(
    r"""(?:
        \b(?:subscrib\w*|unsubscrib\w*|newsletters?|push\ alerts?|inbox)\b
      | \b(?:get|enable|allow|turn\ on|push|receive)\ (?:\w+\ )?notifications?\b
      | \bsign\ (?:up|me\ up)\b | \bdownload\ (?:the|our)\b.{0,20}\bapp\b | \bget\ the\ app\b
      | \bnever\ miss\b | \bstay\ (?:updated|informed|up\ to\ date|in\ the\ know)\b
      | \bfollow\ (?:us|me)\b | \b(?:find|connect\ with)\ (?:us|me)\ on\b | \bjoin\ (?:us|our)\b | \bturn\ on\b.{0,30}\balerts?\b
      | \bthanks?\ (?:you\ )?for\ (?:signing|subscribing|reading)\b
      | \bcookies?\b | \bad\ ?blocker\b | \benable\ javascript\b
    )""",
    re.X,
)
_READ_MORE = re.compile(
    r"""^(?:
        (?:read|see|view|find\ out|learn)\ (?:more|also|next|the\ full|full)\b(?:\W*|.{0,50}|.*:.*)
      | (?:also\ read|more\ reading|further\ reading|recommended\ reading|continue\ reading)\b.{0,80}
      | (?:also\ (?:read|see|check(?:\ out)?)|see\ also)\ ?:.{0,160}  # "Also read: <headline>"
      | (?:click|tap)\ (?:here|to|on|below)\b.*
      | .{0,60}\b(?:click|tap)\ (?:here|below)\b.*
    )$""",
    re.X,
)
_TEASER_HEADER = re.compile(
    r"""^(?:
        related(?:\ (?:content|stories|articles|posts|news|coverage|links|reading|topics|resources
          |guides|videos)(?:\ (?:&|and)\ resources)?)?
      | (?:more|also)\ (?:from|on|in|about)\b.{0,40}
      | more\ (?:stories|news|articles|coverage|headlines)\b.{0,30}
      | (?:recommend(?:ed)?|suggested|similar|related|more|other|latest|recent|featured|further
         |popular|trending|top|you\ may\ also\ like|you\ might\ also\ like)
        (?:\ related)?\ (?:posts|stories|articles|reads|reading|videos|blogs|guides|reviews|content)
        (?:\ (?:you|we\ think\ you)\ (?:may|might|will|'ll)\ (?:also\ )?(?:like|love|enjoy))?
      | (?:you\ (?:may|might)\ (?:also\ )?(?:like|enjoy|be\ interested\ in)|recommended(?:\ for\ you)?
         |trending(?:\ now)?|editor'?s\ picks?|don'?t\ miss|top\ stories|latest\ news|what\ to\ read\ next
         |in\ case\ you\ missed\ it|read\ (?:this\ )?next|up\ next|watch\ next
         |most\ (?:read|viewed|shared|popular))
    )\W*(?::.*)?$""",
    re.X,
)
_COMMENT_HEADER = re.compile(
    r"""^(?:
        (?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\ (?:comments?|responses?|replies|reply|thoughts?)
          (?:\ (?:on|to)\ ["'].*|\ ?[|•·].*)?  # WordPress: 12 thoughts on "Title"
      | reader\ (?:interactions|comments|responses)
      | (?:leave|post|add|write|submit)\ (?:a|your)\ (?:reply|comment|response)\b.*
      | comments?(?:\ \(\d+\))?
      | (?:show|view|load|hide|read)\ (?:all\ )?(?:\d+\ )?comments?\b.*
      | comments\ are\ closed\b.*
      | (?:join|start)\ the\ (?:discussion|conversation)\b.*
      | (?:cancel\ reply|your\ email\ address\ will\ not\ be\ published\b.*
         |save\ my\ name,?\ email\b.*|required\ fields\ are\ marked\b.*)
    )\W*$""",
    re.X,
)
_FOOTER = re.compile(
    r"""(?:
        ^(?:©|\(c\)|copyright\b)
      | \ball\ rights\ reserved\b
      | ^(?:popular|recent|latest|top|trending)\ (?:posts|stories|articles|news|videos)\W*$
      | ^(?:privacy(?:\ policy)?|terms\ (?:of|&)\ (?:use|service)|contact\ us|about\ us
          |sitemap|advertise\ with\ us)\W*$
      | \bprivacy\ policy\b.{0,40}\bterms\b | \bterms\b.{0,40}\bprivacy\ policy\b
    )""",
    re.X,
)

_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\ ?(?:©|\(c\)|\d{4})).*\ball\ rights\ reserved\b", re.X
)

# Affiliate disclosures (a legal notice, not the article): longer than other footer lines.
_DISCLOSURE = re.compile(
    r"""\baffiliate\ (?:links?|commissions?|program|advertising)\b|\bqualifying\ purchases\b
      |\bearn\ (?:us\ |me\ )?(?:a\ )?(?:small\ )?commissions?\b|\bsupported\ by\ commissions\b
      |\bmay\ (?:be\ compensated|receive\ (?:financial\ )?compensation)\b""",
    re.X,
)
# ... stated by the site about itself: an article *about* affiliate programmes is not one.
_SELF = re.compile(
    r"\b(?:we|i|us|our|my|this\ (?:post|article|site|page|website|blog|story|guide|review|content))\b"
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you'll|you've)\b")

# Class name -> change reason noted on the document.
REASONS = {
    "chrome": "site_chrome_removed",
    "prompt": "prompt_removed",
    "read_more": "read_more_removed",
    "teaser": "teaser_removed",
    "comments": "comments_removed",
    "footer": "footer_removed",
    "end_matter": "end_matter_removed",
}


def _disclosure_words(key: str) -> bool:
    """Cheap necessary condition for `_DISCLOSURE` (substring tests, no regex scan)."""
    return "affiliate" in key or "commission" in key or "qualifying" in key or "compensat" in key


# How each line of `_FOOTER` starts (its `^` alternatives, the only place they can match).
_FOOTER_STARTS = (
    *("©", "(c)", "copyright"),
    *("popular ", "recent ", "latest ", "top ", "trending "),
    *("privacy", "terms ", "contact us", "about us", "sitemap", "advertise with us"),
)


def _footer_words(key: str) -> bool:
    """Cheap necessary condition for `_FOOTER`: a match starts like one of its anchored
    alternatives or holds the words of an unanchored one (the regex scan costs ~3 us a line)."""
    return key.startswith(_FOOTER_STARTS) or "all rights reserved" in key or "privacy policy" in key


# How a `_READ_MORE` match starts, and the words of its one unanchored alternative.
_READ_MORE_STARTS = (
    *("read ", "see ", "view ", "find out ", "learn ", "also "),
    *("more reading", "further reading", "recommended reading", "continue reading"),
    *("click ", "tap "),
)


def _read_more_words(key: str) -> bool:
    """Cheap necessary condition for `_READ_MORE` (its `.{0,60}` alternative backtracks on
    every line)."""
    return key.startswith(_READ_MORE_STARTS) or "click " in key or "tap " in key


# The longest line any class below can take (a disclosure notice).
_MAX_CLASSED_WORDS = 60


def boilerplate_class(line: str, feats: LineFeatures | None = None) -> str | None:
    """The boilerplate class of a line from its own form, or None when it may be body text.

    Long prose lines are never classed (an article sentence may mention a newsletter); the
    call-to-action patterns apply to short lines and to sentences in the imperative.
    """
    feats = feats or line_features(line)
    if feats.words > _MAX_CLASSED_WORDS:
        return None  # longer than any class below: body text, without normalising it
    key = normalise_line(line)
    if not key:
        return None
    if feats.words <= 20 and not key.endswith("?") and _COMMENT_HEADER.match(key):
        return "comments"
    if feats.words <= 14 and _footer_words(key) and _FOOTER.search(key):
        return "footer"
    if feats.words <= 25 and _COPYRIGHT.search(key):  # a copyright line names its owners
        return "footer"
    if (
        feats.words <= 60
        and _disclosure_words(key)
        and _DISCLOSURE.search(key)
        and _SELF.search(key)
    ):
        return "footer"
    # "More on that later." is prose; a teaser header does not end with a full stop
    # "Related", or an inline "You may also like: Some Headline" (longer, with its colon)
    short = feats.words <= 10 or (feats.words <= 20 and ":" in key)
    ellipsis = key.endswith("...") or key.endswith("…")  # "You might also like..."
    if short and (ellipsis or not key.endswith(".")) and _TEASER_HEADER.match(key):
        return "teaser"
    if feats.words <= 25 and _read_more_words(key) and _READ_MORE.match(key):
        return "read_more"
    if feats.words <= 8 and _CHROME.match(key):
        return "chrome"
    if feats.words <= 30 and _imperative(key, _SALES_VERBS) and _OFFER.search(key):
        return "prompt"  # "Get a free quote today.", "Book a demo", "Request a quote"
    if feats.words <= 40 and _PROMPT.search(key):
        imperative = _imperative(key)
        if feats.words <= 40 and imperative:
            return "prompt"
        # a short label or an address to the reader is a prompt; a question, or a statement about
        # newsletters that speaks to nobody ("The newsletter is published monthly."), is text
        statement = (feats.terminal or key.endswith("?")) and not _SECOND_PERSON.search(key)
        if feats.words <= 12 and not statement:
            return "prompt"
    return None


_CTA_VERBS = frozenset(
    [
        "click",
        "tap",
        "subscribe",
        "sign",
        "join",
        "download",
        "follow",
        "share",
        "get",
        "register",
        "enter",
        "sign-up",
        "install",
        "listen",
        "watch",
        "support",
        "donate",
        "try",
        "upgrade",
    ]
)


# The sales call to action: an imperative of the sales vocabulary with something on offer.
# In how-to articles imperatives abound ("Call your doctor ...", "Download the file ..."), so
# the offer (free, a quote or demo, today, a discount code, our team) is what makes it a pitch.
_SALES_VERBS = frozenset(
    [
        "book",
        "request",
        "get",
        "start",
        "try",
        "contact",
        "call",
        "schedule",
        "claim",
        "grab",
        "unlock",
        "shop",
        "talk",
        "speak",
        "reach",
        "fill",
        "invest",
        "begin",
        "explore",
        "discover",
    ]
)
_OFFER = re.compile(
    r"""\b(?:free|complimentary|quote|demo|trial|consultation|estimate|today|now|discount|coupon
      |promo\ code|\d+%\ off|our\ (?:team|experts?|specialists?|services?|platform|app|products?))\b""",
    re.X,
)


_GERUNDS = frozenset(["subscribing", "signing"])


def sales_offer(line: str) -> bool:
    """A sales call to action ("Get a free quote today", "Start your free trial"): furniture
    around an article, the page's own offer on a service or product page."""
    key = normalise_line(line)
    return _imperative(key, _SALES_VERBS) and bool(_OFFER.search(key))


def _imperative(key: str, verbs: frozenset[str] = _CTA_VERBS) -> bool:
    """Starts with a call-to-action verb ("Subscribe to ...", "To subscribe, ...", "For more, join ...")."""
    head, comma, tail = key.partition(",")
    if comma and len(head.split()) <= 6 and _imperative(tail, verbs):
        return True  # "For daily tips, sign up for ..."
    words = key[:80].replace(",", " ").split(None, 3)[:3]  # the first words are enough
    if words[:1] == ["to"] and len(words) > 1:
        words = words[1:]
    if words[:1] in (["please"], ["or"], ["and"], ["by"]) and len(words) > 1:
        words = words[1:]
    return bool(words) and (words[0].rstrip(":") in verbs or words[0] in _GERUNDS)

"""Headlines without site decoration, and the choice between title candidates.

Pages decorate their `<title>` and often their og:title with the site: "Headline | CNN",
"Headline - Site Name", "Site: Headline", "Headline | Section | Site". `strip_decoration`
splits a title at separators (" | ", " - ", " – ", " — ", " · ", " • ", " » ", " :: ", and a
": " after a leading site name) and removes the segments that name the site, judged against the
stated site names (og:site_name, JSON-LD publisher) and the host name ("nytimes" matches
"The New York Times" once both are squashed to letters). When a visible `<h1>` equals a run of
segments, that run is the headline. A trailing " | Something" segment of a few words is dropped
as decoration even when no site name is known: a pipe is a navigation separator, not headline
punctuation; a " - " segment is dropped only when it matches the site.
"""

from __future__ import annotations

import re
import unicodedata

from transforms.metadata.dates import find_dates

_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::|~|/)\s+|\s*\|\s*")


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w minus "_" is exactly str.isalnum()


def squash(s: str) -> str:
    """Letters and digits only, case-folded: the key used to compare names and headlines."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", s).casefold())


def norm_title(s: str | None) -> str:
    """Case-folded, quotes unified, whitespace collapsed (the comparison used by the eval)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = re.sub(r"[\"'“”‘’«»`´]", "", s)
    return " ".join(s.split())


def names_match(segment: str, names: list[str]) -> bool:
    """True when `segment` names the site: equal to, or a close variant of, one of `names`."""
    # "CNN.com", "Example.co.uk": a domain written as a name
    seg = squash(re.sub(r"\.[a-z]{2,6}(?:\.[a-z]{2})?\s*$", "", segment.strip(), flags=re.I))
    if not seg:
        return True  # an empty segment is pure decoration
    for name in names:
        n = squash(name)
        if not n:
            continue
        if seg == n or seg == "the" + n or n == "the" + seg:
            return True
        # "nytimes" vs "thenewyorktimes" do not contain each other; "cnn" vs "cnncom" do
        if len(n) >= 4 and len(seg) >= 4 and (n in seg or seg in n) and len(seg) <= 2 * len(n):
            return True
    return False


def strip_decoration(
    title: str | None,
    site_names: list[str],
    headings: list[str] | None = None,
    leading: bool = True,
) -> str | None:
    """Remove site names and section crumbs around a headline; None for an empty result.

    `leading=False` removes trailing decoration only (for a visible h1, whose leading words
    are as often a series name as a site name: "Weekly Signal #18 – Title").
    """
    if not title:
        return None
    title = " ".join(title.split())
    heads = {k for h in headings or [] if (k := squash(h))}
    if squash(title) in heads:
        return title
    parts = _SEP.split(title)
    seps = _SEP.findall(title)
    if len(parts) > 1 and heads:
        # a run of segments that equals a visible heading is the headline
        for i in range(len(parts)):
            for j in range(len(parts), i, -1):
                run = "".join(
                    p + (seps[k] if k < j - 1 else "") for k, p in enumerate(parts[i:j], i)
                )
                if squash(run) in heads:
                    return run.strip()
    # "example.com Headline": the site's own domain written before the headline
    m = re.match(r"^([\w-]+(?:\.[\w-]+)*\.[a-z]{2,6})\s+(\S.*)$", title)
    if m and leading and site_names and names_match(m.group(1), site_names):
        return strip_decoration(m.group(2), site_names, headings)
    # "Site: Headline"
    m = re.match(r"^([^:]{2,40}):\s+(.+)$", title)
    if m and leading and site_names and names_match(m.group(1), site_names):
        return strip_decoration(m.group(2), site_names, headings)
    if len(parts) == 1:
        return title
    keep = list(range(len(parts)))
    while len(keep) > 1 and names_match(parts[keep[-1]], site_names):
        keep.pop()
    while leading and len(keep) > 1 and names_match(parts[keep[0]], site_names):
        keep.pop(0)
    # trailing pipe segments of a few words are section/site crumbs
    while len(keep) > 1 and seps[keep[-1] - 1].strip() == "|" and len(parts[keep[-1]].split()) <= 4:
        keep.pop()
    out = parts[keep[0]]
    for k in keep[1:]:
        out += seps[k - 1] + parts[k]
    return out.strip() or None


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "for",
        "and",
        "or",
        "on",
        "at",
        "by",
        "with",
        "your",
        "you",
        "is",
        "are",
        "how",
        "what",
        "why",
        "from",
        "this",
        "that",
        "my",
        "our",
    ]
)


def content_words(text: str | None) -> set[str]:
    """Lower-cased words of `text` without the commonest function words (for agreement)."""
    return {w for w in re.findall(r"[^\W_]+", (text or "").casefold()) if w not in _STOP}


def slug_prefers(slug: set[str], meta_title: str, heading: str) -> bool:
    """True when the URL path clearly sides with `meta_title` over a differently worded
    `heading`: the two share under 80% of their words and the path shares at least two more
    words with the meta title than with the heading.

    The path is a third witness written by the publisher for the same story; a visible h1
    that is a section label ("Blog", "Perspectives") or a teaser shares little with it.
    """
    wh, wm = content_words(heading), content_words(meta_title)
    if not wh or not wm or len(wh & wm) >= 0.8 * min(len(wh), len(wm)):
        return False
    return len(wm & slug) - len(wh & slug) >= 2


_FURNITURE = re.compile(
    r"^\W*(?:posted|published|updated|by|written)\b|^\W*\([\w.-]+\.[a-z]{2,}\)[\W\d_]*$",
    re.IGNORECASE,
)


def heading_core(heading: str, title: str) -> str | None:
    """The part of `heading` that equals `title` when the rest of the heading is page
    furniture glued into the h1 (a date, a "Posted by" byline, a comment count, a domain in
    brackets, a one-word "Blog:" label); else None.
    """
    words, key = heading.split(), squash(title)
    if not key or squash(heading) == key or key not in squash(heading):
        return None
    for k in range(1, len(words)):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        for core, rest, rest_first in ((head, tail, False), (tail, head, True)):
            if squash(core) != key:
                continue
            # a one-word label before the headline; a bare count after it (a number before
            # a headline is part of it: "8 Recent Trends")
            label = (
                re.fullmatch(r"[^\W\d_]+:", rest) if rest_first else re.fullmatch(r"\W*\d+", rest)
            )
            if label or _FURNITURE.search(rest) or find_dates(rest, limit=1):
                return core
    return None


def title_segment_name(heading: str, titles: list[str]) -> bool:
    """True when `heading` is the name a page title puts after the headline ("Jan's Blog" in
    "A journal of woodworking - Jan's Blog"): the title, split at its separators, ends with it
    after a longer headline. Such an h1 names the blog, podcast or section, not the article."""
    key = squash(heading)
    if len(key) < 3:
        return False
    for t in titles:
        parts = [p for p in _SEP.split(" ".join(t.split())) if p.strip()]
        if (
            len(parts) >= 2
            and squash(parts[-1]) == key
            and len(squash(" ".join(parts[:-1]))) > len(key)
        ):
            return True
    return False


def kicker_before(heading: str, title: str) -> bool:
    """True when `heading` is `title` with a short section kicker before it, set apart by a
    separator or glued on from its own element ("Opinion | Let kids be kids", "College
    SportsLet kids be kids"), while the markup (og:title, JSON-LD headline) states the headline
    alone. A colon or dash is headline punctuation ("Teaching Online: Effective Practices"),
    and a number or an article is part of the headline ("8 Recent Trends", "The Best ...")."""
    kh, kt = squash(heading), squash(title)
    if len(kt) < 12 or kh == kt or not kh.endswith(kt):
        return False
    first = squash(title.split()[0]) if title.split() else ""
    # where the headline starts in the heading: the last place its first word starts a run
    for i in range(len(heading) - 1, -1, -1):
        if squash(heading[i:]) == kt and squash(heading[i:])[: len(first)] == first:
            prefix = heading[:i]
            break
    else:
        return False
    extra = squash(prefix)
    if not (4 <= len(extra) <= 30) or not any(c.isalpha() for c in extra):
        return False
    tail = prefix.rstrip()
    return tail[-1:] in {"|", "/", "•", "·", "»", ">"} or (bool(tail) and tail == prefix)


def truncated_of(short: str, full: str) -> bool:
    """True when `short` is `full` cut off: `full` goes on from it at a word boundary, and the
    cut shows (an ellipsis, a bracket left open, or a length at a limit markup imposes, such as
    JSON-LD headlines kept to about 110 characters). A shorter title that is complete ("Index
    Funds" beside "Index Funds: How to Invest") is a title of its own, not a cut one."""
    cut = short.rstrip().removesuffix("…").removesuffix("...").rstrip()
    if not cut or not full.startswith(cut) or len(full) <= len(cut) + 1:
        return False
    if full[len(cut)].isalnum() and cut[-1].isalnum():
        return False  # cut inside a word of `full`: not the same words
    if _SEP.match(full, len(cut)):
        return False  # `full` is the whole title with decoration after it ("... | Site")
    open_bracket = cut.count("(") > cut.count(")") or cut.count("[") > cut.count("]")
    return cut != short.rstrip() or open_bracket or len(short) >= _CUT_LENGTH


_CUT_LENGTH = 100  # characters: a headline this long that another title continues was cut

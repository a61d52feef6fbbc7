"""Metadata from the form and position of a text's first and last lines.

Plain-text dumps have no markup, so the headline, standfirst and byline are recognised by form:
- headline: the first line, short (2-30 words, at most 200 characters), starting with a capital,
  digit or quote, with no terminal full stop (a headline may end in "?" or "!"), not a byline
  or dateline, and followed by a paragraph that does not continue it (starts lower case). A
  first line that ends in a full stop is a lede sentence: the document then has no title.
- standfirst (subtitle): the line right after an extracted headline, 6-60 words, without a
  terminal full stop (the dek form: "Chief says X, accuses Y of Z"), followed by more body.
  A line that ends in a full stop is the lede, not a dek: a wrong subtitle would also take the
  first paragraph out of the body, so the sentence form is left alone.
- byline: a short "By Name[, Role]" line among the first lines: its names become the authors
  when none are known yet, and the line leaves the body in any case.
- dateline: "BRUSSELS (AP) —" stays in the text; only an explicit date in it ("LONDON, Feb. 24,
  2022 (Reuters) -") may set the date, with provenance "dateline". A place is not a date.
- date line: a short line among the first lines that is only a date, optionally labelled
  before or after it ("Published July 21, 2026", "Posted: 2026-07-21 10:00", "Updated March 3,
  2025", "17/08/2025 Date Posted"); among the last two lines, a publication date line sets the
  date when none is known and leaves the body (an "Updated" one stays): it leaves
  the body; a publication date (no label, or Published/Posted) sets the date when none is
  known yet, with provenance "text"; an "Updated" date never does.
- agency line: a last line that is only an agency credit ("(AP)", "— Reuters") is removed
  from the body. It is a source credit, not an author, and never becomes one.
For HTML documents the title and byline are already known from markup; when the extracted body
repeats the title or the byline as its first paragraph, that paragraph is removed.
On a page typed as another kind (a product, a forum thread, a listing: the `pages` table) the
lines are read for metadata but stay in the body: there the heading, a teaser's date and
byline are the page's content, not an article's furniture.
"""

from __future__ import annotations

import re

from transforms.core.record import Article
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.metadata.authors import split_authors
from transforms.metadata.dates import parse_date
from transforms.metadata.organisations import byline_credits
from transforms.metadata.titles import squash

AGENCIES = (
    r"AP|Associated Press|Reuters|AFP|Agence France[- ]Presse|dpa|UPI|PA|PA Media|ANI|IANS|PTI|"
    r"Xinhua|Bloomberg|CNN|TASS|EFE|ANSA|Kyodo|Yonhap|CP|The Canadian Press|AAP|KNA"
)
_AGENCY_LINE = re.compile(rf"^\s*(?:[-—–]\s*)?\(?\s*(?:{AGENCIES})\s*\)?\s*\.?\s*$")
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][\w .'’-]{{1,30}})?)"
    rf"(?P<date>,?\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},?\s+\d{{4}})?\s*"
    rf"(?:\((?:{AGENCIES})\)\s*)?[-—–]+\s"
)
_BYLINE = re.compile(r"^\s*(?:written\s+|story\s+|words\s+)?by\s+\S", re.IGNORECASE)
_TERMINAL_STOP = re.compile(r"[.:;,]\s*[\"'”’)\]]?\s*$")


def _words(s: str) -> list[str]:
    return s.split()


def is_byline(line: str) -> bool:
    """A short "By Name ..." line that names at least one person."""
    return (
        len(line) <= 160
        and len(_words(line)) <= 16
        and bool(_BYLINE.match(line))
        and bool(split_authors(line))
    )


def is_dateline(line: str) -> bool:
    """A paragraph that opens with a dateline such as "BRUSSELS (AP) —"."""
    return bool(_DATELINE.match(line))


def is_headline(line: str, following: str | None) -> bool:
    """The form of a headline: short, capitalised, no terminal full stop, not continued."""
    words = _words(line)
    if "\n" in line or not (2 <= len(words) <= 30) or len(line) > 200:
        return False
    first = line.lstrip("\"'“‘(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if _TERMINAL_STOP.search(line) or is_byline(line) or is_dateline(line):
        return False
    if _AGENCY_LINE.match(line):
        return False
    # a following paragraph that starts in lower case continues this line: not a headline
    return not (following and following.lstrip("\"'“‘")[:1].islower())


def is_standfirst(line: str, following: str | None) -> bool:
    """A dek under the headline: a summary line without a terminal full stop, then more body."""
    words = _words(line)
    if "\n" in line or not (6 <= len(words) <= 60) or following is None:
        return False
    first = line.lstrip("\"'“‘(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if re.search(r"[.!?:;,]\s*[\"'”’)\]]?\s*$", line):
        return False
    if is_byline(line) or is_dateline(line) or _AGENCY_LINE.match(line):
        return False
    return not following.lstrip("\"'“‘")[:1].islower()


def _split_first_line(paras: list[str]) -> list[str]:
    """Make the first line of a multi-line first paragraph its own paragraph."""
    if paras and "\n" in paras[0]:
        head, rest = paras[0].split("\n", 1)
        return [head.strip(), rest.strip(), *paras[1:]]
    return paras


_DATE_LABEL = r"(?:first\s+)?published|posted|(?:last\s+)?updated|modified"
# the label before the date ("Published: July 21, 2026") or after it ("17/08/2025 Date Posted")
_DATE_LINE = re.compile(
    rf"^(?:(?P<label>{_DATE_LABEL})\s*(?:on|:)?\s*)?(?P<date>.{{6,48}}?)"
    rf"(?:\s*[|·•:–-]?\s*(?:date\s+)?(?P<after>{_DATE_LABEL}))?$",
    re.IGNORECASE,
)


def date_line(line: str):
    """(label, ParsedDate) when `line` is only a (labelled) date, else None."""
    m = _DATE_LINE.match(line.strip().rstrip("."))
    if not m or len(m.group("date").split()) > 8:
        return None
    d = parse_date(m.group("date"))
    label = m.group("label") or m.group("after") or ""
    return (label.lower(), d) if d else None


def extract_text_metadata(doc: Article) -> None:
    """Apply the first/last-line rules to `doc` in place, noting every change."""
    paras = [p.strip() for p in doc.paragraphs]
    if not paras:
        return
    changed = False
    edit_body = doc.page_type in ARTICLE_PAGE_TYPES  # a page's lines are its content

    def removed(reason: str) -> None:
        if edit_body:
            doc.note(reason)

    # 1. the title: known already (markup, record) and repeated, or recognised by form; a
    # body that is only its title keeps it (removed, the page would be quarantined as empty)
    if doc.title and len(paras) > 1 and squash(paras[0]) == squash(doc.title):
        paras.pop(0)
        removed("title_removed_from_body")
        changed = True
    elif doc.content_kind == "text" and doc.title is None:
        cand = _split_first_line(paras)
        nxt = cand[1] if len(cand) > 1 else None
        if nxt is not None and is_headline(cand[0], nxt):
            paras = cand
            doc.title = paras.pop(0)
            doc.note("title_extracted")
            changed = True
            paras = _split_first_line(paras)
            nxt = paras[1] if len(paras) > 1 else None
            if paras and doc.subtitle is None and is_standfirst(paras[0], nxt):
                doc.subtitle = paras.pop(0)
                doc.note("subtitle_extracted")
    # 2. a byline among the first lines
    for i in range(min(3, len(paras))):
        if is_byline(paras[i]):
            names = split_authors(paras[i])
            if not doc.authors and not doc.author_organizations:
                doc.authors, doc.author_organizations = byline_credits(names)
            paras.pop(i)
            removed("byline_removed")
            changed = True
            break
    # 2b. a line that is only a date, among the first lines
    for i in range(min(3, len(paras))):
        found = date_line(paras[i])
        if found is None:
            continue
        label, d = found
        if doc.published_at is None and not re.search("updated|modified", label):
            doc.published_at = d.value
            doc.published_at_precision = d.precision
            doc.published_at_source = "text"
        paras.pop(i)
        removed("date_line_removed")
        changed = True
        break
    # 2c. a line that is only a publication date, among the last lines (a date printed at
    # the end of the article); an "Updated" line there is left as it is
    for i in range(len(paras) - 1, max(0, len(paras) - 3) - 1, -1):
        if doc.published_at is not None or len(paras) < 3:
            break
        found = date_line(paras[i])
        if found is None or re.search("updated|modified", found[0]):
            continue
        d = found[1]
        doc.published_at, doc.published_at_precision = d.value, d.precision
        doc.published_at_source = "text"
        paras.pop(i)
        removed("date_line_removed")
        changed = True
        break
    # 3. an explicit date in a dateline (a place alone gives no date)
    if paras and doc.published_at is None:
        m = _DATELINE.match(paras[0])
        if m and m.group("date") and (d := parse_date(m.group("date"))):
            doc.published_at = d.value
            doc.published_at_precision = d.precision
            doc.published_at_source = "dateline"
    # 4. a lone agency credit at the end
    if len(paras) > 1 and _AGENCY_LINE.match(paras[-1]):
        paras.pop()
        removed("agency_line_removed")
        changed = True
    if changed and edit_body:
        doc.set_paragraphs(paras)

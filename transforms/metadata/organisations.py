"""People apart from organisations in a byline.

A byline credits people ("Jane Doe") or an organisation: a wire agency ("Reuters", "The
Associated Press"), a newsroom or desk ("TMZ Staff", "The Acme Team", "Metro Desk"), the
publisher itself, a company ("Acme Inc"). A reader counting wire copy must not take "Reuters"
for a person, so `split_people` sends each name to `authors` or to `author_organizations`.

The decision reads the name's own form and the page's evidence, never a list of known names:
- the page types it: a JSON-LD author whose `@type` is Organization (or a kind of one);
- the page names itself so: the name is the site's or publisher's (og:site_name, JSON-LD
  publisher, the host), unless it has a person's form (a personal site is named after its
  owner, "Jane Doe" on janedoe.com);
- its form says so: a collective head word ("Staff", "Team", "Desk", "Editors", "Newsroom",
  "Bureau") or an organisation word ("Media", "News", "Group", "Press", "Institute"), a
  leading "The", a company suffix ("Inc", "LLC", "GmbH"), a domain ("Example.com"), a single
  all-caps acronym ("AFP"), or a wire-agency credit as datelines print it
  (`transforms.metadata.text_meta.AGENCIES`, the agencies' own forms).
A one-word name in camel case ("CottageCare", "ShawnHymel") is a brand or a person's handle:
only the page's evidence above decides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from transforms.metadata.titles import names_match

# the last word of a collective byline ("TMZ Staff", "The Acme Team", "Metro Desk")
_COLLECTIVE = frozenset(
    [
        "staff",
        "team",
        "desk",
        "editors",
        "newsroom",
        "bureau",
        "wire",
        "wires",
        "reporters",
        "writers",
        "staffers",
    ]
)
# words that make a name an organisation's ("Acme Health Group", "Metro News Desk"): the
# collective words and these
ORG_WORDS = _COLLECTIVE | frozenset(
    [
        "inc",
        "llc",
        "ltd",
        "corp",
        "corporation",
        "company",
        "co",
        "group",
        "news",
        "media",
        "health",
        "clinic",
        "bank",
        "university",
        "college",
        "institute",
        "foundation",
        "association",
        "society",
        "services",
        "solutions",
        "online",
        "blog",
        "magazine",
        "press",
        "store",
        "shop",
        "official",
        "labs",
        "lab",
        "studio",
        "agency",
        "marketing",
        "digital",
        "network",
        "tips",
        "editorial",
        "resources",
        "hq",
        "app",
        "software",
        "systems",
        "data",
        "tech",
        "technologies",
        "consulting",
        "partners",
        "capital",
        "financial",
        "insurance",
        "realty",
        "law",
        "legal",
        "care",
        "medical",
        "dental",
        "dentistry",
        "travel",
        "energy",
        "contributors",
        "department",
    ]
)
_COMPANY = re.compile(r"\b(?:inc|llc|ltd|gmbh|corp|plc|s\.?a\.?s?|ag|bv|b\.v)\.?$", re.IGNORECASE)
_DOMAIN = re.compile(r"\.[a-z]{2,6}(?:\.[a-z]{2})?$", re.IGNORECASE)
_AGENCY_NAMES: frozenset[str] | None = None


def _agencies() -> frozenset[str]:
    global _AGENCY_NAMES
    if _AGENCY_NAMES is None:
        from transforms.metadata.text_meta import AGENCIES

        _AGENCY_NAMES = frozenset(
            re.sub(r"\[- \]", " ", a).replace("\\", "").casefold() for a in AGENCIES.split("|")
        )
    return _AGENCY_NAMES


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def personal(name: str) -> bool:
    """A person's full name: two to four capitalised words, none of them all caps (initials
    such as "C." or "C.J." aside) or an organisation word (a personal site is named after
    its owner; a brand is not)."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() and (not w.isupper() or _INITIALS.fullmatch(w)) for w in words)
        and not any(w.lower().strip(".,") in ORG_WORDS for w in words)
    )


def is_organization(name: str, typed: bool = False, site_names: Iterable[str] = ()) -> bool:
    """True when `name` credits an organisation rather than a person (see the module)."""
    words = name.split()
    if not words:
        return False
    low = [w.lower().strip(".,") for w in words]
    if typed or low[0] == "the" or low[-1] in _COLLECTIVE or low[0] == "team":
        return True
    if any(w in ORG_WORDS for w in low) or _COMPANY.search(name) or _DOMAIN.search(name):
        return True
    if " ".join(low) in _agencies():
        return True
    if len(words) == 1 and len(name) >= 2 and name.isupper() and name.isalpha():
        return True  # an acronym: "AFP", "BBC"
    sites = list(site_names)
    return bool(sites) and not personal(name) and names_match(name, sites)


def collective(name: str) -> bool:
    """A team credited as a co-author ("The Acme Team", "Metro Desk", "TMZ Staff"), as
    opposed to a publication named after people's names (their employer)."""
    words = name.lower().split()
    return bool(words) and (words[-1] in _COLLECTIVE or words[0] == "team")


def byline_credits(
    names: list[str], typed_orgs: Iterable[str] = (), site_names: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """(authors, author_organizations) of a byline: an organisation beside named people is
    their employer ("Jane Doe and John Roe, The Daily Bugle") and is left out, unless it is a
    team credited with them ("Jane Doe and the Data Team")."""
    people, orgs = split_people(names, typed_orgs, site_names)
    if people:
        orgs = [o for o in orgs if collective(o)]
    return people, orgs


def split_people(
    names: list[str], typed_orgs: Iterable[str] = (), site_names: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """(people, organisations) of a byline's names, each in page order."""
    typed = {n.casefold() for n in typed_orgs}
    sites = list(site_names)
    people: list[str] = []
    orgs: list[str] = []
    for n in names:
        (orgs if is_organization(n, n.casefold() in typed, sites) else people).append(n)
    return people, orgs

"""The vocabulary bylines are read with: job titles, credentials, the words that end a byline,
name particles, interface labels. Word lists only; the tests that use them are in
`name_parts` (one part of a byline) and `authors` (a whole byline string).
"""

from __future__ import annotations

import re

ROLE_WORDS = frozenset(
    [
        "staff",
        "writer",
        "writers",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "editor",
        "editors",
        "contributor",
        "contributors",
        "columnist",
        "columnists",
        "senior",
        "chief",
        "managing",
        "associate",
        "assistant",
        "deputy",
        "executive",
        "news",
        "digital",
        "political",
        "politics",
        "business",
        "sports",
        "health",
        "science",
        "tech",
        "technology",
        "features",
        "feature",
        "special",
        "desk",
        "bureau",
        "national",
        "international",
        "foreign",
        "local",
        "freelance",
        "freelancer",
        "journalist",
        "journalists",
        "producer",
        "producers",
        "analyst",
        "analysts",
        "contributing",
        "content",
        "manager",
        "director",
        "head",
        "lead",
        "expert",
        "experts",
        "specialist",
        "author",
        "authors",
        "photographer",
        "photographers",
        "correspondent",
        "and",
        "of",
        "the",
        "for",
        "at",
        "in",
        "team",
        "member",
        "fellow",
        "intern",
        "interns",
        "sr",
        'jr",',
    ]
)

# words that make a part a role or a generic label even when other words are capitalised
ROLE_HEADS = frozenset(
    [
        "writer",
        "reporter",
        "correspondent",
        "editor",
        "contributor",
        "columnist",
        "journalist",
        "producer",
        "analyst",
        "manager",
        "director",
        "specialist",
        "expert",
        "photographer",
        "intern",
        "ceo",
        "cto",
        "cfo",
        "founder",
        "co-founder",
        "president",
        "representative",
        "officer",
        "educator",
        "dietitian",
        "nutritionist",
    ]
)

GENERIC = frozenset(
    [
        "admin",
        "administrator",
        "author",
        "authors",
        "unknown",
        "guest",
        "staff",
        "anonymous",
        "editor",
        "editors",
        "webmaster",
        "user",
        "default",
        "team",
        "contributor",
        "none",
        "null",
        "n/a",
        "undefined",
    ]
)

CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}|(?:[A-Z][a-z]?\.){1,3}[A-Z]?[a-z]?\.?|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|"
    r"I{2,3}|IV|[A-Z][A-Z-]*\d+[A-Z]*(?:\s\d+)?|[A-Z]{1,5}-[A-Z]{1,5}(?:\s\d+)?)[®™]?$"
)

# in an ALL-CAPS byline only these read as credentials ("JANE DOE" is a name)
COMMON_CREDENTIALS = frozenset(
    [
        "MD",
        "PHD",
        "RN",
        "RD",
        "DO",
        "DDS",
        "DMD",
        "DVM",
        "VMD",
        "MBA",
        "MS",
        "MA",
        "BA",
        "BS",
        "BSC",
        "MSC",
        "CPA",
        "CFP",
        "CFA",
        "JD",
        "ESQ",
        "MPH",
        "LCSW",
        "FACLM",
        "FACP",
        "FACS",
        "FAND",
        "RDN",
        "CNS",
        "NP",
        "PA",
        "PT",
        "DPT",
        "OD",
        "PSYD",
        "EDD",
        "LPC",
        "MFT",
        "CPT",
    ]
)

# words that open a job title ("Senior Research Executive"); not "Team" or "Desk", which end
# a team's name ("The Acme Team")
TITLE_START = frozenset(
    ["senior", "chief", "managing", "associate", "assistant", "deputy", "executive", "contributing"]
)

SOCIAL = re.compile(
    r"\b(?:facebook|twitter|tweet|pin|pinterest|linkedin|instagram|share|email|follow|"
    r"subscribe|view|posts|profile|bio|more|read|website|youtube|privacy|home|login|sign)\b",
    re.IGNORECASE,
)

# words that end a byline when glued to it ("Jane Doe December 3", "Jane Doe Last updated")
TAIL_STOP = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "last",
        "updated",
        "published",
        "posted",
        "table",
        "contents",
        "share",
        "read",
        "min",
        "home",
        "reviewed",
        "edited",
        "fact",
        "print",
        "listen",
        "save",
    ]
)

PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "del",
        "di",
        "du",
        "la",
        "le",
        "bin",
        "al",
        "ibn",
        "st",
    ]
)

# words of the page's furniture: a label made of them ("Reading Time", "Article Tags",
# "Text Size") is the interface speaking, not a person
UI_WORDS = frozenset(
    [
        "article", "articles", "tag", "tags", "time", "reading", "category", "categories", "topic",
        "topics", "related", "latest", "popular", "trending", "menu", "search", "newsletter",
        "comments", "table", "contents", "podcast", "podcasts", "size", "edit", "print", "listen",
        "audio", "video", "gallery", "summary", "overview", "takeaways", "highlights",
        "advertisement", "sponsored", "toggle", "navigation", "skip", "download", "subscribe",
        "login", "logout", "account", "settings",
    ]
)  # fmt: skip

# lower-case words a byline may hold besides names: connectors, labels, particles
BYLINE_LOWER = frozenset(["by", "with", "on", "from", "written", "posted", "min", "read"])

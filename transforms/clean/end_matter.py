"""End matter: what pages print after the article itself, recognised by the form of one line.

After the last paragraph, pages of every kind append the same few things: a section header
("About the author", "References", "Sources", "Disclaimer"), an author bio in the third person
("Jane Doe is a freelance writer ..."), or a legal notice ("... for informational purposes only",
"... does not constitute ... advice"). (The publisher's closing call to action, "Book a free demo
...", is not among them: on the dev pages the annotators mostly count it as the article's last
paragraph.) Each form alone also
occurs inside articles, so this module only *names* the form; `transforms.clean.text_clean` decides by
position (near the end, little text after it) whether the line starts the end matter.
"""

from __future__ import annotations

import re

from transforms.clean.line_features import LineFeatures

# Section headers that open the end matter (a short line, matched on `normalise_line` output).
_HEADER = re.compile(
    r"""^(?:
        about\ (?:the\ )?(?:authors?|writers?|contributors?|experts?|reviewers?)
      | meet\ the\ (?:authors?|writers?|experts?)
      | (?:article\ |post\ )?(?:written|reviewed|edited|fact[-\ ]checked)\ by(?:\ [\w.'-]+){0,4}
      | (?:article\ |additional\ |selected\ )?(?:references?|sources?|citations?|bibliography|footnotes?)
      | references?\ (?:and|&)\ (?:citations?|notes|further\ reading)
      | works\ cited | notes\ and\ references
      | (?:legal\ |important\ |affiliate\ |editorial\ )?(?:disclaimers?|disclosures?)
    )\W*$""",
    re.X,
)

# A third-person author bio: a person's name (one to four capitalised words), a bio verb, and
# within the first words the person's role, singular ("... is a freelance writer based in ...").
# Company and product blurbs ("Acme Labs is a platform ...") name no such role.
_BIO_START = re.compile(
    r"^(?:About\ the\ author:?\s*)?(?:Dr\.?\s+)?[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
    r"(?:\s+\(@\w+\))?,?\s+"
    r"(?:is|was|has\ (?:been|spent|written|worked|covered)|serves\ as|joined|writes|covers|holds"
    r"|specializes|specialises|leads|brings)\b(?P<head>(?:\s+\S+){1,14})",
    re.X,
)
_BIO_ROLE = re.compile(
    r"\b(?:writer|editor|journalist|reporter|author|contributor|columnist|correspondent|freelancer"
    r"|founder|co-founder|ceo|cto|director|professor|photographer|producer|expert|specialist"
    r"|consultant|attorney|lawyer|physician|analyst|strategist|executive|manager|dietitian"
    r"|nutritionist|coach|researcher|scientist|fellow|blogger|host|owner|adviser|advisor"
    r"|practitioner|therapist|instructor|teacher|faculty|vp|vice\ president|head\ of)\b(?!['’]s)",
    re.I,
)
# First-person bio: "Hi, I'm Jane ..." at the end of a post.
_BIO_FIRST = re.compile(r"^(?:hi|hello|hey)(?:\ there)?[,!]?\ i'?\ ?a?m\b", re.X)

# Legal notices and disclaimers (matched on the normalised line).
_LEGAL = re.compile(
    r"""\b(?:
        for\ (?:general\ )?(?:informational|information|educational)\ purposes\ only
      | (?:does|do|shall)\ not\ constitute\b
      | (?:is|are)\ not\ (?:intended|meant)\ (?:to|as)\b
      | not\ (?:be\ )?(?:construed|considered)\ as\b
      | not\ (?:legal|financial|tax|medical|investment|professional)\ advice
      | registered\ trademarks?\ (?:of|owned)
      | past\ performance\ (?:is|does)
      | (?:message|msg)\ (?:&|and)\ data\ rates
      | licensed\ under\ a\ creative\ commons
    )""",
    re.X,
)
_LABELLED = re.compile(r"^\W*(?:disclaimer|disclosure|legal\ notice|editorial\ note)\s*:", re.X)


def end_matter_kind(key: str, line: str, feats: LineFeatures) -> str | None:
    """The end-matter form of a line ("header", "bio", "legal"), or None.

    `key` is the line's `normalise_line` form. Only the form is judged here: whether the line
    actually starts the end matter depends on where it stands (see `transforms.clean.text_clean`).
    """
    if feats.words <= 6 and not key.endswith(".") and _HEADER.match(key):
        return "header"
    if feats.words >= 8:
        m = _BIO_START.match(line.strip())
        if m and _BIO_ROLE.search(m.group("head")):
            return "bio"
        if _BIO_FIRST.match(key):
            return "bio"
    if _LABELLED.match(key) or (feats.words >= 10 and _LEGAL.search(key)):
        return "legal"
    return None

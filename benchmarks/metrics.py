"""Body-quality metrics shared by the eval scripts: tokenizer, word F1, snippets, credits, repeats.

Kept free of project code on purpose: the credit detector here is written independently of
`transforms.html.captions`, so the figure that says "credits left in the body" is not graded by the
very rule that removes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from statistics import mean

_WORD = re.compile(r"\w+", re.UNICODE)
# Dashes and quotes vary between the ground truth and extractors: fold them before comparing.
_FOLD = str.maketrans(
    {"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (NFKC), the unit of every word-level figure."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").translate(_FOLD).lower())


def word_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of `predicted` against `truth`.

    Two empty texts agree perfectly (F1 1.0); one empty side scores 0.
    """
    p, t = Counter(tokens(predicted)), Counter(tokens(truth))
    np_, nt = sum(p.values()), sum(t.values())
    if np_ == 0 and nt == 0:
        return 1.0, 1.0, 1.0
    if np_ == 0 or nt == 0:
        return 0.0, 0.0, 0.0
    common = sum((p & t).values())
    if common == 0:
        return 0.0, 0.0, 0.0
    precision, recall = common / np_, common / nt
    return precision, recall, 2 * precision * recall / (precision + recall)


def ceiling_f1(source: str, truth: str) -> float:
    """Best word F1 any cleaner that only removes words from `source` can reach on `truth`.

    A cleaner keeps a sub-bag of the source's words, so its recall is at most r, the share of the
    truth's words (bag, with counts) that the source holds; precision is at most 1; F1 is thus at
    most 2r/(1+r), reached by keeping exactly the source words the truth has. Empty cases follow
    `word_prf`: an empty truth is matched by removing everything (1.0).
    """
    t = Counter(tokens(truth))
    nt = sum(t.values())
    if nt == 0:
        return 1.0
    r = sum((Counter(tokens(source)) & t).values()) / nt
    return 2 * r / (1 + r)


def word_f1(predicted: str, truth: str) -> float:
    return word_prf(predicted, truth)[2]


def _joined(text: str) -> str:
    return " " + " ".join(tokens(text)) + " "


def snippet_in(snippet: str, text_joined: str) -> bool:
    """Is `snippet` (as a token sequence, on word boundaries) inside the pre-joined text?"""
    s = " ".join(tokens(snippet))
    return bool(s) and f" {s} " in text_joined


def snippet_counts(body: str, truth: str, with_: list[str], without: list[str]) -> dict[str, int]:
    """How many `with` snippets the body contains and how many `without` snippets it leaks.

    A `without` snippet that also occurs in the ground-truth body (a menu word such as "Home" that
    the article itself uses) cannot be told apart from content, so it is not scored.
    """
    b, t = _joined(body), _joined(truth)
    scored_without = [s for s in without if tokens(s) and not snippet_in(s, t)]
    return {
        "with_total": sum(1 for s in with_ if tokens(s)),
        "with_found": sum(1 for s in with_ if tokens(s) and snippet_in(s, b)),
        "without_total": len(scored_without),
        "without_leaked": sum(1 for s in scored_without if snippet_in(s, b)),
    }


# Photo credits as publishers print them. Agency names are generic (wire services, stock
# libraries), not tied to any site of the dev set.
_AGENCY = (
    r"AP|AFP|Reuters|Getty(?:\s+Images)?|EPA|EPA-EFE|Shutterstock|iStock(?:photo)?|Alamy|"
    r"Bloomberg|Xinhua|Sipa|PA(?:\s+Images|\s+Wire)?|ANSA|DPA|Zuma(?:\s+Press)?|Pool|"
    r"NurPhoto|SOPA\s+Images|Unsplash|Pexels|Wikimedia(?:\s+Commons)?"
)
CREDIT_RE = re.compile(
    r"\((?:[^()\n]{0,60}/\s*)?(?:" + _AGENCY + r")(?:\s+Photo)?(?:\s*/[^()\n]{0,60})?\)"
    r"|\(\s*(?:AP|AFP|Reuters)\s+Photo\b[^()\n]{0,60}\)"
    r"|\b(?:Photo(?:graph)?|Image|Picture|Photo\s+credit|Image\s+credit|Credit)s?\s*:\s*\S"
    r"|\b[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*/\s*(?:" + _AGENCY + r")\b"
    r"|\b(?:Photo|Image)\s+(?:by|courtesy\s+of)\s+[A-Z]"
    r"|\bCourtesy\s+of\s+[A-Z]",
)


def credit_count(text: str) -> int:
    """Number of photo-credit patterns in `text`."""
    return len(CREDIT_RE.findall(text or ""))


def has_extra_credit(body: str, truth: str) -> bool:
    """Does the body carry more photo credits than the ground-truth body itself?"""
    return credit_count(body) > credit_count(truth)


def paragraphs_of(text: str) -> list[str]:
    """Non-empty lines of a text (extractors differ on blank lines between paragraphs)."""
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


def repeated_paragraphs(text: str, min_words: int = 4) -> int:
    """How many extra copies of paragraphs (of at least `min_words` words) the text holds."""
    keys = [" ".join(tokens(p)) for p in paragraphs_of(text)]
    counts = Counter(k for k in keys if len(k.split()) >= min_words)
    return sum(n - 1 for n in counts.values() if n > 1)


def summarize(rows: list[dict], prefix: str) -> dict[str, float]:
    """Aggregate per-page figures (`rows` as produced by `page_figures`) into one table column."""
    if not rows:
        return {}
    wt = sum(r[f"{prefix}with_total"] for r in rows)
    wf = sum(r[f"{prefix}with_found"] for r in rows)
    ot = sum(r[f"{prefix}without_total"] for r in rows)
    ol = sum(r[f"{prefix}without_leaked"] for r in rows)
    return {
        "pages": len(rows),
        "word_f1": mean(r[f"{prefix}f1"] for r in rows),
        "precision": mean(r[f"{prefix}precision"] for r in rows),
        "recall": mean(r[f"{prefix}recall"] for r in rows),
        "with_found": wf / wt if wt else float("nan"),
        "without_leaked": ol / ot if ot else float("nan"),
        "pages_credit_left": sum(1 for r in rows if r[f"{prefix}credit"]),
        "pages_repeated_par": sum(1 for r in rows if r[f"{prefix}repeats"]),
        "empty_bodies": sum(1 for r in rows if r[f"{prefix}empty"]),
        "sec_per_page": mean(r[f"{prefix}seconds"] for r in rows),
    }


def page_figures(
    body: str, page_truth: str, with_: list[str], without: list[str], seconds: float, prefix: str
) -> dict:
    """Per-page figures of one system's body, keys prefixed by the system name."""
    p, r, f = word_prf(body, page_truth)
    s = snippet_counts(body, page_truth, with_, without)
    out = {
        f"{prefix}precision": p,
        f"{prefix}recall": r,
        f"{prefix}f1": f,
        f"{prefix}credit": has_extra_credit(body, page_truth),
        f"{prefix}repeats": repeated_paragraphs(body) > 0,
        f"{prefix}empty": not tokens(body),
        f"{prefix}seconds": seconds,
    }
    out.update({f"{prefix}{k}": v for k, v in s.items()})
    return out

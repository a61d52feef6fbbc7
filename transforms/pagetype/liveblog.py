"""A live blog keeps each update's time and author, as a line of the body above the update.

Body extraction keeps a live blog's update texts and drops their timestamps and author lines
(short, unpunctuated: they read as chrome), so a reader cannot tell when anything happened.
The updates are found on the tree before extraction: a `<time>` element and the block around
it that holds the update's first paragraph; an author is an element in that block whose class
says author or byline. After extraction each update's first paragraph gets its stamp line
above it: "09:02 · Ada Lane" (the time as the page shows it, else its `datetime` attribute).
"""

from __future__ import annotations

from typing import Any

_KEY_CHARS = 60  # an update is matched to its body paragraph on this many leading characters
_MAX_UP = 4  # levels above the <time> element searched for the update's block
_AUTHOR_CLASS = ("author", "byline")


def _key(text: str) -> str:
    return " ".join(text.split())[:_KEY_CHARS]


def _stamp(time_el: Any, block: Any) -> str:
    shown = " ".join(time_el.text_content().split()) or (time_el.get("datetime") or "").strip()
    for el in block.iter():
        cls = (el.get("class") or "").lower() if isinstance(el.tag, str) else ""
        if any(c in cls for c in _AUTHOR_CLASS):
            name = " ".join(el.text_content().split())
            if name and len(name.split()) <= 6:
                return f"{shown} · {name}"
    return shown


def live_updates(tree: Any) -> list[tuple[str, str]]:
    """(key of the update's first paragraph, its stamp line) for each timed update."""
    found = []
    for time_el in tree.iter("time"):
        block = time_el.getparent()
        for _ in range(_MAX_UP):
            if block is None:
                break
            paragraph = next(
                (p for p in block.iter("p") if len(p.text_content().split()) >= 5), None
            )
            if paragraph is not None:
                stamp = _stamp(time_el, block)
                if stamp:
                    found.append((_key(paragraph.text_content()), stamp))
                break
            block = block.getparent()
    return found


def stamp_body(paragraphs: list[str], updates: list[tuple[str, str]]) -> tuple[list[str], int]:
    """The body's paragraphs with each update's stamp line above its first paragraph, and how
    many were placed."""
    stamps = dict(reversed(updates))  # the first update of a key wins
    out, placed = [], 0
    for paragraph in paragraphs:
        stamp = stamps.pop(_key(paragraph), None)
        if stamp:
            out.append(stamp)
            placed += 1
        out.append(paragraph)
    return out, placed

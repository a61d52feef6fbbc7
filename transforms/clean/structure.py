"""Lines that belong to the body by their structure: code, runs of one form, introduced lists.

The line rules tell chrome from text mostly by length and position: a short line after the
last sentence is furniture, a run of short lines between paragraphs is a teaser list. That is
right for a page's share buttons and wrong for an article's own lists: tour dates ("June 9 -
Tampa, FL"), results ("Arsenal 2-1 Chelsea"), a spec sheet ("Weight: 1.2 kg"), an award list
("2023: Ann Lee"), a table, or a tutorial's code. What sets those apart is not their length but
their *form*:
- code: a line that parses as code (brackets or a semicolon at its end, an assignment or a
  call, a comment marker before code) is never a comment header or a label;
- a run of at least `MIN_RUN` consecutive lines of one form (date-led, key: value, two sides
  of a dash, a score, a list or table item) is a list the article wrote, not a menu: menus and
  teaser lists are headlines and labels of no common form;
- a line that ends with a colon (and is not itself furniture: "Related:" is classed before)
  introduces the short lines below it, up to the next sentence; a heading right above a list
  is the list's title.
`spared_lines` marks them; `transforms.clean.text_clean` then keeps them out of its cuts by
position (tail, end matter, comments, teaser runs, trailing block). Lines classed as
boilerplate by their own form ("Share on Facebook") are still removed.
"""

from __future__ import annotations

from collections.abc import Sequence

from transforms.clean.line_features import LineFeatures
from transforms.text.forms import line_form, looks_like_code

MIN_RUN = 3  # consecutive lines of one form that make a list
MAX_INTRODUCED = 60  # lines an introducing "...:" line can hold below it
MAX_ITEM_WORDS = 25  # longer than this, a line is a paragraph, not an item


def spared_lines(
    lines: Sequence[str],
    feats: Sequence[LineFeatures],
    classed: Sequence[str | None],
    markup: bool = True,
) -> list[bool]:
    """For each line, whether its structure says it belongs to the body (module docstring).
    `classed` is each line's boilerplate class: a classed line introduces nothing. In plain
    text (`markup` False) only runs of one form count: a dump's code is the page's scripts and
    its "...:" lines head link lists as often as the article's own lists."""
    n = len(lines)
    spared = [False] * n
    forms = [
        line_form(line) if f.words <= MAX_ITEM_WORDS else None
        for line, f in zip(lines, feats, strict=True)
    ]
    i = 0
    while i < n:  # runs of one form
        j = i
        while j < n and forms[j] is not None and forms[j] == forms[i]:
            j += 1
        if j - i >= MIN_RUN:
            spared[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    for i, line in enumerate(lines):
        if not markup:
            break
        if looks_like_code(line):
            spared[i] = True
        elif (
            classed[i] is None and feats[i].words <= MAX_ITEM_WORDS and line.rstrip().endswith(":")
        ):
            # "Tour dates:" holds the short lines below it, up to the next sentence
            for j in range(i + 1, min(n, i + 1 + MAX_INTRODUCED)):
                if feats[j].prose or feats[j].words > MAX_ITEM_WORDS:
                    break
                spared[j] = True
    # the heading or "...:" line right above a list of at least `MIN_RUN` lines is its title
    for i in range(n - MIN_RUN):
        if (
            not spared[i]
            and classed[i] is None
            and feats[i].words <= MAX_ITEM_WORDS
            and not feats[i].prose
            and all(spared[i + 1 : i + 1 + MIN_RUN])
        ):
            spared[i] = True
    return spared

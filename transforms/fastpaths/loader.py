"""trafilatura's HTML loader (`trafilatura.utils.load_html`) for a string and a given parser,
skipping the repair's character pass for markup already free of the characters lxml refuses.

Follows trafilatura 2.3.1's internals (`transforms.fastpaths.SUPPORTED`).
"""

from __future__ import annotations

import contextlib

from lxml import etree, html

from transforms.fastpaths import supported


def _repaired(markup: str, beginning: str, xml_safe: bool) -> str:
    """trafilatura's `repair_faulty_html`; without its removal of XML-refused characters for
    markup already free of them (`xml_safe`: `XmlSafeMarkup` from `DecodeStep`): that is a
    regex pass over the whole page. The two repairs left follow trafilatura 2.3.1 (`SUPPORTED`;
    any other version runs its own function)."""
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, repair_faulty_html

    if not xml_safe or not supported():
        return repair_faulty_html(markup, beginning)

    # libxml2 rejects a doctype with a slash (lxml bug 1955915); a self-closing <html/>
    if "doctype" in beginning:
        # trafilatura rebuilds the page from its first line: the same text unless that line's
        # doctype is rewritten or the page has no newline (it gains one); no copy otherwise
        end = markup.find("\n")
        if end < 0 or DOCTYPE_TAG.match(markup, 0, end) is not None:
            firstline, _, rest = markup.partition("\n")
            markup = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in markup[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", markup, count=1)
    return markup


def load_html(markup: str, parser: html.HTMLParser, xml_safe: bool) -> etree._Element | None:
    """`trafilatura.utils.load_html` for a string, with `parser` (same repairs and checks).

    `xml_safe`: the markup holds no character lxml refuses (checked by the caller), so the
    repair's pass that removes them is skipped."""
    from trafilatura.utils import is_dubious_html

    beginning = markup[:50].lower()
    dubious = is_dubious_html(beginning)
    markup = _repaired(markup, beginning, xml_safe)
    tree = None
    # a str carrying an encoding declaration raises ValueError: lxml wants bytes then
    with contextlib.suppress(ValueError, etree.LxmlError):
        tree = html.fromstring(markup, parser=parser)
    if tree is None or len(tree) < 1:
        try:
            tree = html.fromstring(markup.encode("utf8", "surrogatepass"), parser=parser)
        except (ValueError, etree.LxmlError):
            return None
    if tree is not None and dubious and len(tree) < 2:
        return None  # not HTML at all (trafilatura's rejection test)
    return tree

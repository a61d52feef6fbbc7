"""trafilatura's `prune_unwanted_sections`, its second link-density round testing only what changed.

`trafilatura.main_extractor.prune_unwanted_sections` (2.3.1) runs `delete_by_link_density` on
div, list and p twice in a row. A test of an element (`link_density_test`, and the backtracking
length check) reads only its tag, its subtree, its parent's tag and whether it has a next
sibling; the only edits between the tests are `delete_element` calls, which change the subtree
of the deleted element's ancestors and the next sibling of its previous sibling, nothing else
(no element moves, no tag changes). So in the second round an element neither of those
deletions touched gets the answer it got in the first round, which deleted it or kept it:
kept, it stays kept. The second round here tests only the touched elements (the first round
often deletes nothing; the second round rarely deletes anything), with the
same results and the same tree as trafilatura's two rounds.

Follows trafilatura 2.3.1 (`transforms.fastpaths.SUPPORTED`): `install()` puts it in
`trafilatura.main_extractor` only where that module's function is trafilatura's own, and the
tests compare both on invented trees and on the dev pages.
"""

from __future__ import annotations

import importlib

from lxml import etree

Element = etree._Element


def _delete_by_link_density(
    subtree: Element,
    tagname: str,
    backtracking: bool,
    favor_precision: bool,
    only: set[Element] | None,
    touched: set[Element],
) -> None:
    """`htmlprocessing.delete_by_link_density` testing only the elements in `only` (all when
    None); adds to `touched` what each deletion changes: the ancestors and the previous sibling."""
    from trafilatura.htmlprocessing import link_density_test
    from trafilatura.utils import trim
    from trafilatura.xml import delete_element

    deletions = []
    len_threshold = 200 if favor_precision else 100
    depth_threshold = 1 if favor_precision else 3
    for elem in subtree.iter(tagname):
        if only is not None and elem not in only:
            continue
        result, short_with_links = link_density_test(elem, favor_precision)
        if result or (
            backtracking
            and short_with_links
            and len(elem) >= depth_threshold
            and len(trim(elem.text_content())) < len_threshold
        ):
            # trafilatura keeps a paragraph holding a list item's or a cell's content (GH #788)
            parent = elem.getparent()
            if tagname == "p" and parent is not None and parent.tag in ("item", "td", "th"):
                continue
            deletions.append(elem)
    for elem in dict.fromkeys(deletions):
        previous = elem.getprevious()
        if previous is not None:
            touched.add(previous)
        touched.update(elem.iterancestors())
        delete_element(elem)


def prune_unwanted_sections(
    tree: Element, potential_tags: set[str], options, keep_teasers: bool = False
) -> Element:
    """`main_extractor.prune_unwanted_sections` (2.3.1), step for step, with the second
    link-density round limited to the elements the deletions before it touched."""
    me = importlib.import_module("trafilatura.main_extractor")

    favor_precision = options.focus == "precision"
    tree = me.prune_unwanted_nodes(tree, me.OVERALL_DISCARD_XPATH, with_backup=True)
    if "graphic" not in potential_tags:
        tree = me.prune_unwanted_nodes(tree, me.DISCARD_IMAGE_ELEMENTS)
    if options.focus != "recall":
        if not keep_teasers:
            tree = me.prune_unwanted_nodes(tree, me.TEASER_DISCARD_XPATH)
        if favor_precision:
            tree = me.prune_unwanted_nodes(tree, me.PRECISION_DISCARD_XPATH)
    touched: set[Element] = set()
    for only in (None, touched):  # trafilatura's two rounds
        _delete_by_link_density(tree, "div", True, favor_precision, only, touched)
        _delete_by_link_density(tree, "list", False, favor_precision, only, touched)
        _delete_by_link_density(tree, "p", False, favor_precision, only, touched)
    if "table" in potential_tags or favor_precision:
        boilerplate_tables = [
            e for e in tree.iter("table") if me.link_density_test_tables(e) is True
        ]
        for elem in boilerplate_tables:
            me.delete_element(elem, keep_tail=False)
    if favor_precision:
        while len(tree) > 0 and (tree[-1].tag == "head"):
            me.delete_element(tree[-1], keep_tail=False)
        tree = me.delete_by_link_density(tree, "head", backtracking=False, favor_precision=True)
        tree = me.delete_by_link_density(tree, "quote", backtracking=False, favor_precision=True)
    me.strip_tags(tree, "span", *(() if "ref" in potential_tags else ("ref",)))
    return tree


_ORIGINAL: dict[str, object] = {}


def install() -> bool:
    """Put this `prune_unwanted_sections` in `trafilatura.main_extractor` (idempotent).

    Only where the module's function is trafilatura's own (the one this module follows)."""
    me = importlib.import_module("trafilatura.main_extractor")
    current = me.prune_unwanted_sections
    if current is not prune_unwanted_sections and current.__module__ == me.__name__:
        _ORIGINAL["prune_unwanted_sections"] = current
        me.prune_unwanted_sections = prune_unwanted_sections
    return installed()


def installed() -> bool:
    """Does `trafilatura.main_extractor` use this module's function in this process?"""
    me = importlib.import_module("trafilatura.main_extractor")
    return me.prune_unwanted_sections is prune_unwanted_sections


def uninstall() -> None:
    """Give `trafilatura.main_extractor` its own `prune_unwanted_sections` back."""
    if "prune_unwanted_sections" in _ORIGINAL:
        me = importlib.import_module("trafilatura.main_extractor")
        me.prune_unwanted_sections = _ORIGINAL["prune_unwanted_sections"]


def original():
    """trafilatura's own `prune_unwanted_sections` (for the tests and timing)."""
    me = importlib.import_module("trafilatura.main_extractor")
    return _ORIGINAL.get("prune_unwanted_sections", me.prune_unwanted_sections)

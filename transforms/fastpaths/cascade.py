"""trafilatura's extraction cascade, with its external comparison run only when it can matter.

`trafilatura.extract` (balanced, not fast) always runs readability (and justext on short or
"unclean" bodies) after its own extractor, then keeps its own result unless that one is empty,
structurally deficient or under half the alternative's length. When the own body already holds
a large share of the page's text, the alternative cannot be twice as long and the outcome is
the own body: on the WCXB dev pages whose page text is under 2x the fast body, the full and the
fast extraction are the same text on nearly every page (and where they differ the fast one
scores a little better: `make eval`). `extract_text` therefore runs the cascade's stage 1 once and the comparison
(stage 2, and justext in the recall escalation) only when the stage-1 body is short or covers
less than 1/`compare_page_ratio` of the page: the same text as `extract` where it matters, at
the cost of the fast mode elsewhere.

The gate sits between two stages of `trafilatura.core.trafilatura_sequence`, which has no
option for it, so this module follows that function step for step with its internal helpers.
Those are not a stable API: the module is pinned to the trafilatura version it was written
against (`transforms.fastpaths.SUPPORTED`) and any other version takes the public
`trafilatura.extract`
(the tests compare both paths with the gate held open).
"""

from __future__ import annotations

from copy import copy
from typing import TYPE_CHECKING

import trafilatura
from lxml import etree

from transforms.fastpaths import enable, supported

if TYPE_CHECKING:
    from trafilatura.settings import Extractor


def _comparison_can_matter(
    body: etree._Element, text: str, min_size: int, page_chars: int, page_ratio: float
) -> bool:
    """Could `compare_extraction` replace this stage-1 body? (its triggers, 2.3.1)

    justext runs on a short or "unclean" body; readability wins on an own body without <p>
    text or dominated by tables, or when its text is over 2x the own body's, which needs a
    page holding well over 2x the body's text (readability reads the same page).
    """
    from trafilatura.external import SANITIZED_XPATH

    if len(text) < min_size or page_chars > page_ratio * len(text):
        return True
    if body.xpath(SANITIZED_XPATH) or not body.xpath(".//p//text()"):
        return True
    return len(body.findall(".//table")) > len(body.findall(".//p"))


def _public_extract(tree: etree._Element, url: str | None, **options: bool) -> str:
    return (
        trafilatura.extract(
            tree,
            url=url,
            output_format="txt",
            include_comments=False,
            include_images=False,
            deduplicate=False,  # a per-process LRU cache, order-dependent: not a dedup
            with_metadata=False,
            **options,
        )
        or ""
    )


class PageExtraction:
    """trafilatura extractions of one page (comments off), sharing its raw-tree pruning.

    Both passes of `ExtractBodyStep` start as `trafilatura_sequence` does: copy the tree, then
    prune the same raw-tree and comment XPaths, which neither pass modifies
    afterwards (every later stage works on its own copy). Done once here, for both.
    The caller's tree is not modified, unless the caller hands it over (`owned=True`, for a
    caller that no longer reads it): then it is pruned in place, which saves a copy of the
    whole page and its freeing. The recall pass (and the balanced pass's recall
    escalation) also take the balanced pass's `tree_cleaning` result where it is theirs
    (`_recall_cleaned`), kept unmodified for them.
    """

    def __init__(self, tree: etree._Element, url: str | None, owned: bool = False) -> None:
        if supported():
            enable()  # the matchers and the maker, at the first extraction of a process
        self.tree = tree
        self.url = url
        self._owned = owned
        self._pruned: etree._Element | None = None
        # the balanced pass's cleaned tree before its tag conversion, kept unmodified
        self._cleaned: etree._Element | None = None

    def _pruned_tree(self) -> etree._Element:
        if self._pruned is None:
            from trafilatura.core import _forum_thread_page
            from trafilatura.htmlprocessing import prune_unwanted_nodes
            from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

            from transforms.fastpaths.xpath_matchers import prune_raw_tree

            tree = self.tree if self._owned else copy(self.tree)
            # balanced and recall focus, comments off: the same pruning (a forum keeps its
            # comment containers, where its posts live)
            is_forum = _forum_thread_page(tree)
            if not prune_raw_tree(tree, comments=not is_forum):  # the same, in one walk
                tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
                if not is_forum:
                    tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
            self._pruned = tree
        return self._pruned

    def body(self, page_chars: int, compare_page_ratio: float) -> str:
        """Body text as `trafilatura.extract(tree, include_comments=False)` finds it.

        The external comparison runs only when `_comparison_can_matter` (with
        `compare_page_ratio`; 0 always runs it: the exact `extract` cascade).
        """
        if not supported():
            return _public_extract(self.tree, self.url)
        try:
            return self._balanced(page_chars, compare_page_ratio)
        except (TypeError, ValueError):  # extract() turns these into "no text" as well
            return ""

    def recall_body(self) -> str:
        """Body text as `trafilatura.extract(tree, favor_recall=True, fast=True, ...)` finds it."""
        if not supported():
            return _public_extract(self.tree, self.url, favor_recall=True, fast=True)
        try:
            return self._recall()
        except (TypeError, ValueError):
            return ""

    def _recall(self) -> str:
        # trafilatura_sequence in recall focus, fast, comments off: stage 1 and the baseline
        # rescue (no comparison in fast mode, no escalation outside the balanced focus)
        from trafilatura.htmlprocessing import convert_tags
        from trafilatura.main_extractor import extract_content
        from trafilatura.settings import Extractor

        options = Extractor(
            output_format="txt",
            comments=False,
            images=False,
            dedup=False,
            url=self.url,
            fast=True,
            recall=True,
        )
        tree = self._pruned_tree()
        # _prepare_tree without its backup copy, which only the (skipped) comparison reads
        # the last reader of the balanced pass's cleaned tree: it takes it, without a copy
        cleaned_tree = convert_tags(
            self._recall_cleaned(tree, options, last=True), options, self.url
        )
        postbody, temp_text = extract_content(cleaned_tree, options)
        postbody, temp_text = _baseline_rescue(tree, postbody, temp_text, options)
        return _as_text(postbody, temp_text, options)

    def _recall_cleaned(
        self, tree: etree._Element, options: Extractor, last: bool = False
    ) -> etree._Element:
        """`tree_cleaning(copy(tree), options)` in recall focus, from the balanced pass's result.

        tree_cleaning (2.3.1) differs between the two focuses in one way: in recall it undoes its
        deletions when they leave no <p> below the root. When the balanced result holds a <p>,
        the deletions left one in recall too, so both results are the same tree (same options
        otherwise: tables, images, not precision): a copy of it is the recall one. The `last`
        reader (the recall pass, after the balanced one) takes the tree itself.
        """
        from trafilatura.htmlprocessing import tree_cleaning

        cleaned = self._cleaned
        if cleaned is not None and cleaned.find(".//p") is not None:
            if last:
                self._cleaned = None
                return cleaned
            return copy(cleaned)
        return tree_cleaning(copy(tree), options)

    def _balanced(self, page_chars: int, compare_page_ratio: float) -> str:
        # internals of trafilatura 2.3.1 (see the module docstring)
        from trafilatura.baseline import html2txt
        from trafilatura.core import (
            ESCALATION_ACCEPT_RATIO,
            ESCALATION_JUSTEXT_RATIO,
            ESCALATION_MAX_LENGTH,
            ESCALATION_PAGE_SHARE,
            _extract_and_compare,
            _prepare_tree,
        )
        from trafilatura.external import compare_extraction, justext_rescue
        from trafilatura.htmlprocessing import convert_tags
        from trafilatura.main_extractor import extract_content
        from trafilatura.settings import Extractor

        options = Extractor(
            output_format="txt", comments=False, images=False, dedup=False, url=self.url
        )
        tree = self._pruned_tree()
        cleaned_tree, cleaned_tree_backup = _prepare_tree(tree, options, self.url)
        self._cleaned = cleaned_tree_backup
        # 1. main extractor; 2. external comparison, only where it can change the outcome
        postbody, temp_text = extract_content(cleaned_tree, options)
        compare = compare_page_ratio <= 0 or _comparison_can_matter(
            postbody, temp_text, options.min_extracted_size, page_chars, compare_page_ratio
        )
        if compare:
            # justext cleans its input in place: a copy, the recall pass reads the backup
            postbody, temp_text = compare_extraction(
                copy(cleaned_tree_backup), copy(tree), postbody, temp_text, options
            )
        # 3. baseline rescue on the (pruned) original tree, kept only if it adds text
        postbody, temp_text = _baseline_rescue(tree, postbody, temp_text, options)
        # 4. recall escalation of a short body covering little of the page
        if 0 < len(temp_text) < ESCALATION_MAX_LENGTH and len(temp_text) < (
            ESCALATION_PAGE_SHARE * len(html2txt(tree))
        ):
            r_options = copy(options)
            r_options.focus = "recall"
            r_options.fast = not compare  # the retry compares only where stage 2 did
            r_text = ""
            try:
                # _prepare_tree(tree, r_options, url), its cleaning taken from the balanced pass
                r_cleaned = self._recall_cleaned(tree, r_options)
                r_backup = copy(r_cleaned)
                r_cleaned = convert_tags(r_cleaned, r_options, self.url)
                r_body, r_text = _extract_and_compare(r_cleaned, r_backup, tree, r_options)
            except Exception:  # trafilatura tolerates a failing retry the same way
                r_text = ""
            j_text = ""
            if compare:
                try:
                    j_body, j_text = justext_rescue(copy(tree), options)
                except Exception:
                    j_text = ""
            len_text, r_len, j_len = len(temp_text), len(r_text), len(j_text)
            if j_len > r_len and j_len > ESCALATION_JUSTEXT_RATIO * len_text:
                postbody, temp_text = j_body, j_text
            elif r_len >= options.min_extracted_size and r_len > ESCALATION_ACCEPT_RATIO * len_text:
                postbody, temp_text = r_body, r_text
        return _as_text(postbody, temp_text, options)


def _baseline_rescue(
    tree: etree._Element, postbody: etree._Element, temp_text: str, options: Extractor
) -> tuple[etree._Element, str]:
    """trafilatura's stage 3: its baseline dump replaces a body under the minimum size."""
    from trafilatura.baseline import baseline

    if len(temp_text) < options.min_extracted_size and options.focus != "precision":
        b_body, b_text, b_len = baseline(tree)  # baseline copies element inputs
        if b_len > len(temp_text):
            return b_body, b_text
    return postbody, temp_text


def _as_text(postbody: etree._Element, temp_text: str, options: Extractor) -> str:
    """The txt output of `extract()` for this body (its size check included)."""
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    if len(temp_text) < options.min_output_size:
        return ""
    # determine_returnstring appends the (empty) comments body and strips the joined text
    return normalize_unicode(xmltotxt(postbody, options.formatting).strip())

"""The word-count gate: the last step, on the final body. A body too short to be an article is
quarantined (the contract's critical rule, `min_words`); everything else goes on.

A page typed as another kind (`transforms.pagetype`: it goes to the `pages` table) has its own,
lower bound (`min_words_page`): a product's description or a collection's introduction is
content in fewer words than an article, and the `pages` suite checks the same bound."""

from __future__ import annotations

from transforms.core.record import Article, Drop
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.core.steps import Step


class QualityGateStep(Step):
    """Reject documents whose final body is too short to be an article."""

    name = "quality_gate"
    section = "clean"
    reads = frozenset({"text", "page_type"})
    writes: frozenset[str] = frozenset()

    def apply(self, doc: Article) -> Drop | None:
        words = doc.word_count
        if words == 0:
            return self.drop("empty_body", "no text left after cleaning")
        article = doc.page_type in ARTICLE_PAGE_TYPES
        name = "min_words" if article else "min_words_page"
        minimum = self.settings.min_words if article else self.settings.min_words_page
        if words < minimum:
            return self.drop("too_short", f"{words} words < {name}={minimum}", str(words))
        return None

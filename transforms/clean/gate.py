"""The word-count gate: the last step, on the final body. A body too short to be an article is
quarantined (the contract's critical rule, `min_words`); everything else goes on."""

from __future__ import annotations

from transforms.core.record import Article, Drop
from transforms.core.steps import Step


class QualityGateStep(Step):
    """Reject documents whose final body is too short to be an article."""

    name = "quality_gate"
    section = "clean"
    reads = frozenset({"text"})
    writes: frozenset[str] = frozenset()

    def apply(self, doc: Article) -> Drop | None:
        words = doc.word_count
        if words == 0:
            return self.drop("empty_body", "no text left after cleaning")
        if words < self.settings.min_words:
            return self.drop(
                "too_short", f"{words} words < min_words={self.settings.min_words}", str(words)
            )
        return None

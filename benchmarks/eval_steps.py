"""Body word F1 after each step, per page type and path: which step helps and which one hurts.

`make eval` scores the final body. This module scores the body as it stands after each step
(extraction, then each cleaning step), so a rule that costs more than it earns shows up as a
negative delta on some page type even when the total still rises. It hooks `run_steps`'s
`observe` callback (off in the flow): a `StepTrace` keeps the body after each step of one run.

A page dropped by a step scores as an empty body from that step on (the flow quarantines it);
steps that do not apply to the page's content kind are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import mean

from benchmarks import metrics
from transforms.core.record import Article, ContentKind
from transforms.core.steps import StepBase

# where the body first exists on each path: steps before it have nothing to score
FIRST_STEP = {"proj_": "extract_body", "text_": "decode"}


class StepTrace:
    """The body after each step of one document's run (an `observe` callback for run_steps)."""

    def __init__(self, steps: Sequence[StepBase], kind: ContentKind) -> None:
        self.steps = [s.name for s in steps if kind in s.applies_to]  # those that run, in order
        self.bodies: dict[str, str] = {}
        self.last: str | None = None

    def __call__(self, step: str, doc: Article) -> None:
        self.bodies[step] = doc.text
        self.last = step

    def per_step(self, first: str, dropped: bool) -> dict[str, str]:
        """{step: body after it} for the steps from `first` on (an empty body once dropped)."""
        out: dict[str, str] = {}
        body, started, gone = "", False, False
        for name in self.steps:
            started = started or name == first
            if gone:
                body = ""
            elif name in self.bodies:
                body = self.bodies[name]
                if dropped and name == self.last:
                    body, gone = "", True
            if started and (gone or name in self.bodies):  # a step that ran (or a drop before it)
                out[name] = body
        return out

    def figures(self, truth: str, dropped: bool, prefix: str) -> dict[str, dict[str, float]]:
        """The row entry `{prefix}steps`: word F1 of the body after each step."""
        bodies = self.per_step(FIRST_STEP[prefix], dropped)
        return {f"{prefix}steps": {k: metrics.word_prf(v, truth)[2] for k, v in bodies.items()}}


def print_steps(rows: list[dict]) -> None:
    """Per path, one table: a row per step, a column per page type; mean F1 and the delta the
    step made. A step whose delta is negative on a page type is marked with '!'."""
    for prefix, label in (("proj_", "html path"), ("text_", "text path (naive dumps)")):
        key = f"{prefix}steps"
        with_steps = [r for r in rows if r.get(key)]
        if not with_steps:
            continue
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in with_steps:
            groups[r["page_type"]].append(r)
        names = sorted(groups, key=lambda g: (-len(groups[g]), g))
        groups["all"] = with_steps
        names.append("all")
        steps = list(dict.fromkeys(k for r in with_steps for k in r[key]))
        print(f"\n== body word F1 after each step, {label} (delta: what the step did) ==")
        print(f"{'step':<20}" + "".join(f"{f'{g} ({len(groups[g])})':>22}" for g in names))
        previous: dict[str, float] = {}
        for step in steps:
            cells = []
            for g in names:
                value = mean(r[key].get(step, 0.0) for r in groups[g])
                if g in previous:
                    delta = value - previous[g]
                    mark = "!" if delta < -5e-5 else " "
                    cells.append(f"{value:.4f} ({delta:+.4f}){mark}")
                else:
                    cells.append(f"{value:.4f}           ")
                previous[g] = value
            print(f"{step:<20}" + "".join(f"{c:>22}" for c in cells))
        traf = [g for g in names if all("traf_f1" in r for r in groups[g])]
        if prefix == "proj_" and traf:
            print(
                f"{'trafilatura':<20}"
                + "".join(f"{mean(r['traf_f1'] for r in groups[g]):>22.4f}" for g in names)
            )

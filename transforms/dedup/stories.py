"""Stories: every member of one story shares a `story_id`, kept current across runs.

A story is founded by a canonical article when a run publishes it: its `story_id` is that
article's doc_id, and the article's duplicates carry it too. Published Parquet files are never
rewritten, so when a later document links two stories that earlier runs published apart (a
wire copy that holds most of story A and most of story B verifies against both), the run does
not touch their rows: it appends rows to `story_links` saying that the losing story now belongs
to the surviving one. The rules, all here:

- **Bridges** (`story_bridges`): a cluster of this run that holds index articles of two or more
  earlier clusters links their stories; the new document named for it (`via_doc_id`) is the
  smallest new doc_id of the cluster.
- **Survivor** (`merge_stories`): of the stories linked together (transitively, also through
  several clusters of one run), the one whose founding article was published first survives,
  then the smallest id: a minimum over a key fixed when a story is founded, so the survivor does
  not depend on the order in which runs link the stories.
- **Rows**: each losing story gets a row to the survivor (`linked_by_new_document`), and so does
  every story merged into a loser before (`followed_merged_story`). So each row points at a
  story that had no row when it was written, and every story's latest target is its current
  story: the current story of a story_id is the `merged_into` of its row whose `merged_into`
  has no row itself (`current_stories`; the reading snippets of docs/reading.md do this anti-join), or
  the story_id itself when it has no row. A merge publishes rows only; no article or duplicate
  is written again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

LINKED = "linked_by_new_document"
FOLLOWED = "followed_merged_story"
LINK_REASONS = (LINKED, FOLLOWED)
BRIDGE_COLUMNS = ["cluster_id", "via_doc_id"]


def no_bridges() -> pa.Table:
    return pa.table({c: pa.array([], pa.string()) for c in BRIDGE_COLUMNS})


def story_bridges(labels: np.ndarray, n_new: int, cluster: pa.Array, doc_id: pa.Array) -> pa.Table:
    """(cluster_id, via_doc_id) for each cluster of this run that reaches two or more earlier
    clusters: one row per earlier cluster it reaches.

    `labels`: component of each node (new rows 0..n_new-1, then the index articles); `cluster`:
    each index node's published canonical doc_id (a story id until merged); `doc_id`: each node's.
    """
    count = len(labels)
    if n_new == 0 or count == n_new:
        return no_bridges()
    old = np.arange(n_new, count)
    old = old[np.isin(labels[old], labels[:n_new])]  # index articles joined by a new row
    if len(old) == 0:
        return no_bridges()
    encoded = pc.dictionary_encode(cluster.take(pa.array(old)))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    pairs = np.unique(np.stack([labels[old], codes], axis=1), axis=0)  # (component, cluster)
    comp, per_comp = np.unique(pairs[:, 0], return_counts=True)
    multi = comp[per_comp >= 2]
    if len(multi) == 0:
        return no_bridges()
    pairs = pairs[np.isin(pairs[:, 0], multi)]
    # the smallest new doc_id of each such component names the link
    new_ids = doc_id.slice(0, n_new)
    order = pc.sort_indices(new_ids).to_numpy()
    first_label, first_at = np.unique(labels[:n_new][order], return_index=True)
    via_row = order[first_at[np.searchsorted(first_label, pairs[:, 0])]]
    return pa.table(
        {
            "cluster_id": encoded.dictionary.take(pa.array(pairs[:, 1])).cast(pa.string()),
            "via_doc_id": new_ids.take(pa.array(via_row)).cast(pa.string()),
        }
    )


def current_stories(links: pa.Table, ids: Iterable[str]) -> dict[str, str]:
    """The current story of each of `ids` that has been merged (absent: its own story).

    `links`: story_links rows (story_id, merged_into) that include every row of `ids` and every
    row of their targets. Of a story's rows, the current one points at a story with no row.
    """
    wanted = set(ids)
    sources = links.column("story_id").to_pylist()
    targets = links.column("merged_into").to_pylist()
    merged = set(sources)
    current: dict[str, str] = {}
    for story, target in zip(sources, targets, strict=True):
        if story in wanted and target not in merged:
            # one such row by construction; the minimum keeps a damaged table deterministic
            current[story] = min(target, current.get(story, target))
    return current


def merge_stories(
    bridges: Iterable[tuple[str, str]], founded: Mapping[str, datetime | None]
) -> dict[str, tuple[str, str]]:
    """Losing story -> (surviving story, via_doc_id), from (via_doc_id, current story) pairs.

    Stories named with one via_doc_id are linked; links are transitive. The survivor of each
    linked group is the story founded first (`founded`: its founding article's publication
    time; unknown sorts last), then the smallest id; the via of a group is its smallest.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_of_via: dict[str, str] = {}
    via_of: dict[str, str] = {}
    for via, story in bridges:
        find(story)
        via_of[story] = min(via, via_of.get(story, via))
        if via in first_of_via:
            parent[find(story)] = find(first_of_via[via])
        else:
            first_of_via[via] = story
    groups: dict[str, list[str]] = {}
    for story in parent:
        groups.setdefault(find(story), []).append(story)
    out: dict[str, tuple[str, str]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        survivor = min(members, key=lambda s: _founding_key(s, founded))
        via = min(via_of[s] for s in members)
        out.update({s: (survivor, via) for s in members if s != survivor})
    return out


def _founding_key(story: str, founded: Mapping[str, datetime | None]) -> tuple:
    when = founded.get(story)
    return (when is None, when.timestamp() if when is not None else 0.0, story)

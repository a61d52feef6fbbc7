"""A run's stories: link the earlier stories a new document joins, and stamp `story_id`.

The rules are in `transforms.dedup.stories`; this module reads what they need from OUTPUT with
filtered scans (the `story_links` rows of the stories involved, the founding articles'
`ingested_at`), never the whole history, and builds the run's `story_links` rows, which are
staged and published with the run's other files (atomically, once: a run that dies before it
publishes leaves no link, and its documents are processed again).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from transforms.core.schema import ARTICLES, PAGES, STORY_LINKS, STORY_LINKS_SCHEMA
from transforms.dedup.stories import FOLLOWED, LINK_REASONS, LINKED, current_stories, merge_stories
from transforms.run.output_store import Where
from transforms.run.published import published_rows


def _links(output: Where, column: str, values: Iterable[str]) -> pa.Table:
    """story_links rows (story_id, merged_into) whose `column` is among `values`."""
    return published_rows(output, STORY_LINKS, column, values, ["story_id", "merged_into"])


def published_stories(output: Where, ids: Iterable[str]) -> dict[str, str]:
    """The current story of each of `ids` that earlier runs merged into another (else absent)."""
    ids = set(ids)
    rows = _links(output, "story_id", ids)
    targets = set(rows.column("merged_into").to_pylist())
    rows = pa.concat_tables([rows, _links(output, "story_id", targets - ids)])
    return current_stories(rows, ids)


def founding_times(output: Where, stories: Iterable[str]) -> dict[str, datetime]:
    """When each story's founding article (doc_id == story_id) was published."""
    rows = pa.concat_tables(
        published_rows(output, table, "doc_id", stories, ["doc_id", "ingested_at"])
        for table in (ARTICLES, PAGES)
    )
    return dict(zip(rows["doc_id"].to_pylist(), rows["ingested_at"].to_pylist(), strict=True))


def link_stories(output: Where, bridges: pa.Table, run_id: str, ingested_at: datetime) -> pa.Table:
    """The run's story_links rows (STORY_LINKS_SCHEMA) for `bridges` (cluster_id, via_doc_id).

    A bridge's cluster is taken at its current story; stories already one story are not linked
    again. Every story merged into a losing story before follows it to the survivor.
    """
    if bridges.num_rows == 0:
        return STORY_LINKS_SCHEMA.empty_table()
    clusters = bridges.column("cluster_id").to_pylist()
    current = published_stories(output, clusters)
    pairs = {
        (via, current.get(c, c))
        for via, c in zip(bridges.column("via_doc_id").to_pylist(), clusters, strict=True)
    }
    roots = {story for _, story in pairs}
    losers = merge_stories(sorted(pairs), founding_times(output, roots))
    rows = [(s, to, via, LINKED) for s, (to, via) in losers.items()]
    followers = _links(output, "merged_into", losers)
    for story, old in zip(
        followers["story_id"].to_pylist(), followers["merged_into"].to_pylist(), strict=True
    ):
        to, via = losers[old]
        rows.append((story, to, via, FOLLOWED))
    rows = sorted(set(rows))
    return pa.table(
        {
            "story_id": [r[0] for r in rows],
            "merged_into": [r[1] for r in rows],
            "via_doc_id": [r[2] for r in rows],
            "reason": [r[3] for r in rows],
            "ingested_at": [ingested_at] * len(rows),
            "run_id": [run_id] * len(rows),
        },
        schema=STORY_LINKS_SCHEMA,
    )


def with_story_ids(duplicates: pa.Table, output: Where, links: pa.Table) -> pa.Table:
    """`duplicates` with `story_id` set to the current story of each row's `duplicate_of`,
    after this run's `links` (earlier runs' links read for the canonicals named)."""
    if duplicates.num_rows == 0:
        return duplicates
    targets = pc.unique(duplicates.column("duplicate_of").combine_chunks()).to_pylist()
    earlier = published_stories(output, targets)
    now = dict(zip(links["story_id"].to_pylist(), links["merged_into"].to_pylist(), strict=True))
    story = {t: now.get(earlier.get(t, t), earlier.get(t, t)) for t in targets}
    column = pa.array([story[t] for t in duplicates.column("duplicate_of").to_pylist()])
    position = duplicates.schema.get_field_index("story_id")
    return duplicates.set_column(position, duplicates.schema.field(position), column)


def story_counts(new_stories: int, links: pa.Table) -> dict[str, object]:
    """The manifest's `stories`: stories this run founded, stories it merged into another, and
    its story_links rows by reason."""
    reasons = Counter(links.column("reason").to_pylist())
    return {
        "new_stories": new_stories,
        "stories_merged": reasons[LINKED],
        "link_rows": {r: reasons[r] for r in LINK_REASONS},
    }

"""Corpus deduplication: candidates by a join on LSH band keys, verification, clusters, canonicals.

Signatures come from `transforms.dedup.minhash` (computed in the shard tasks, stored beside each staged
article). `find_duplicates` then works on columns only:

1. **Candidates**: a join on (band, key). The rows of the dedup index whose key is among the new
   rows' keys are read by a filtered, projected `pyarrow.dataset` scan (history is never loaded
   whole); then, band by band, the new rows' keys and those index rows are sorted together and
   rows sharing a key are candidate pairs (a sort-merge self-join in NumPy; one band at a time
   keeps memory at one band's worth). Equal `body_hash` (new rows, and index rows filtered on
   it) gives the exact pairs.
2. **Verification** (vectorised over pairs): estimated Jaccard J = share of equal signature
   slots; intersection = J (|A| + |B|) / (1 + J) from the shingle counts; containment of the
   smaller body in the larger C = intersection / |A| and the share of the larger it covers
   S = intersection / |B|. A pair is a near duplicate when J >= near_jaccard, or when
   C >= near_containment and S >= containment_min_share (`near_duplicate`): a copy-edited,
   truncated or trimmed copy lies mostly inside the original and is a large part of it (on word
   4-shingles a scattered word change costs only four shingles), while an article that quotes
   two paragraphs of another is mostly its own text (low C) and a two-paragraph excerpt covers
   too little of the original (low S).
3. **Clusters**: connected components of the verified pairs (union-find by label propagation
   with pointer jumping, in NumPy).
4. **Canonical** per cluster: the original where the evidence says so, by a stable rule. An
   article an earlier run published stays canonical (`kept_previously_published`: nothing
   published is rewritten); else the copy the others' canonical links point to
   (`kept_original_by_canonical_link`: its `url` is its own address, and another member took
   the same `url` from its canonical link, `url_canonical` among its changes); then the
   earliest `published_at`, nulls last (`kept_earlier_published`: syndicated copies run after
   the original); then the longest body (`kept_longer_body`); the smallest doc_id last
   (`kept_smaller_doc_id`). The rule string on each duplicate row names the first criterion
   that separates the canonical from that duplicate. A page whose own address is unknown (a
   file saved without its URL) gives no link evidence: its `url` may be its canonical link.

The index keeps every article a run deduplicated, canonical or not, with its cluster's canonical
id: a later document that matches an earlier *duplicate* joins that cluster, so day 1 then day 2
gives the clusters of one run over both days. Two clusters that earlier runs published separately
stay two published clusters when a new document matches both (the document joins one by the
rule; nothing published is written again), and `bridges` names them, so that the run links their
stories (`transforms.dedup.stories`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.core.config import DedupSettings
from transforms.core.schema import DEDUP_INDEX_SCHEMA, UTC_TS
from transforms.dedup.index_scan import IndexScan
from transforms.dedup.minhash import dedup_columns, matrix, signature_params
from transforms.dedup.stories import no_bridges, story_bridges

__all__ = ["DedupResult", "dedup_columns", "find_duplicates", "near_duplicate"]

DUPLICATE_COLUMNS = ["doc_id", "duplicate_of", "kind", "similarity", "rule"]
_BUCKET_ALL_PAIRS = 32  # keys shared by more rows pair each with the first and the next only
_PAIR_CHUNK = 65536  # pairs verified at a time (signature gathers: 64k x 128 x 4 B x 2)
_NO_DATE = np.iinfo(np.int64).max  # null published_at sorts last


@dataclass
class DedupResult:
    """Outcome of `find_duplicates`, aligned with the `new` table it was given."""

    duplicates: pa.Table  # doc_id, duplicate_of, kind (exact|near), similarity, rule
    keep: np.ndarray  # bool per new row: the row is its cluster's canonical
    cluster_id: pa.Array  # per new row: doc_id of its cluster's canonical
    new: pa.Table  # the input rows (signature columns included), for index_rows
    params: str
    # (cluster_id, via_doc_id): earlier clusters that one new cluster reaches (stories to link)
    bridges: pa.Table = field(default_factory=no_bridges)

    @property
    def canonical_ids(self) -> pa.Array:
        """doc_ids of the new rows kept as canonical."""
        return self.new.column("doc_id").filter(pa.array(self.keep)).combine_chunks()

    def index_rows(self, published: pa.Table | pa.Array | None = None) -> pa.Table:
        """Rows to append to the dedup index (DEDUP_INDEX_SCHEMA), one per (article, band).

        `published`: the canonical rows (or their doc_ids) that were actually published; new
        rows whose cluster's canonical is among them or was published earlier are indexed, the
        duplicates included. None indexes every new row.
        """
        rows = self.new
        cluster = self.cluster_id
        if published is not None:
            ids = published.column("doc_id") if isinstance(published, pa.Table) else published
            earlier = ~pc.is_in(cluster, rows.column("doc_id")).to_numpy(zero_copy_only=False)
            ok = pc.is_in(cluster, ids).to_numpy(zero_copy_only=False) | earlier
            rows, cluster = rows.filter(pa.array(ok)), cluster.filter(pa.array(ok))
        return _explode_index(rows, cluster, self.params)


def find_duplicates(
    new: pa.Table, index: IndexScan | ds.Dataset | str | None, settings: DedupSettings
) -> DedupResult:
    """Exact and near duplicates among `new` rows and against the dedup index `index`.

    `new` needs doc_id, body_hash, minhash, band_keys, word_count, published_at and (else
    word_count stands in) shingle_count; with `url` and `url_from_link` (the url came from the
    page's canonical link, not its own address) the canonical-link evidence counts. `index` is the
    dedup index: the run's scan of it (`IndexScan`), a Parquet dataset in DEDUP_INDEX_SCHEMA
    (opened on any filesystem), a local folder of one, or None/missing for the first run.
    """
    params = signature_params(settings)
    nodes = _Nodes.from_new(new, settings)
    if isinstance(index, str) and any(Path(index).rglob("*.parquet")):
        index = ds.dataset(index, format="parquet", schema=DEDUP_INDEX_SCHEMA)
    if isinstance(index, ds.Dataset):  # one scan for this call's questions
        index = IndexScan.of(index, nodes.keys, None, nodes.body_hash, params)
    if isinstance(index, IndexScan):
        nodes.add_index(index, settings)
    exact_u, exact_v = _exact_pairs(nodes)
    near_u, near_v = _key_pairs(nodes)
    u = np.concatenate([exact_u, near_u])
    v = np.concatenate([exact_v, near_v])
    u, v = _unique_pairs(u, v, nodes)
    ok = _verify(nodes, u, v, settings)
    labels = components(nodes.count, u[ok], v[ok])
    best = _canonical(nodes, labels)
    result = _result(nodes, labels, best, new, params, settings)
    result.bridges = story_bridges(labels, nodes.n_new, nodes.cluster, nodes.doc_id)
    return result


@dataclass
class _Nodes:
    """Columns of the graph's nodes: new rows 0..n-1, then the matched index articles."""

    n_new: int
    doc_id: pa.Array
    cluster: pa.Array  # canonical doc_id (index nodes) or own doc_id (new nodes)
    body_hash: pa.Array
    sig: np.ndarray  # (count, num_perm) uint32
    keys: np.ndarray  # (n_new, bands) int64; index nodes come in as idx_key/idx_node
    size: np.ndarray  # shingle counts, float64
    words: np.ndarray
    published: np.ndarray  # int64 microseconds, _NO_DATE for null
    url: pa.Array  # the row's url (null for index nodes: they keep their place by rule 1)
    url_from_link: np.ndarray  # bool: the url is a canonical link, not the page's own address
    idx_band: np.ndarray  # (band, key, node) of the index rows whose key a new row has
    idx_key: np.ndarray
    idx_node: np.ndarray

    @property
    def count(self) -> int:
        return len(self.size)

    @classmethod
    def from_new(cls, new: pa.Table, settings: DedupSettings) -> _Nodes:
        n = new.num_rows
        size_col = "shingle_count" if "shingle_count" in new.column_names else "word_count"
        return cls(
            n_new=n,
            doc_id=_array(new.column("doc_id"), pa.string()),
            cluster=_array(new.column("doc_id"), pa.string()),
            body_hash=_array(new.column("body_hash"), pa.string()),
            sig=matrix(new.column("minhash"), settings.num_perm, np.uint32),
            keys=matrix(new.column("band_keys"), settings.bands, np.int64),
            size=_numbers(new.column(size_col)),
            words=_numbers(new.column("word_count")),
            published=_times(new.column("published_at")),
            url=_array(new.column("url"), pa.string())
            if "url" in new.column_names
            else pa.nulls(n, pa.string()),
            url_from_link=_flags(new, "url_from_link"),
            idx_band=np.zeros(0, np.int16),
            idx_key=np.zeros(0, np.int64),
            idx_node=np.zeros(0, np.int64),
        )

    def add_index(self, index: IndexScan, settings: DedupSettings) -> None:
        """Append the index articles that share a band key or a body hash with a new row
        (from the run's one scan of the index, `transforms.dedup.index_scan`)."""
        hits = index.with_keys(self.keys.reshape(-1))
        same = index.with_bodies(self.body_hash)
        found = [*hits.column("doc_id").chunks, *same["doc_id"].chunks]
        ids = pc.unique(pa.chunked_array(found, pa.string()))
        if len(ids) == 0:
            return
        docs = index.documents(ids).sort_by("doc_id")  # stable node order whatever the file order
        node_of_hit = pc.index_in(hits.column("doc_id"), docs.column("doc_id"))
        self.idx_band = hits.column("band").to_numpy()
        self.idx_key = hits.column("key").to_numpy()
        self.idx_node = self.n_new + node_of_hit.to_numpy(zero_copy_only=False).astype(np.int64)
        self.doc_id = pa.concat_arrays([self.doc_id, _array(docs["doc_id"], pa.string())])
        self.cluster = pa.concat_arrays([self.cluster, _array(docs["cluster_id"], pa.string())])
        self.body_hash = pa.concat_arrays([self.body_hash, _array(docs["body_hash"], pa.string())])
        self.sig = np.concatenate([self.sig, matrix(docs["minhash"], settings.num_perm, np.uint32)])
        self.size = np.concatenate([self.size, _numbers(docs["shingle_count"])])
        self.words = np.concatenate([self.words, _numbers(docs["word_count"])])
        self.published = np.concatenate([self.published, _times(docs["published_at"])])
        self.url = pa.concat_arrays([self.url, pa.nulls(docs.num_rows, pa.string())])
        self.url_from_link = np.concatenate([self.url_from_link, np.zeros(docs.num_rows, bool)])


def _flags(table: pa.Table, name: str) -> np.ndarray:
    if name not in table.column_names:
        return np.zeros(table.num_rows, bool)
    return pc.fill_null(table.column(name), False).to_numpy(zero_copy_only=False).astype(bool)


def _pointed_to(nodes: _Nodes, labels: np.ndarray) -> np.ndarray:
    """Per node: its url is its own address and another member of its cluster took that url
    from its canonical link (the copies point at it)."""
    pointed = np.zeros(nodes.count, bool)
    if not nodes.url_from_link.any():
        return pointed
    url = nodes.url.to_pylist()
    linked = {(labels[i], u) for i, u in enumerate(url) if u and nodes.url_from_link[i]}
    if not linked:
        return pointed
    for i, u in enumerate(url):
        pointed[i] = bool(u) and not nodes.url_from_link[i] and (labels[i], u) in linked
    return pointed


def _array(column: pa.ChunkedArray | pa.Array, type_: pa.DataType) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = pa.concat_arrays(column.chunks) if column.num_chunks else pa.array([], type_)
    return column.cast(type_)


def _numbers(column: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(column, 0).to_numpy().astype(np.float64)


def _times(column: pa.ChunkedArray) -> np.ndarray:
    micros = pc.cast(column.cast(UTC_TS), pa.int64())
    return pc.fill_null(micros, _NO_DATE).to_numpy().astype(np.int64)


def _exact_pairs(nodes: _Nodes) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of nodes with the same body hash (each paired with the group's first)."""
    codes = pc.dictionary_encode(nodes.body_hash).indices.to_numpy(zero_copy_only=False)
    return bucket_pairs(codes.astype(np.int64), np.arange(nodes.count), max_all_pairs=1)


def _key_pairs(nodes: _Nodes) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of nodes sharing a band key, joined band by band (memory stays that of one band).

    Rows without shingles take no part.
    """
    rows = np.flatnonzero(nodes.size[: nodes.n_new] > 0)
    codes: list[np.ndarray] = []
    for band in range(nodes.keys.shape[1]):
        hit = nodes.idx_band == band
        keys = np.concatenate([nodes.keys[rows, band], nodes.idx_key[hit]])
        items = np.concatenate([rows, nodes.idx_node[hit]])
        u, v = bucket_pairs(keys, items, max_all_pairs=_BUCKET_ALL_PAIRS)
        codes.append(_pair_codes(u, v, nodes))
        if len(codes) >= 8:  # the same pair comes from many bands: fold them as we go
            codes = [np.unique(np.concatenate(codes))]
    code = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
    return code // nodes.count, code % nodes.count


def bucket_pairs(
    keys: np.ndarray, items: np.ndarray, max_all_pairs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of items that share a key: a sort-merge self-join, vectorised.

    A key shared by at most `max_all_pairs` items yields every pair; a larger bucket (a hot key:
    boilerplate-only bodies, a story syndicated a hundred times) yields each item paired with the
    bucket's first and with its successor, which connects the same component in linear time.
    """
    order = np.lexsort((items, keys))
    k, it = keys[order], items[order]
    same_next = k[1:] == k[:-1]
    shared = np.zeros(len(k), dtype=bool)
    shared[1:] |= same_next
    shared[:-1] |= same_next
    k, it = k[shared], it[shared]
    if len(k) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    new_run = np.r_[True, k[1:] != k[:-1]]
    run = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    sizes = np.diff(np.r_[starts, len(k)])
    big = sizes[run] > max_all_pairs
    us, vs = [], []
    pos = np.flatnonzero(~big)
    d = 1
    while len(pos):  # all pairs at distance d inside small runs; stops when none is left
        j = pos + d
        inside = j < len(k)
        pos, j = pos[inside], j[inside]
        same = run[pos] == run[j]
        pos, j = pos[same], j[same]
        us.append(it[pos])
        vs.append(it[j])
        d += 1
    pos = np.flatnonzero(big)
    first = starts[run[pos]]
    rest = pos != first
    us.append(it[first[rest]])
    vs.append(it[pos[rest]])
    chain = (run[pos[:-1]] == run[pos[1:]]) & (pos[1:] == pos[:-1] + 1)
    us.append(it[pos[:-1][chain]])
    vs.append(it[pos[1:][chain]])
    u, v = np.concatenate(us), np.concatenate(vs)
    return u.astype(np.int64), v.astype(np.int64)


def _pair_codes(u: np.ndarray, v: np.ndarray, nodes: _Nodes) -> np.ndarray:
    """Pairs as one int64 code lo * count + hi (lo < hi), with at least one new row."""
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = (lo != hi) & (lo < nodes.n_new)  # pairs of index articles are settled already
    return lo[keep] * nodes.count + hi[keep]


def _unique_pairs(u: np.ndarray, v: np.ndarray, nodes: _Nodes) -> tuple[np.ndarray, np.ndarray]:
    """Ordered (u < v), distinct pairs with at least one new row."""
    code = np.unique(_pair_codes(u, v, nodes))
    return code // nodes.count, code % nodes.count


def pair_scores(nodes_sig: np.ndarray, size: np.ndarray, u: np.ndarray, v: np.ndarray):
    """Estimated Jaccard, containment of the smaller in the larger, and share of the larger."""
    jac = np.empty(len(u))
    for lo in range(0, len(u), _PAIR_CHUNK):
        a, b = u[lo : lo + _PAIR_CHUNK], v[lo : lo + _PAIR_CHUNK]
        jac[lo : lo + _PAIR_CHUNK] = np.count_nonzero(nodes_sig[a] == nodes_sig[b], axis=1)
    jac /= nodes_sig.shape[1]
    small = np.maximum(np.minimum(size[u], size[v]), 1.0)
    large = np.maximum(np.maximum(size[u], size[v]), 1.0)
    inter = jac * (size[u] + size[v]) / (1.0 + jac)
    return jac, np.minimum(inter / small, 1.0), np.minimum(inter / large, 1.0)


def _verify(nodes: _Nodes, u: np.ndarray, v: np.ndarray, settings: DedupSettings) -> np.ndarray:
    jac, contain, share = pair_scores(nodes.sig, nodes.size, u, v)
    exact = pc.equal(nodes.body_hash.take(u), nodes.body_hash.take(v)).to_numpy(
        zero_copy_only=False
    )
    return exact | near_duplicate(jac, contain, share, settings)


def near_duplicate(
    jac: np.ndarray, contain: np.ndarray, share: np.ndarray, settings: DedupSettings
) -> np.ndarray:
    """The verification rule on a pair's estimated scores (see the module docstring).

    On 4-shingles a copy editor's scattered word changes cost a copy only about four shingles
    each, so a copy-edited, retitled, truncated or trimmed copy keeps most of its shingles inside
    the original (containment); a story quoting two paragraphs of another, or under the same
    chrome, or another story on the same event, either has little of itself inside the other
    or covers little of it (share).
    """
    return (jac >= settings.near_jaccard) | (
        (contain >= settings.near_containment) & (share >= settings.containment_min_share)
    )


def components(count: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Component label (its smallest node) of each node, from edges (u, v): vectorised union-find.

    Each round hooks every edge's larger root under the smaller, then compresses paths by pointer
    jumping; rounds repeat until every edge has both ends under one root.
    """
    labels = np.arange(count, dtype=np.int64)
    while len(u):
        lu, lv = labels[u], labels[v]
        differ = lu != lv
        if not differ.any():
            break
        lo = np.minimum(lu[differ], lv[differ])
        np.minimum.at(labels, lu[differ], lo)
        np.minimum.at(labels, lv[differ], lo)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
    return labels


def _canonical(nodes: _Nodes, labels: np.ndarray) -> np.ndarray:
    """The canonical node of each component (indexed by label), by the documented rule."""
    rank = pc.rank(nodes.doc_id, sort_keys="ascending", tiebreaker="dense").to_numpy()
    if nodes.count == 0:
        return np.zeros(0, dtype=np.int64)
    earlier = np.arange(nodes.count) >= nodes.n_new
    pointed = _pointed_to(nodes, labels)
    order = np.lexsort((rank, -nodes.words, nodes.published, ~pointed, ~earlier, labels))
    first = np.r_[True, labels[order][1:] != labels[order][:-1]]
    best = np.empty(nodes.count, dtype=np.int64)
    best[labels[order][first]] = order[first]
    return best


def _result(
    nodes: _Nodes,
    labels: np.ndarray,
    best: np.ndarray,
    new: pa.Table,
    params: str,
    settings: DedupSettings,
) -> DedupResult:
    n = nodes.n_new
    rows = np.arange(n)
    canon = best[labels[:n]]
    keep = canon == rows
    cluster = nodes.cluster.take(pa.array(canon))
    dup = np.flatnonzero(~keep)
    c = canon[dup]
    jac, contain, share = pair_scores(nodes.sig, nodes.size, dup, c)
    similarity = np.maximum(jac, np.where(share >= settings.containment_min_share, contain, 0.0))
    exact = pc.equal(nodes.body_hash.take(dup), nodes.body_hash.take(c)).to_numpy(
        zero_copy_only=False
    )
    similarity[exact] = 1.0
    pointed = _pointed_to(nodes, labels)
    rule = np.select(
        [
            c >= n,
            pointed[c] & ~pointed[dup],
            nodes.published[c] < nodes.published[dup],
            nodes.words[c] > nodes.words[dup],
        ],
        [
            "kept_previously_published",
            "kept_original_by_canonical_link",
            "kept_earlier_published",
            "kept_longer_body",
        ],
        "kept_smaller_doc_id",
    )
    duplicates = pa.table(
        {
            "doc_id": nodes.doc_id.take(pa.array(dup, pa.int64())),
            "duplicate_of": cluster.take(pa.array(dup, pa.int64())),
            "kind": pa.array(np.where(exact, "exact", "near"), pa.string()),
            "similarity": pa.array(similarity, pa.float64()),
            "rule": pa.array(rule, pa.string()),
        }
    )
    return DedupResult(duplicates, keep, cluster, new, params)


def _explode_index(rows: pa.Table, cluster: pa.Array, params: str) -> pa.Table:
    """One index row per (article, band); the document columns on the band-0 row only."""
    n = rows.num_rows
    if n == 0:
        return DEDUP_INDEX_SCHEMA.empty_table()
    keys = _array(rows.column("band_keys"), pa.list_(pa.int64())).flatten().to_numpy()
    bands = len(keys) // n
    keys = keys.reshape(n, bands)
    doc_id = _array(rows.column("doc_id"), pa.string())
    size_col = "shingle_count" if "shingle_count" in rows.column_names else "word_count"
    head = pa.table(
        {
            "doc_id": doc_id,
            "band": pa.array(np.zeros(n, np.int16)),
            "key": pa.array(keys[:, 0]),
            "cluster_id": _array(cluster, pa.string()),
            "content_hash": (
                _array(rows.column("content_hash"), pa.string())
                if "content_hash" in rows.column_names
                else pa.nulls(n, pa.string())
            ),
            "body_hash": _array(rows.column("body_hash"), pa.string()),
            "minhash": _array(rows.column("minhash"), pa.list_(pa.uint32())),
            "shingle_count": _array(rows.column(size_col), pa.int32()),
            "word_count": _array(rows.column("word_count"), pa.int32()),
            "published_at": _array(rows.column("published_at"), UTC_TS),
            "params": pa.array([params] * n, pa.string()),
        }
    ).cast(DEDUP_INDEX_SCHEMA)
    m = n * (bands - 1)
    tail = {
        "doc_id": doc_id.take(pa.array(np.repeat(np.arange(n), bands - 1))),
        "band": pa.array(np.tile(np.arange(1, bands, dtype=np.int16), n)),
        "key": pa.array(keys[:, 1:].reshape(-1)),
    }
    for column in DEDUP_INDEX_SCHEMA:
        if column.name not in tail:
            tail[column.name] = pa.nulls(m, column.type)
    return pa.concat_tables([head, pa.table(tail, schema=DEDUP_INDEX_SCHEMA)])

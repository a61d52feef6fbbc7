"""MinHash signatures, LSH band keys and normalised-body hashes, computed a batch at a time.

Everything here is vectorised over a batch of bodies; Python touches one body hash per document:

1. tokens: the body lower-cased and split on anything that is not a letter or a digit (Arrow
   compute, RE2: letters, digits and combining marks make words), so casing, whitespace and punctuation do not change the hash or the shingles;
2. each token -> a 64-bit hash of its UTF-8 bytes, vectorised over the batch's bytes; each
   document's token hashes -> its `body_hash` (xxh3-128 of the token-hash sequence: equal word
   sequences, equal hash);
3. word k-shingles: the k token hashes of each window combined and mixed (splitmix64), in k
   vectorised passes over the whole batch; the top 32 bits are the shingle value x;
4. MinHash: `num_perm` universal hash functions h_i(x) = (a_i * x + b_i) mod 2^64 >> 32 with
   random 64-bit a_i (odd), b_i: Dietzfelbinger's multiply-add-shift family, which is universal
   like a*x+b mod p but needs no division (a prime modulus is several times slower in NumPy). They
   are applied as a (perms x shingles) matrix op in blocks of 16 permutations so the block stays
   in cache, and `np.minimum.reduceat` takes each document's minimum;
5. band keys: each band's `rows` values mixed with the band number into one signed 64-bit key,
   so equal keys in different bands never collide.

The permutations depend only on `dedup.seed` and `num_perm`: a signature computed today equals
one computed next month, which is what lets the dedup index be joined across runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from transforms.core.config import DedupSettings
from transforms.core.schema import DEDUP_COLUMNS_SCHEMA

# anything but letters, digits, combining marks and the plain space becomes a space (few
# matches: punctuation, newlines), then a literal split on " ": faster than
# splitting on the regex or on Unicode whitespace; the empty strings of double spaces are dropped
NON_WORD = r"[^\pL\pN\pM ]+"
EMPTY_SLOT = np.uint32(0xFFFFFFFF)  # signature value of a body without shingles
_BATCH_DOCS = 1024  # documents tokenised together (Arrow calls amortised over the batch)
_BLOCK_SHINGLES = 1 << 14  # shingles per MinHash block: 16 perms x 16k x 8 B = 2 MB (cache)
_PERM_BLOCK = 16
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BYTE_WEIGHTS = np.random.Generator(np.random.PCG64(20240601)).integers(
    0, 2**64 - 1, size=64, dtype=np.uint64, endpoint=True
)  # fixed forever: token hashes, hence body hashes and signatures, depend on them
# (byte + 1) * R[position] for every position mod 64 and byte value, at [position << 8 | byte]:
# one gather (a 128 KB table) in place of three passes over the batch's bytes
_BYTE_TERMS = (
    _BYTE_WEIGHTS[:, None] * (np.arange(256, dtype=np.uint64) + np.uint64(1))[None, :]
).ravel()


def mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on a uint64 array (returns a new array): a fast 64-bit bijection."""
    z = z ^ (z >> np.uint64(30))
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


def signature_params(settings: DedupSettings) -> str:
    """The parameters a signature depends on; signatures with other parameters do not compare."""
    return (
        f"k={settings.shingle_size};perm={settings.num_perm};bands={settings.bands};"
        f"rows={settings.rows};seed={settings.seed}"
    )


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) coefficients of the hash family, shaped (num_perm, 1) for broadcasting."""
    rng = np.random.Generator(np.random.PCG64(seed))
    a = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64, endpoint=True)
    return a[:, None], b[:, None]


def tokenize(bodies: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of a batch, flattened, and the offsets of each document (len n + 1)."""
    n = len(bodies)
    text = pc.utf8_lower(pa.array(bodies, pa.large_string()))
    lists = pc.split_pattern(pc.replace_substring_regex(text, NON_WORD, " "), " ")
    flat = lists.flatten()
    parents = pc.list_parent_indices(lists)
    nonempty = pc.greater(pc.binary_length(flat), 0)  # double and leading spaces leave ""
    flat, parents = flat.filter(nonempty), parents.filter(nonempty)
    token_hash = _hash_strings(flat)
    counts = np.bincount(parents.to_numpy(zero_copy_only=False), minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return token_hash, offsets


def _hash_strings(strings: pa.Array) -> np.ndarray:
    """64-bit hash of each non-empty string, vectorised over its UTF-8 bytes.

    h = mix64(len * golden ^ sum_j (byte_j + 1) * R[j mod 64]) with fixed random 64-bit R: one
    NumPy pass over the batch's bytes instead of a hash table of its distinct words (faster than
    dictionary_encode + xxhash per distinct word: `make bench-dedup`).
    """
    if len(strings) == 0:
        return np.zeros(0, np.uint64)
    strings = strings.cast(pa.large_string())
    buffers = strings.buffers()
    offsets = np.frombuffer(buffers[1], np.int64)[
        strings.offset : strings.offset + len(strings) + 1
    ]
    data = np.frombuffer(buffers[2], np.uint8)[offsets[0] : offsets[-1]]
    starts = offsets[:-1] - offsets[0]
    lengths = np.diff(offsets)
    # each byte's position in its string mod 64, in uint8: 64 divides 256, so the wrap-around
    # of the subtraction leaves it exact
    position = np.resize(np.arange(64, dtype=np.uint8), len(data))
    position -= np.repeat((starts & 63).astype(np.uint8), lengths)
    position &= np.uint8(63)
    index = position.astype(np.intp) << 8
    index |= data
    sums = np.add.reduceat(_BYTE_TERMS[index], starts)
    return mix64(sums ^ (lengths.astype(np.uint64) * _GOLDEN))


def body_hashes(token_hash: np.ndarray, offsets: np.ndarray) -> list[str]:
    """xxh3-128 hex of each document's token-hash sequence: the exact-duplicate key."""
    return [
        xxhash.xxh3_128_hexdigest(token_hash[offsets[i] : offsets[i + 1]].tobytes())
        for i in range(len(offsets) - 1)
    ]


def shingles(token_hash: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of every word k-gram, flattened, and per-document offsets.

    A document shorter than k words has one shingle (all its words); an empty one has none.
    """
    counts = np.diff(offsets)
    per_doc = np.where(counts > 0, np.maximum(counts - k + 1, 1), 0)
    sh_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(per_doc, out=sh_offsets[1:])
    total = int(sh_offsets[-1])
    if total == 0:
        return np.zeros(0, np.uint64), sh_offsets
    # polynomial hash of each window over the whole flattened batch (k shifted slices, no
    # gather), then keep the windows that start inside a document and end before its end
    n_tok = len(token_hash)
    width = max(n_tok - k + 1, 0)
    acc = token_hash[:width].copy()
    for j in range(1, k):
        acc *= _M1
        acc += token_hash[j : j + width]
    valid = np.zeros(width, dtype=bool)
    long_docs = np.flatnonzero(counts >= k)
    if len(long_docs):
        # mark window starts offsets[d] .. offsets[d+1]-k of each long document
        edges = np.zeros(width + 1, dtype=np.int32)
        np.add.at(edges, offsets[long_docs], 1)
        np.add.at(edges, offsets[long_docs + 1] - k + 1, -1)
        valid = np.cumsum(edges[:-1]) > 0
    acc = acc[valid]
    short_docs = np.flatnonzero((counts > 0) & (counts < k))
    if len(short_docs):
        # documents shorter than k words: one shingle of all their words, inserted in order
        short = np.empty(len(short_docs), dtype=np.uint64)
        for i, d in enumerate(short_docs):
            h = 0
            for t in token_hash[offsets[d] : offsets[d + 1]].tolist():
                h = (h * int(_M1) + t) & 0xFFFFFFFFFFFFFFFF  # same polynomial, Python ints
            short[i] = h
        before = np.searchsorted(np.flatnonzero(valid), offsets[short_docs])
        acc = np.insert(acc, before, short)
    return mix64(acc) >> np.uint64(32), sh_offsets


def signatures(x: np.ndarray, sh_offsets: np.ndarray, settings: DedupSettings) -> np.ndarray:
    """MinHash signatures (n, num_perm) uint32 from shingle values and their offsets."""
    a, b = permutations(settings.num_perm, settings.seed)
    n = len(sh_offsets) - 1
    out = np.full((n, settings.num_perm), EMPTY_SLOT, dtype=np.uint32)
    has = np.flatnonzero(np.diff(sh_offsets) > 0)
    shift = np.uint64(32)
    # one (perms x shingles) buffer for every block: a fresh 2 MB array a block costs page
    # faults (a large part of this function's time: `make bench-dedup`)
    buffer = np.empty(_PERM_BLOCK * _BLOCK_SHINGLES, dtype=np.uint64)
    i = 0
    while i < len(has):  # documents in blocks of about _BLOCK_SHINGLES shingles
        lo = sh_offsets[has[i]]
        j = int(np.searchsorted(sh_offsets[has + 1], lo + _BLOCK_SHINGLES, side="right"))
        j = max(j, i + 1)
        docs = has[i:j]
        xs = x[lo : sh_offsets[docs[-1] + 1]]
        starts = sh_offsets[docs] - lo
        for p in range(0, settings.num_perm, _PERM_BLOCK):
            ap = a[p : p + _PERM_BLOCK]
            size = len(ap) * len(xs)  # beyond the buffer only for one document that long
            h = buffer[:size].reshape(len(ap), len(xs)) if size <= len(buffer) else None
            h = np.multiply(ap, xs, out=h)  # (perms, shingles), wraps mod 2^64
            h += b[p : p + _PERM_BLOCK]
            # the shift after the minimum: x >> 32 is monotone, so min(h >> 32) == min(h) >> 32
            low = np.minimum.reduceat(h, starts, axis=1)
            low >>= shift
            out[docs, p : p + _PERM_BLOCK] = low.T
        i = j
    return out


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) int64 LSH keys: each band's rows hashed together with the band number."""
    if bands * rows > sig.shape[1]:
        raise ValueError(f"bands*rows={bands * rows} > num_perm={sig.shape[1]}")
    n = sig.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    for band in range(bands):
        acc = np.full(n, mix64(np.array([band + 1], np.uint64))[0], dtype=np.uint64)
        for r in range(rows):
            acc = mix64(acc ^ sig[:, band * rows + r].astype(np.uint64))
        keys[:, band] = acc
    return keys.view(np.int64)


def dedup_columns(bodies: Sequence[str | None], settings: DedupSettings) -> pa.Table:
    """The dedup signature columns for `bodies` (one row each, same order): DEDUP_COLUMNS_SCHEMA.

    `body_hash` (exact key), `minhash` (list<uint32>[num_perm]), `band_keys`
    (list<int64>[bands]) and `shingle_count` (set size used by the containment estimate).
    """
    hashes: list[str] = []
    sigs: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for lo in range(0, len(bodies), _BATCH_DOCS):
        token_hash, offsets = tokenize(bodies[lo : lo + _BATCH_DOCS])
        hashes.extend(body_hashes(token_hash, offsets))
        x, sh_offsets = shingles(token_hash, offsets, settings.shingle_size)
        sigs.append(signatures(x, sh_offsets, settings))
        counts.append(np.diff(sh_offsets).astype(np.int32))
    sig = np.concatenate(sigs) if sigs else np.zeros((0, settings.num_perm), np.uint32)
    keys = band_keys(sig, settings.bands, settings.rows)
    n = sig.shape[0]
    return pa.table(
        [
            pa.array(hashes, pa.string()),
            _fixed_lists(sig.reshape(-1), n, settings.num_perm, pa.uint32()),
            _fixed_lists(keys.reshape(-1), n, settings.bands, pa.int64()),
            pa.array(np.concatenate(counts) if counts else np.zeros(0, np.int32)),
        ],
        schema=DEDUP_COLUMNS_SCHEMA,
    )


def _fixed_lists(values: np.ndarray, n: int, width: int, type_: pa.DataType) -> pa.ListArray:
    offsets = pa.array(np.arange(n + 1, dtype=np.int32) * width)
    return pa.ListArray.from_arrays(offsets, pa.array(values, type_))


def matrix(column: pa.ChunkedArray | pa.Array, width: int, dtype: type) -> np.ndarray:
    """A list column of equal-length lists as a (rows, width) NumPy matrix (no Python loop)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    if len(column) == 0:
        return np.zeros((0, width), dtype=dtype)
    if column.null_count:
        raise ValueError("signature column has nulls")
    values = column.flatten().to_numpy(zero_copy_only=False).astype(dtype, copy=False)
    if values.size != len(column) * width:
        raise ValueError(f"signature lists are not all of length {width}")
    return values.reshape(len(column), width)

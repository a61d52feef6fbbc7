"""Discovery and prefetched reading of INPUT in object storage: `transforms.read.files`'s
`discover` and `read_file` for a `StorageLocation`.

`discover_objects` lists the prefix (sizes and ETags from the listing): an object the ledger
knows by (path, size, ETag) is not read, nor is one at a path the ledger has never seen (it is
new whatever its bytes: its shard reads it once); only an object rewritten at a known path is
read and hashed here, several at once. `prefetched` reads a
shard's objects ahead of the cleaning, a few at a time within a byte budget: each object costs
a round trip or two (HEAD, GET) that a local file does not, and the cleaning of one document
(tens of milliseconds of CPU: docs/performance.md) hides the next reads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from transforms.core.config import ReadSettings
from transforms.core.record import Drop
from transforms.core.storage import StorageLocation
from transforms.read.bounded import Loaded
from transforms.read.files import InputFile, accepted, load_input
from transforms.read.objects import (
    NOT_HASHED,
    hash_objects,
    lasting,
    list_objects,
    object_state,
    still_unreadable,
    unreadable_drop,
)

# (path, size, ETag) of listed objects -> {path: hash the ledger recorded for them}
KnownObjectHashes = Callable[[list[tuple[str, int, str]]], dict[str, str]]
PREFETCH_THREADS = 4
PREFETCH_BYTES = 64 * 1024 * 1024  # listed bytes in flight at most (one object always)


@dataclass
class ObjectDiscovery:
    """What `discover_objects` found."""

    files: list[InputFile]  # input objects (file_hash NOT_HASHED for a new path)
    drops: list[tuple[str, Drop]]  # objects that could not be read at discovery
    ignored: list[str]  # not input files (suffix)
    states: dict[str, dict] = field(default_factory=dict)  # of the drops to remember, by path
    known_unreadable: list[str] = field(default_factory=list)  # remembered, unchanged: skipped


def discover_objects(
    root: StorageLocation,
    settings: ReadSettings | None = None,
    exclude: StorageLocation | None = None,
    known: KnownObjectHashes | None = None,
    seen: Callable[[list[str]], set[str]] | None = None,
    remembered: Mapping[str, dict] | None = None,
) -> ObjectDiscovery:
    """`discover` for INPUT in object storage; reads only what it must.

    The listing gives each object's size and ETag. With `known` (the ledger's recorded hashes,
    by path, size and ETag) an object whose size and ETag match keeps the recorded hash and is
    not read. An object `remembered` as unreadable (OUTPUT/unreadable) with its current ETag
    is skipped. An object at a path the ledger has never seen (`seen`: the paths with a ledger
    row) is pending whatever its bytes: it is not read here (NOT_HASHED; the shard's read
    gives its hash). Only an object whose path the ledger has under another size or ETag is
    read and hashed here, several at once, so that the same bytes uploaded again are skipped;
    without `seen` every unknown object is (as a local discovery hashes every new file).
    """
    settings = settings or ReadSettings()
    suffixes = tuple(s.lower() for s in settings.input_suffixes)
    listed, ignored = list_objects(root, lambda name: accepted(name, suffixes), exclude)
    stats = [(o.rel, o.size, o.etag) for o in listed if o.etag is not None]
    recorded = known(stats) if known and stats else {}
    remembered = remembered or {}
    out = ObjectDiscovery([], [], ignored)
    candidates = [o for o in listed if o.rel not in recorded]
    in_ledger = seen([o.rel for o in candidates]) if seen and candidates else None
    unknown = []
    for o in listed:
        if o.rel in recorded:
            out.files.append(InputFile(o.rel, o.size, recorded[o.rel], None, o.etag))
        elif still_unreadable(remembered.get(o.rel), o.etag):
            out.known_unreadable.append(o.rel)
        elif in_ledger is not None and o.rel not in in_ledger:
            out.files.append(InputFile(o.rel, o.size, NOT_HASHED, None, o.etag))
        else:
            unknown.append(o)
    for o, hashed in hash_objects(root, unknown):
        if isinstance(hashed, OSError):
            drop = unreadable_drop(hashed)
            out.drops.append((o.rel, drop))
            if lasting(hashed):
                out.states[o.rel] = object_state(o.etag, drop.reason)
        else:
            file_hash, size, etag = hashed
            out.files.append(InputFile(o.rel, size, file_hash, None, etag))
    out.files.sort(key=lambda f: f.path)
    out.drops.sort(key=lambda d: d[0])
    return out


def prefetched(
    root: StorageLocation,
    files: Sequence[InputFile],
    settings: ReadSettings,
    threads: int = PREFETCH_THREADS,
    budget: int = PREFETCH_BYTES,
) -> Iterator[tuple[InputFile, Loaded | Exception]]:
    """Each file with its bytes (`files.load_input`) or the exception that stopped the read
    (an OSError: the file is unreadable; any other: a reader error), in order; up to `threads` reads ahead, holding at most `budget` listed bytes (each counted up
    to `max_file_bytes`, what a read holds) besides the one being yielded."""

    def load(f: InputFile) -> Loaded | Exception:
        try:
            return load_input(root, f, settings)
        except Exception as exc:  # handed to the caller with its file
            return exc

    def held(f: InputFile) -> int:
        return min(f.size, settings.max_file_bytes)

    todo = deque(files)
    ahead: deque[tuple[InputFile, Future]] = deque()
    in_flight = 0
    with ThreadPoolExecutor(threads, thread_name_prefix="read-object") as pool:
        while todo or ahead:
            while (
                todo
                and len(ahead) < 2 * threads
                and (not ahead or in_flight + held(todo[0]) <= budget)
            ):
                f = todo.popleft()
                ahead.append((f, pool.submit(load, f)))
                in_flight += held(f)
            f, future = ahead.popleft()
            in_flight -= held(f)
            yield f, future.result()

"""Discovery and prefetched reading of INPUT in object storage: `transforms.read.files`'s
`discover` and `read_file` for a `StorageLocation`.

`discover_objects` lists the prefix (sizes and ETags from the listing) and reads only the
objects the ledger does not know by (path, size, ETag), several at once. `prefetched` reads a
shard's objects ahead of the cleaning, a few at a time within a byte budget: each object costs
a round trip or two (HEAD, GET) that a local file does not, and the cleaning of one document
(~40 ms of CPU) hides the next reads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from transforms.core.config import ReadSettings
from transforms.core.record import Drop
from transforms.core.storage import StorageLocation
from transforms.read.bounded import Loaded
from transforms.read.files import InputFile, accepted, load_input
from transforms.read.objects import hash_objects, list_objects, object_state, unreadable_drop

# (path, size, ETag) of listed objects -> {path: hash the ledger recorded for them}
KnownObjectHashes = Callable[[list[tuple[str, int, str]]], dict[str, str]]
PREFETCH_THREADS = 4
PREFETCH_BYTES = 64 * 1024 * 1024  # listed bytes in flight at most (one object always)


def discover_objects(
    root: StorageLocation,
    settings: ReadSettings | None = None,
    exclude: StorageLocation | None = None,
    known: KnownObjectHashes | None = None,
) -> tuple[list[InputFile], list[tuple[str, Drop]], list[str], dict[str, dict]]:
    """`discover` for INPUT in object storage: (input files, drops, ignored paths, the state of
    each dropped object for `transforms.run.unreadable`).

    The listing gives each object's size and ETag; with `known` (the ledger's recorded hashes,
    by path, size and ETag) an object whose size and ETag match what was recorded keeps the
    recorded hash and is not read; every other object is read and hashed, several at once
    (`objects.hash_objects`). An object that cannot be read is a Drop (unreadable_file).
    """
    settings = settings or ReadSettings()
    suffixes = tuple(s.lower() for s in settings.input_suffixes)
    listed, ignored = list_objects(root, lambda name: accepted(name, suffixes), exclude)
    stats = [(o.rel, o.size, o.etag) for o in listed if o.etag is not None]
    recorded = known(stats) if known and stats else {}
    files: list[InputFile] = []
    drops: list[tuple[str, Drop]] = []
    states: dict[str, dict] = {}
    unknown = []
    for o in listed:
        if o.rel in recorded:
            files.append(InputFile(o.rel, o.size, recorded[o.rel], None, o.etag))
        else:
            unknown.append(o)
    for o, hashed in hash_objects(root, unknown):
        if isinstance(hashed, OSError):
            drop = unreadable_drop(hashed)
            drops.append((o.rel, drop))
            states[o.rel] = object_state(o, drop.reason)
        else:
            file_hash, size, etag = hashed
            files.append(InputFile(o.rel, size, file_hash, None, etag))
    files.sort(key=lambda f: f.path)
    drops.sort(key=lambda d: d[0])
    return files, drops, ignored, states


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

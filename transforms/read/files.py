"""Find input files and read them into `Article`s: one (Article, Drop | None) per input document.

INPUT is a local folder (walked here with `os.scandir`, read with `open`) or an object-store
prefix (`transforms.read.object_inputs` lists it; `read_file` reads an object through
`transforms.read.objects` with the same bounds and readers).

Formats, by file suffix (case-insensitive; each may also be gzipped, `.gz`, and gzip data is
recognised by its magic bytes whatever the name):

- `.html`, `.htm`: one document, content_kind "html".
- `.txt`: one document, content_kind "text" (an HTML file saved as .txt, starting with
  `<!doctype html` or `<html`, is read as html).
- `.jsonl`: one document per non-blank line; see `transforms.read.jsonl` for the accepted
  field names. `source_record` is the 1-based line number.
- `.warc`, `.warc.gz`: one document per response (or resource) record with an HTML or plain-text
  payload; see `transforms.read.warc`. `source_record` is the 0-based index among those
  records.

Every input document yields exactly one tuple, failed ones included (with a best-guess Article
and the Drop), so that accounting holds. Limits from the `read` section of the config: a file above
`max_file_bytes` or decompressing past `max_decompressed_bytes` is rejected (an html/text file
entirely; a JSONL/WARC file keeps the complete records before the limit and yields one Drop for
the rest), and decompression is streamed so a gzip bomb never takes more than the bound in
memory. A truncated gzip is treated the same way (reason `truncated_gzip`).

Read-stage drop reasons: unreadable_file, file_too_large, decompressed_too_large,
truncated_gzip, corrupt_gzip, empty_file, binary_content, and the per-record reasons of the JSONL
and WARC readers. Discover-stage reasons: symlink_loop, symlink_outside_input, symlink_broken,
unreadable_file, unreadable_directory, not_regular_file, undecodable_file_name.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import xxhash

from transforms.core.config import ReadSettings
from transforms.core.ids import record_key
from transforms.core.record import Article, ContentKind, Drop, Markup, SourceFormat
from transforms.core.storage import StorageLocation
from transforms.read.bounded import Loaded, load_bytes, load_too_large, trusted_mtime
from transforms.read.jsonl import read_jsonl
from transforms.read.objects import NOT_HASHED, load_object, load_object_too_large
from transforms.read.warc import read_warc
from transforms.text.decode import looks_binary

FORMAT_BY_SUFFIX: dict[str, SourceFormat] = {
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".jsonl": "jsonl",
    ".warc": "warc",
}
_KIND_GUESS: dict[SourceFormat, ContentKind] = {
    "html": "html",
    "text": "text",
    "jsonl": "text",
    "warc": "html",
}
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file found by `discover`: path relative to the root (POSIX), size, hash, mtime."""

    path: str
    size: int
    # transforms.core.ids.file_hash of the bytes on disk (streamed: same value): as `discover` listed
    # them, or as a shard read them (`read_file`'s `read`, what the ledger records)
    file_hash: str
    # st_mtime_ns of the file as listed, or as a shard read it: None when it cannot vouch for
    # the bytes (the file changed while it was read, or it was modified too recently to tell a
    # later write in the same clock tick apart); the ledger records it beside the hash so that
    # a later discovery reuses the hash of a file whose size and mtime are unchanged
    mtime_ns: int | None = None
    # an object's ETag (INPUT in object storage) as listed, or as a shard read it; the ledger
    # keys objects by (path, size, ETag) as it keys files by (path, size, mtime_ns). None for
    # local files.
    etag: str | None = None


# (path, size, mtime_ns) of the files whose stat is known -> {path: hash recorded for them}
KnownHashes = Callable[[list[tuple[str, int, int]]], dict[str, str]]


def source_format(path: str) -> tuple[SourceFormat, bool] | None:
    """(format, gzipped) of a file name, or None when the suffix is not a known input."""
    name = path.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for suffix, fmt in FORMAT_BY_SUFFIX.items():
        if name.endswith(suffix):
            return fmt, gz
    return None


def accepted(name: str, suffixes: tuple[str, ...]) -> bool:
    lower = name.lower().removesuffix(".gz")
    return any(lower.endswith(s) for s in suffixes)


def discover(
    root: str | Path,
    settings: ReadSettings | None = None,
    exclude: str | Path | None = None,
    known: KnownHashes | None = None,
    seen: Callable[[list[str]], set[str]] | None = None,
) -> tuple[list[InputFile], list[tuple[str, Drop]], list[str]]:
    """Walk `root` recursively; return (input files, drops by relative path, ignored paths).

    `exclude` is a folder the walk does not enter (the run's OUTPUT when it lies inside `root`:
    a run must never read its own output); it is in none of the three lists.

    Every input file is stat'ed; with `known` (the ledger's recorded hashes, by path, size and
    mtime), a file whose size and mtime_ns match what was recorded keeps the recorded hash and
    is not read; with `seen` (the paths the ledger has any row for), a readable file at a path
    the ledger never saw is pending whatever its bytes and is not read either (hash NOT_HASHED:
    its shard's read gives it, from the bytes it cleans, so a new file is opened once a run);
    every other file is read and hashed (a file rewritten at a known path: the same bytes
    again are skipped).

    Symlinks are never followed: a link to a file or directory inside the root is an alias of
    something the walk reaches anyway (so each file is read once, under its real path) and is
    listed as ignored; a link that loops or leaves the root is a Drop. Ignored paths also cover
    files whose suffix is not an input suffix. Each list is sorted by path. Raises
    NotADirectoryError when `root` is not a directory.
    """
    settings = settings or ReadSettings()
    suffixes = tuple(s.lower() for s in settings.input_suffixes)
    unknown = [s for s in suffixes if s not in FORMAT_BY_SUFFIX]
    if unknown:
        raise ValueError(f"no reader for input suffixes {unknown}; known: {list(FORMAT_BY_SUFFIX)}")
    real_root = os.path.realpath(root)
    if not os.path.isdir(real_root):  # a wrong INPUT is a usage error, not a data problem
        raise NotADirectoryError(f"input folder not found: {root}")
    skip = os.path.realpath(exclude) if exclude is not None else None
    files: list[InputFile] = []
    drops: list[tuple[str, Drop]] = []
    ignored: list[str] = []
    found: list[tuple[str, str, int, int]] = []  # (relative path, path, size, mtime_ns)
    stack: list[tuple[str, str]] = [(real_root, "")]
    while stack:  # explicit stack: no recursion limit on deep trees
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            drops.append((prefix.rstrip("/") or ".", _discover_drop("unreadable_directory", exc)))
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
                drops.append((shown, Drop("discover", "undecodable_file_name", "not UTF-8")))
                continue
            if entry.is_symlink():
                _symlink(entry.path, rel, real_root, folder, suffixes, drops, ignored)
            elif entry.is_dir(follow_symlinks=False):
                if entry.path != skip:  # the walk descends real folders: paths are real
                    stack.append((entry.path, rel + "/"))
            elif not accepted(entry.name, suffixes):
                ignored.append(rel)
            elif not entry.is_file(follow_symlinks=False):
                drops.append((rel, Drop("discover", "not_regular_file", "fifo, socket or device")))
            else:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    drops.append((rel, _discover_drop("unreadable_file", exc)))
                    continue
                found.append((rel, entry.path, st.st_size, st.st_mtime_ns))
    recorded = known([(rel, size, mtime) for rel, _, size, mtime in found]) if known else {}
    unknown = [rel for rel, *_ in found if rel not in recorded]
    in_ledger = seen(unknown) if seen and unknown else None
    for rel, path, size, mtime in found:
        if rel in recorded:
            files.append(InputFile(rel, size, recorded[rel], mtime))
            continue
        if in_ledger is not None and rel not in in_ledger and os.access(path, os.R_OK):
            files.append(InputFile(rel, size, NOT_HASHED, mtime))
            continue
        try:
            files.append(_hash_file(path, rel))
        except OSError as exc:
            drops.append((rel, _discover_drop("unreadable_file", exc)))
    files.sort(key=lambda f: f.path)
    drops.sort(key=lambda d: d[0])
    ignored.sort()
    return files, drops, ignored


def _discover_drop(reason: str, exc: OSError) -> Drop:
    return Drop("discover", reason, f"{type(exc).__name__}: {exc.strerror or exc}")


def _hash_file(path: str, rel: str) -> InputFile:
    digest = xxhash.xxh3_128()
    size = 0
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
        mtime = trusted_mtime(before, os.fstat(fh.fileno()))
    return InputFile(rel, size, digest.hexdigest(), mtime)


def _symlink(
    path: str,
    rel: str,
    real_root: str,
    folder: str,
    suffixes: tuple[str, ...],
    drops: list[tuple[str, Drop]],
    ignored: list[str],
) -> None:
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            drops.append((rel, Drop("discover", "symlink_loop", "the link resolves to itself")))
        elif accepted(rel, suffixes):
            drops.append((rel, _discover_drop("symlink_broken", exc)))
        else:
            ignored.append(rel)
        return
    inside = target == real_root or target.startswith(real_root + os.sep)
    if not inside:
        drops.append((rel, Drop("discover", "symlink_outside_input", "not followed", target)))
    elif os.path.isdir(target) and (folder + os.sep).startswith(target.rstrip(os.sep) + os.sep):
        drops.append((rel, Drop("discover", "symlink_loop", "points to its own ancestor")))
    else:
        ignored.append(rel)  # an alias: its target is read under its own path


def _file_failure(f: InputFile | None, path: str, fmt: SourceFormat, drop: Drop):
    """The failed document of a whole file, keyed by its bytes as read (`f`), or by its path
    alone when it could not be read (`f` None)."""
    doc = Article.from_raw(None, path, fmt, _KIND_GUESS[fmt])
    if f is not None:
        doc.doc_id, doc.content_hash = record_key(path, None, f.file_hash), f.file_hash
    return doc, drop


def read_file(
    root: str | Path | StorageLocation,
    f: InputFile,
    settings: ReadSettings | None = None,
    read: dict[str, InputFile] | None = None,
) -> Iterator[tuple[Article, Drop | None]]:
    """Read one input file: yield one (Article, Drop | None) per document in it. Never raises.

    `root` is INPUT: a local folder, or a `StorageLocation` (an object-store prefix, read
    through `transforms.read.objects` with the same bounds). With `read`, `read[f.path]` is
    set to the file as this call read it (size and hash of the bytes actually processed, which
    may differ from `f` when the file changed since it was listed); it stays unset when the
    file could not be read.
    """
    settings = settings or ReadSettings()
    try:
        loaded: Loaded | OSError = load_input(root, f, settings)
    except OSError as exc:
        loaded = exc
    yield from documents(f, loaded, settings, read)


def load_input(root: str | Path | StorageLocation, f: InputFile, settings: ReadSettings) -> Loaded:
    """The bytes of one input file, bounded (`bounded.load_bytes`; an object:
    `objects.load_object`). Raises OSError when it cannot be read."""
    known = source_format(f.path)
    fmt, gz = known if known else ("text", False)
    too_large = fmt in ("html", "text") and f.size > settings.max_file_bytes
    keep_partial = fmt in ("jsonl", "warc")
    if isinstance(root, StorageLocation) and not root.is_local:
        if too_large:  # rejected by its size: hashed, never held
            return load_object_too_large(root, f.path)
        return load_object(root, f.path, f.size, gz, keep_partial, settings)
    path = Path(root.url if isinstance(root, StorageLocation) else root) / f.path
    if too_large:
        return load_too_large(path)
    return load_bytes(path, gz, keep_partial, settings)


def documents(
    f: InputFile,
    loaded: Loaded | OSError,
    settings: ReadSettings,
    read: dict[str, InputFile] | None = None,
) -> Iterator[tuple[Article, Drop | None]]:
    """The documents of a file from its bytes as `load_input` gave them (or the OSError it
    raised): `read_file` after the read."""
    known = source_format(f.path)
    fmt, _ = known if known else ("text", False)
    if isinstance(loaded, OSError):
        exc = loaded
        drop = Drop("read", "unreadable_file", f"{type(exc).__name__}: {exc}")
        yield _file_failure(None, f.path, fmt, drop)
        return
    as_read = InputFile(f.path, loaded.size, loaded.file_hash, loaded.mtime_ns, loaded.etag)
    if read is not None:
        read[f.path] = as_read
    data, problem, detail = loaded.data, loaded.problem, loaded.detail
    cut = Drop("read", problem, detail) if problem else None
    # a single document cut short is rejected whole; a container keeps its complete records
    # unless nothing usable came out (WARC payloads may be binary, so only JSONL is sniffed)
    binary = fmt != "warc" and looks_binary(data)
    if cut is not None and (fmt in ("html", "text") or not data.strip() or binary):
        yield _file_failure(as_read, f.path, fmt, cut)
    elif not data.removeprefix(b"\xef\xbb\xbf").strip():
        yield _file_failure(as_read, f.path, fmt, Drop("read", "empty_file", "no content"))
    elif binary:
        yield _file_failure(
            as_read, f.path, fmt, Drop("read", "binary_content", "NUL or control bytes")
        )
    elif fmt == "jsonl":
        yield from read_jsonl(f.path, data, settings, cut)
    elif fmt == "warc":
        yield from read_warc(f.path, data, settings, cut)
    else:
        kind: ContentKind = (
            "html"
            if fmt == "html" or _HTML_START.match(data[:512].removeprefix(b"\xef\xbb\xbf"))
            else "text"
        )
        yield Article.from_raw(data, f.path, fmt, kind, markup=Markup(raw=data)), None

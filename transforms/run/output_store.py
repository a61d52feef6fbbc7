"""OUTPUT as a local folder or an object-store prefix: the file operations a run makes in it.

A run writes, reads, lists, moves and removes files under OUTPUT by their key relative to it
("articles/ingest_date=2026-01-02/part-r-00000.parquet"), through `OutputStore`, so the
publishing protocol (`transforms.run.store`) is one piece of code for both kinds of OUTPUT:

- local folder: os and pathlib, as before: a file is written under a temporary name and renamed
  into place, a move is `os.replace` (atomic on one filesystem);
- object store (`s3://bucket/prefix`): an object appears whole when its PUT (or multipart
  upload) completes, so a file is written once under its final key; a move is a server-side
  copy (CopyObject) then a delete of the source, and is repeated safely (a missing source whose
  destination exists was moved already). Listings bypass s3fs's listing cache: another writer
  (pyarrow, a dead run) may have changed the prefix since.

Parquet goes through pyarrow's filesystem for the location (`StorageLocation.arrow_filesystem`:
native S3 with the endpoint passed explicitly), everything else through fsspec's. The datasets a
run reads (ledger, dedup index, published tables) are opened with `open_dataset`, which takes a
location or a local path. Credentials stay in the location's options and the AWS environment;
nothing here prints them (`display()` is the url without userinfo).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.core.storage import StorageLocation, resolve_location

if TYPE_CHECKING:
    import fsspec
    import pyarrow.fs

PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3}
Where = StorageLocation | str | os.PathLike


def as_location(where: Where) -> StorageLocation:
    """A location for a local path, a URI or a location."""
    return where if isinstance(where, StorageLocation) else resolve_location(where)


def _hidden(rel: str) -> bool:
    """Names dataset readers skip ("." and "_" prefixes, as pyarrow's default)."""
    return any(part.startswith((".", "_")) for part in rel.split("/"))


def data_files(where: Where, suffix: str = ".parquet") -> list[str]:
    """Keys (relative to `where`, sorted) of the data files under it: hidden and "_" names,
    which readers skip, are not data files. [] when it does not exist."""
    loc = as_location(where)
    if loc.is_local:
        root = Path(loc.url)
        if not root.is_dir():
            return []
        found = (p.relative_to(root).as_posix() for p in root.rglob(f"*{suffix}") if p.is_file())
    else:
        fs = loc.filesystem()
        fs.invalidate_cache()
        if not fs.isdir(loc.path):
            return []
        found = (
            p[len(loc.path) + 1 :] for p in fs.find(loc.path) if p.endswith(suffix)
        )  # fs.find gives "bucket/prefix/..." keys
    return sorted(rel for rel in found if is_data_file(rel, suffix))


def is_data_file(rel: str, suffix: str = ".parquet") -> bool:
    """Whether a key (relative to a dataset folder) is a data file readers read."""
    return rel.endswith(suffix) and not _hidden(rel)


def has_data_files(where: Where) -> bool:
    """Whether a dataset folder holds a Parquet data file."""
    return bool(data_files(where))


def open_dataset(where: Where, schema: pa.Schema | None = None) -> ds.Dataset | None:
    """The Parquet dataset of a folder (local or object store), or None when it has no data
    file. `schema` lets files of older layouts be read with the current one."""
    loc = as_location(where)
    if not has_data_files(loc):
        return None
    filesystem, path = loc.arrow_filesystem()
    return ds.dataset(path, format="parquet", schema=schema, filesystem=filesystem)


class OutputStore:
    """OUTPUT (a local folder or an object-store prefix) and a run's file operations in it,
    by key relative to OUTPUT ("/"-separated)."""

    def __init__(self, where: Where) -> None:
        self.location = as_location(where)

    def __repr__(self) -> str:
        return f"OutputStore({self.location.display()!r})"

    def __reduce__(self):
        # a store travels to worker processes as its location (filesystems are rebuilt there)
        return (OutputStore, (self.location,))

    @property
    def is_local(self) -> bool:
        return self.location.is_local

    def display(self) -> str:
        """OUTPUT's url without credentials: for logs, messages and the manifest."""
        return self.location.display()

    def at(self, key: str) -> StorageLocation:
        """The location of `key` under OUTPUT."""
        return self.location.join(key) if key else self.location

    def path(self, key: str = "") -> str:
        """`key` as a path of the filesystems: absolute local path, or "bucket/prefix/key"."""
        return self.at(key).path

    def local(self, key: str = "") -> Path:
        """`key` as a local Path (a local OUTPUT only)."""
        if not self.is_local:
            raise ValueError(f"{self.display()} is not a local folder")
        return Path(self.path(key))

    @cached_property
    def fs(self) -> fsspec.AbstractFileSystem:
        return self.location.filesystem()

    @cached_property
    def arrow_fs(self) -> pyarrow.fs.FileSystem:
        return self.location.arrow_filesystem()[0]

    # -- reading ---------------------------------------------------------------------------

    def exists(self, key: str) -> bool:
        if self.is_local:
            return os.path.exists(self.path(key))
        self.fs.invalidate_cache()
        return self.fs.exists(self.path(key))

    def children(self, key: str) -> list[str]:
        """Names of the entries directly under `key` (files and folders), sorted; [] if none."""
        if self.is_local:
            folder = self.local(key)
            return sorted(os.listdir(folder)) if folder.is_dir() else []
        self.fs.invalidate_cache()
        try:
            entries = self.fs.ls(self.path(key), detail=False)
        except FileNotFoundError:
            return []
        return sorted(e.rstrip("/").rsplit("/", 1)[-1] for e in entries)

    def files(self, key: str) -> list[str]:
        """Keys (relative to `key`) of every file under `key`, hidden ones included, sorted."""
        return sorted(self.sizes(key))

    def sizes(self, key: str) -> dict[str, int]:
        """{key relative to `key`: size} of every file under `key`, hidden ones included: one
        walk of the folder (one paginated listing on a store; thousands of manifests cost
        milliseconds, where a path object a file cost a second at a year of runs)."""
        if self.is_local:
            root = self.path(key)
            found: dict[str, int] = {}
            for folder, _dirs, names in os.walk(root):
                rel = os.path.relpath(folder, root).replace(os.sep, "/")
                prefix = "" if rel == "." else f"{rel}/"
                for name in names:  # files (os.walk lists folders apart)
                    with contextlib.suppress(FileNotFoundError):  # removed meanwhile
                        found[prefix + name] = os.stat(os.path.join(folder, name)).st_size
            return found
        self.fs.invalidate_cache()
        base = self.path(key)
        try:
            listed = self.fs.find(base, detail=True)
        except FileNotFoundError:
            return {}
        return {p[len(base) + 1 :]: int(info.get("size") or 0) for p, info in listed.items()}

    def read_bytes(self, key: str) -> bytes:
        if self.is_local:
            return self.local(key).read_bytes()
        return self.fs.cat_file(self.path(key))

    def read_table(self, key: str, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self.path(key), columns=columns, filesystem=self.arrow_fs)

    def dataset(self, key: str, schema: pa.Schema | None = None) -> ds.Dataset | None:
        """The Parquet dataset under `key`, or None when it has no data file."""
        return open_dataset(self.at(key), schema)

    def files_dataset(self, keys: list[str]) -> ds.Dataset:
        """A dataset of the given files (keys under OUTPUT), in that order."""
        return ds.dataset([self.path(k) for k in keys], format="parquet", filesystem=self.arrow_fs)

    # -- writing ---------------------------------------------------------------------------

    def write_bytes(self, key: str, data: bytes) -> str:
        """Write a whole file: locally under a temporary name renamed into place; on an object
        store in one PUT (an object is never seen half-written). Returns its path."""
        target = self.path(key)
        if self.is_local:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        else:
            self.fs.pipe_file(target, data)
        return target

    def write_parquet(self, key: str, table: pa.Table) -> str:
        """Write one Parquet file (zstd), never visible half-written (see `write_bytes`)."""
        target = self.path(key)
        if self.is_local:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            pq.write_table(table, tmp, **PARQUET_OPTIONS)
            os.replace(tmp, path)
        else:
            # pyarrow's S3 stream completes the object (one PUT or multipart) at close only
            pq.write_table(table, target, filesystem=self.arrow_fs, **PARQUET_OPTIONS)
        return target

    def upload_folder(self, local: Path, key: str) -> None:
        """Copy a local folder's files under `key` (each written whole)."""
        for path in sorted(p for p in local.rglob("*") if p.is_file()):
            self.write_bytes(f"{key}/{path.relative_to(local).as_posix()}", path.read_bytes())

    def move(self, src: str, dest: str) -> bool:
        """Move one file into place; repeated safely: False when `src` is gone and `dest`
        exists (moved before). Locally an atomic rename; on an object store a server-side
        copy, then the source deleted (the destination appears whole, at the copy)."""
        a, b = self.path(src), self.path(dest)
        if self.is_local:
            if not os.path.exists(a) and os.path.exists(b):
                return False
            Path(b).parent.mkdir(parents=True, exist_ok=True)
            os.replace(a, b)
            return True
        try:
            self.fs.copy(a, b)
        except FileNotFoundError:
            if self.fs.exists(b):
                return False
            raise
        self.fs.rm_file(a)
        return True

    def remove_tree(self, key: str) -> None:
        """Delete `key` and everything under it; nothing when it does not exist."""
        if self.is_local:
            shutil.rmtree(self.path(key), ignore_errors=True)
            return
        self.fs.invalidate_cache()
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(self.path(key), recursive=True)

    def mkdir(self, key: str = "") -> None:
        """Create the folder (locally; an object store has no folders to create)."""
        if self.is_local:
            self.local(key).mkdir(parents=True, exist_ok=True)

"""The options of a run, checked before any work starts (and before a Prefect server starts).

One function, `check_run_options`, serves the command line (`flows/cli.py`),
the flow itself (a deployment calls it without the command line) and `flows/serve.py`, so the
three accept and refuse the same things with the same one-line messages. Thresholds are
checked by `PipelineConfig` itself (settings are named by dotted keys, `clean.min_words`); this
module checks the rest: the folders, the number of workers, the lock wait, and that two ways of
giving one setting agree.

Nothing here writes into OUTPUT: its writability is probed in the nearest folder that exists,
with a temporary entry removed at once.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from transforms.core.config import PipelineConfig
from transforms.core.storage import StorageLocation, is_uri, resolve_location
from transforms.read.files import FORMAT_BY_SUFFIX

_SHARD_SIZE = "shards.shard_size"  # the setting --shard-size gives


class OptionError(ValueError):
    """A bad option; the message is one line that names it."""


def check_run_options(
    input_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    workers: int = 1,
    shard_size: int | None = None,
    settings: dict[str, Any] | None = None,
    lock_timeout: float | None = None,
) -> PipelineConfig:
    """Check every option of a run; return the run's config. Raises OptionError."""
    check_uris(input_dir, output_dir)
    config = run_config(settings, shard_size) if is_uri(input_dir) else None
    check_folders(input_dir, output_dir, config.storage.parsed() if config else None)
    check_workers(workers)
    if lock_timeout is not None and (_not_number(lock_timeout) or lock_timeout < 0):
        raise OptionError(f"lock timeout {lock_timeout!r}: must be a number of seconds >= 0")
    config = config or run_config(settings, shard_size)
    output_location(output_dir, config)  # an object-store OUTPUT: its bucket answers
    return config


def lock_wait_seconds(wait: bool, lock_timeout: float | None) -> float | None:
    """How long a run waits for OUTPUT's lock: `lock_timeout` seconds when given, for ever
    with `wait` alone (None), not at all (0) with neither."""
    if lock_timeout is not None:
        return float(lock_timeout)
    return None if wait else 0.0


def parse_settings(items: Iterable[str]) -> dict[str, str]:
    """`--set KEY=VALUE` options (the run's, compaction's, the doctor's) as a dict; one key
    given twice with two values is an error."""
    settings: dict[str, str] = {}
    for text in items:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise OptionError(f"--set {text!r}: expected KEY=VALUE")
        if key in settings and settings[key].strip() != value.strip():
            raise OptionError(f"--set {key}={settings[key]} and --set {text} disagree: give one")
        settings[key] = value
    return settings


def check_workers(workers: Any) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise OptionError(f"workers={workers!r} is out of range: must be an int >= 1")


def run_config(settings: dict[str, Any] | None, shard_size: int | None = None) -> PipelineConfig:
    """The config with `settings` (dotted keys) applied and `shard_size` (the --shard-size
    flag), which must agree with a `shards.shard_size` in `settings` when both are given."""
    settings = dict(settings or {})
    if shard_size is not None:
        given = settings.get(_SHARD_SIZE)
        if given is not None and str(given).strip() != str(shard_size):
            raise OptionError(
                f"--shard-size {shard_size} and --set {_SHARD_SIZE}={given} disagree: give one"
            )
        settings[_SHARD_SIZE] = shard_size
    try:
        config = PipelineConfig().with_settings(settings)
    except (ValueError, TypeError) as exc:
        raise OptionError(str(exc)) from None
    unknown = [s for s in config.read.input_suffixes if s.lower() not in FORMAT_BY_SUFFIX]
    if unknown:
        raise OptionError(
            f"read.input_suffixes: no reader for {unknown}; known: {', '.join(FORMAT_BY_SUFFIX)}"
        )
    return config


def check_uris(*given: str | os.PathLike) -> None:
    """A URI is well formed and carries no credential: INPUT and OUTPUT travel in the flow's
    parameters, which Prefect stores and shows (credentials come from the AWS environment)."""
    for value in given:
        if not is_uri(value):
            continue
        text = os.fspath(value)
        try:
            location = resolve_location(text)
        except ValueError as exc:
            raise OptionError(str(exc)) from None
        if location.storage_options:  # user:password@ moved into the options
            raise OptionError(
                f"{location.display()!r}: a URI must not carry credentials (user:password@); "
                "give them by the AWS environment variables, config files or a profile"
            )


def check_folders(
    input_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    storage_options: dict[str, str] | None = None,
) -> None:
    """INPUT is an existing folder (or object-store prefix holding objects), OUTPUT is not
    INPUT and can be written (OUTPUT inside INPUT is allowed: discovery leaves it out, see
    `output_inside_input`)."""
    if is_uri(input_dir):
        check_input_location(resolve_location(input_dir, storage_options))
        same = is_uri(output_dir) and resolve_location(output_dir) == resolve_location(input_dir)
        if same:
            raise OptionError(
                f"output {str(output_dir)!r} is the input: a run would read its own output; "
                "choose another output"
            )
        if not is_uri(output_dir):
            check_writable(output_dir)
        return
    if not os.path.exists(input_dir):
        raise OptionError(f"input folder {str(input_dir)!r} does not exist")
    if not os.path.isdir(input_dir):
        raise OptionError(f"input {str(input_dir)!r} is a file, not a folder")
    if is_uri(output_dir):  # OUTPUT in object storage: checked by `output_location`
        return
    if os.path.realpath(input_dir) == os.path.realpath(output_dir):
        raise OptionError(
            f"output folder {str(output_dir)!r} is the input folder: a run would read its own "
            "output; choose another output folder"
        )
    check_writable(output_dir)


def output_location(output_dir: str | os.PathLike, config: PipelineConfig) -> StorageLocation:
    """OUTPUT's location, opened with the config's storage options. For an object store, its
    bucket must exist and answer (a HEAD request: nothing is written); a local folder was
    checked by `check_folders`."""
    try:
        location = resolve_location(output_dir, config.storage.parsed())
    except ValueError as exc:
        raise OptionError(f"output {exc}") from None
    if location.is_local:
        return location
    fs = location.filesystem()
    bucket = fs.split_path(location.path)[0]
    try:  # one HEAD request, whatever the bucket holds
        fs.call_s3("head_bucket", Bucket=bucket)
    except FileNotFoundError:
        raise OptionError(
            f"output {location.display()!r}: bucket {bucket!r} does not exist (create it first)"
        ) from None
    except Exception as exc:  # no credentials, endpoint down, access denied (not all OSErrors)
        raise OptionError(
            f"output {location.display()!r} cannot be reached: {_reason(exc)}"
        ) from None
    return location


def check_writable(output_dir: str | os.PathLike) -> None:
    """OUTPUT is a folder this process can write in, or can be created: probed in the nearest
    folder that exists (access() says yes to root even on a read-only mount, so it is tried)."""
    target = Path(os.path.abspath(output_dir))
    existing = target
    while not existing.exists() and not existing.is_symlink():
        existing = existing.parent
    if not existing.is_dir():
        what = "is" if existing == target else f"would be under {str(existing)!r}, which is"
        raise OptionError(f"output {str(output_dir)!r} {what} a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".newsclean-probe-", dir=existing))
    except OSError as exc:
        where = "" if existing == target else f" (nearest existing folder {str(existing)!r})"
        reason = exc.strerror or type(exc).__name__
        raise OptionError(
            f"output folder {str(output_dir)!r} is not writable{where}: {reason}"
        ) from None


def check_input_location(location: StorageLocation) -> None:
    """An object-store INPUT can be listed and holds objects: one listing request; any failure
    (no such bucket, no credentials, the endpoint unreachable) is one line naming INPUT."""
    shown = location.display()
    try:
        fs = location.filesystem()
        if fs.isdir(location.path):
            return
        exists = fs.exists(location.path)
    except Exception as exc:  # botocore's errors are not OSErrors: any is a bad INPUT
        raise OptionError(f"input {shown!r} cannot be listed: {_reason(exc)}") from None
    if exists:
        raise OptionError(f"input {shown!r} is an object, not a folder (prefix)")
    raise OptionError(f"input folder {shown!r} does not exist (no object under it)")


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def output_inside_input(
    input_dir: str | os.PathLike | StorageLocation, output_dir: str | os.PathLike | StorageLocation
) -> str | None:
    """OUTPUT's path relative to INPUT when OUTPUT is inside INPUT (it is then left out of
    discovery, so a run never reads its own output), else None. An object-store INPUT: OUTPUT
    under the same prefix."""
    if _remote(input_dir) or _remote(output_dir):
        if not (_remote(input_dir) and _remote(output_dir)):
            return None  # one local, one not: never inside each other
        root_url, out_url = _url(input_dir), _url(output_dir)
        if out_url.startswith(root_url.rstrip("/") + "/"):
            return out_url[len(root_url.rstrip("/")) + 1 :]
        return None
    root, out = os.path.realpath(_path(input_dir)), os.path.realpath(_path(output_dir))
    if out != root and out.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(out, root)
    return None


def _remote(value: str | os.PathLike | StorageLocation) -> bool:
    if isinstance(value, StorageLocation):
        return not value.is_local
    return is_uri(value)


def _url(value: str | os.PathLike | StorageLocation) -> str:
    return value.url if isinstance(value, StorageLocation) else resolve_location(value).url


def _path(value: str | os.PathLike | StorageLocation) -> str | os.PathLike:
    return value.url if isinstance(value, StorageLocation) else value


def _not_number(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, int | float) or value != value

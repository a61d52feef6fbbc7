"""Where INPUT and OUTPUT live: a local folder or an object-store URI (`s3://bucket/prefix`).

`resolve_location` turns what a user typed into a `StorageLocation`: a normalised url, its
fsspec protocol and the storage options to open it with. The location hands out the two
filesystems the pipeline uses: fsspec's (`filesystem()`: listing, reading objects) and
pyarrow's (`arrow_filesystem()`: datasets, Parquet).

Credentials and the endpoint come the standard way: the AWS environment variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION / AWS_REGION,
AWS_PROFILE), the AWS config files, and `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_S3`) for an
S3-compatible store. s3fs (botocore) reads all of them itself; pyarrow's `S3FileSystem` does not
read the endpoint variables, so `arrow_filesystem` passes the endpoint explicitly. Storage
options (the `storage.options` setting, or `resolve_location`'s argument) add to or override
them.

A location never prints its options: `repr`/`str` show the url, and `display()` is the url
with any user:password@ part removed, for logs and the manifest. Heavy imports (s3fs, botocore,
pyarrow.fs) happen inside the functions that need them.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    import fsspec
    import pyarrow.fs

LOCAL = "file"
# s3fs keyword arguments that are booleans: a setting gives them as text ("true"/"false")
_BOOL_OPTIONS = frozenset({"anon", "use_ssl", "requester_pays", "version_aware", "cache_regions"})
# option names that carry a secret: never shown, and refused in the storage.options setting
# (see `credential_options`): credentials come from the environment or a profile
CREDENTIAL_OPTIONS = frozenset(
    {
        "key",
        "secret",
        "token",
        "password",
        "username",
        "access_key",
        "secret_key",
        "session_token",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    }
)
_ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")  # botocore's order
# Attempts of one S3 request, with backoff between them: botocore's "standard" mode (s3fs:
# waits of random * 2**n s, capped at `retry_max_backoff`), the AWS SDK's default strategy
# (pyarrow: 50 ms doubling), and `transforms.core.s3_retries` for pyarrow's ranged reads
# (whose throttled answers the SDK does not retry). The libraries' defaults (botocore's legacy
# 5 tries, pyarrow's 3) gave up within ~15 s when 20% of requests were answered 503 SlowDown
# (issue 33). Storage options `retry_attempts` and `retry_max_backoff` override these; what an
# outage costs with each is measured in docs/operations_faults.md.
RETRY_ATTEMPTS = 8
RETRY_MAX_BACKOFF = 20.0  # seconds, botocore's own cap; the option `retry_max_backoff` lowers it


@dataclass(frozen=True)
class StorageLocation:
    """A folder of INPUT or OUTPUT: a local path or an object-store prefix.

    `url` is normalised: "s3://bucket/prefix" (no trailing slash) or an absolute local path.
    `storage_options` are passed to the filesystem; they are never printed (repr and str show
    the url only) and take no part in equality.
    """

    url: str
    protocol: str
    storage_options: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # a plain dict, so that a location pickles (process pools, Dask) and stays read-only
        object.__setattr__(self, "storage_options", dict(self.storage_options))

    def __repr__(self) -> str:
        return f"StorageLocation({self.display()!r})"

    def __str__(self) -> str:
        return self.display()

    @property
    def is_local(self) -> bool:
        """True for a path on this machine's filesystem (os and pathlib work on `url`)."""
        return self.protocol == LOCAL

    @property
    def path(self) -> str:
        """The location without its scheme: "bucket/prefix" for s3, the local path as is (what
        fsspec's and pyarrow's filesystems take)."""
        if self.is_local:
            return self.url
        return self.url.split("://", 1)[1]

    def join(self, *parts: str) -> StorageLocation:
        """The location of `parts` under this one ("a/b" parts are split on "/")."""
        pieces = [p.strip("/") for part in parts for p in part.split("/") if p.strip("/")]
        if self.is_local:
            url = os.path.join(self.url, *pieces)
        else:
            url = posixpath.join(self.url, *pieces) if pieces else self.url
        return StorageLocation(url, self.protocol, self.storage_options)

    def display(self) -> str:
        """The url with any user:password@ part removed: safe for logs and the manifest."""
        return _without_userinfo(self.url)

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """fsspec's filesystem for this location (s3fs for s3://; its endpoint from the
        options' endpoint_url, else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)."""
        import fsspec

        options: dict[str, Any] = dict(self.storage_options)
        for name in ("retry_attempts", "retry_max_backoff"):  # ours, not the filesystem's
            options.pop(name, None)
        if self.protocol != "s3":
            return fsspec.filesystem(self.protocol, **options)
        from transforms.core.s3_retries import bound_backoff

        options["config_kwargs"] = {
            "retries": {
                "total_max_attempts": retry_attempts(self.storage_options),
                "mode": "standard",
            }
        }
        fs = fsspec.filesystem(self.protocol, **_s3fs_options(options))
        bound_backoff(fs, retry_max_backoff(self.storage_options))
        return fs

    def arrow_filesystem(self) -> tuple[pyarrow.fs.FileSystem, str]:
        """(pyarrow filesystem, path in it) for this location.

        Local: LocalFileSystem and the absolute path. s3: pyarrow's S3FileSystem with the
        endpoint passed explicitly (`endpoint_override` and `scheme`: it does not read
        AWS_ENDPOINT_URL), "bucket/prefix". Any other protocol: fsspec's filesystem wrapped.
        """
        import pyarrow.fs as pafs

        if self.is_local:
            return pafs.LocalFileSystem(), self.url
        if self.protocol == "s3":
            from transforms.core.s3_retries import retrying_s3

            s3 = pafs.S3FileSystem(**_arrow_s3_options(self.storage_options))
            attempts = retry_attempts(self.storage_options)
            cap = retry_max_backoff(self.storage_options)
            return retrying_s3(s3, attempts, cap), self.path
        return pafs.PyFileSystem(pafs.FSSpecHandler(self.filesystem())), self.path


def resolve_location(
    url_or_path: str | os.PathLike[str], storage_options: Mapping[str, str] | None = None
) -> StorageLocation:
    """The location of a local path or a URI (`s3://bucket/prefix`, `file:///path`, any
    protocol fsspec knows). A relative local path is made absolute; a URI keeps no trailing
    slash; a user:password@ part of a URI moves into the options (as key/secret), so the url
    never carries it. Raises ValueError for an empty value, an s3 URI without a bucket, or a
    protocol fsspec does not know."""
    text = os.fspath(url_or_path)
    if not text.strip():
        raise ValueError("an empty path is not a location")
    options = dict(storage_options or {})
    scheme = _scheme(text)
    if scheme is None:
        return StorageLocation(os.path.abspath(text), LOCAL, options)
    if scheme in ("file", "local"):
        path = unquote(urlsplit(text).path) or "/"
        return StorageLocation(os.path.abspath(path), LOCAL, options)
    protocol = "s3" if scheme in ("s3", "s3a") else scheme
    _check_protocol(protocol)
    parts = urlsplit(text)
    if parts.username is not None or parts.password is not None:
        if parts.username:
            options.setdefault("key", unquote(parts.username))
        if parts.password:
            options.setdefault("secret", unquote(parts.password))
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    if protocol == "s3" and not host:
        raise ValueError(
            f"{_without_userinfo(text)!r}: an s3 URI names a bucket, s3://bucket/prefix"
        )
    path = parts.path.rstrip("/")
    return StorageLocation(f"{protocol}://{host}{path}", protocol, options)


def is_uri(url_or_path: str | os.PathLike[str]) -> bool:
    """True for a URI with a scheme other than file:// (s3://bucket/prefix): a location that
    is not a local path. Cheap: no filesystem is imported."""
    scheme = _scheme(os.fspath(url_or_path))
    return scheme is not None and scheme not in ("file", "local")


def retry_attempts(options: Mapping[str, str]) -> int:
    """Attempts of one S3 request: the `retry_attempts` option, else RETRY_ATTEMPTS. Raises
    ValueError for a value that is not a whole number of at least 1."""
    text = str(options.get("retry_attempts", RETRY_ATTEMPTS)).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"storage option retry_attempts={text!r}: expected a whole number >= 1")
    return int(text)


def retry_max_backoff(options: Mapping[str, str]) -> float:
    """The longest wait between two attempts, in seconds: the `retry_max_backoff` option, else
    RETRY_MAX_BACKOFF. Raises ValueError for a value that is not a number > 0."""
    text = str(options.get("retry_max_backoff", RETRY_MAX_BACKOFF)).strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ValueError(f"storage option retry_max_backoff={text!r}: expected seconds > 0")
    return seconds


def parse_options(text: str) -> dict[str, str]:
    """Storage options given as text ("endpoint_url=http://host:9000,region=eu-west-1"):
    comma-separated key=value pairs. Raises ValueError naming a malformed pair."""
    options: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"storage option {item.strip()!r}: expected key=value")
        options[key] = value.strip()
    return options


def credential_options(options: Mapping[str, str]) -> list[str]:
    """The names in `options` that carry a secret (sorted)."""
    return sorted(k for k in options if k.lower() in CREDENTIAL_OPTIONS)


def masked(options: Mapping[str, str]) -> str:
    """`options` as text with every value hidden ("endpoint_url=***,region=***"): what a
    manifest may record."""
    return ",".join(f"{key}=***" for key in sorted(options))


def endpoint_url(options: Mapping[str, str] | None = None) -> str | None:
    """The S3 endpoint: the options' endpoint_url, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL
    from the environment, else None (AWS itself)."""
    if options and options.get("endpoint_url"):
        return options["endpoint_url"]
    for name in _ENDPOINT_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _s3fs_options(options: dict[str, Any]) -> dict[str, Any]:
    """Text options as s3fs takes them: booleans from "true"/"false", `region` into
    client_kwargs, the endpoint from the environment when the options name none."""
    made: dict[str, Any] = {}
    client_kwargs: dict[str, Any] = {}
    for key, value in options.items():
        if key in _BOOL_OPTIONS and isinstance(value, str):
            made[key] = value.strip().lower() in ("1", "true", "yes")
        elif key in ("region", "region_name"):
            client_kwargs["region_name"] = value
        else:
            made[key] = value
    endpoint = endpoint_url(options)
    if endpoint:
        made["endpoint_url"] = endpoint
    if client_kwargs:
        made["client_kwargs"] = {**made.get("client_kwargs", {}), **client_kwargs}
    return made


def _arrow_s3_options(options: Mapping[str, str]) -> dict[str, Any]:
    """pyarrow S3FileSystem arguments: the endpoint split into host and scheme, credentials
    and region when the options give them (else the AWS SDK's own chain: variables, files)."""
    import pyarrow.fs as pafs

    made: dict[str, Any] = {
        # the SDK's default strategy: waits of 50 ms doubling (3.2 s before the 8th attempt),
        # where its "standard" one waits up to 2**n s (20 s cap) with no setting to lower it
        "retry_strategy": pafs.AwsDefaultS3RetryStrategy(retry_attempts(options))
    }
    endpoint = endpoint_url(options)
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        made["endpoint_override"] = parts.netloc
        made["scheme"] = parts.scheme
    if options.get("key"):
        made["access_key"] = options["key"]
    if options.get("secret"):
        made["secret_key"] = options["secret"]
    if options.get("token"):
        made["session_token"] = options["token"]
    region = options.get("region") or options.get("region_name")
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        made["region"] = region
    if options.get("anon", "").strip().lower() in ("1", "true", "yes"):
        made["anonymous"] = True
    return made


def _scheme(text: str) -> str | None:
    """The URI scheme of `text` ("s3"), or None for a local path (a Windows drive letter, a
    path with no "://")."""
    head, sep, _ = text.partition("://")
    if not sep or not head or not head.replace("+", "").replace("-", "").isalnum():
        return None
    return head.lower()


def _check_protocol(protocol: str) -> None:
    from fsspec.registry import known_implementations, registry

    if protocol not in known_implementations and protocol not in registry:
        raise ValueError(f"unknown storage protocol {protocol!r}: s3://bucket/prefix or a path")


def _without_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://{netloc.rpartition('@')[2]}{slash}{path}"

"""`PipelineConfig`: the sections together, and setting them by dotted key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from transforms.core.config.sections import (
    CleanSettings,
    DedupSettings,
    HtmlSettings,
    MetadataSettings,
    PageTypeSettings,
    ReadSettings,
    RunSettings,
    ShardSettings,
    StorageSettings,
)
from transforms.core.config.values import convert
from transforms.core.storage import masked


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Every threshold and option of the pipeline, in one section per phase.

    The runner passes the whole config around (it is a plain, picklable dataclass); a step, a
    reader, the shard planner and dedup are each handed only their own section. Settings are
    named by dotted keys, `<section>.<field>`: `with_settings({"clean.min_words": 60})`.
    """

    shards: ShardSettings = field(default_factory=ShardSettings)
    read: ReadSettings = field(default_factory=ReadSettings)
    html: HtmlSettings = field(default_factory=HtmlSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    metadata: MetadataSettings = field(default_factory=MetadataSettings)
    pagetype: PageTypeSettings = field(default_factory=PageTypeSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    run: RunSettings = field(default_factory=RunSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)

    def __post_init__(self) -> None:
        # a section given as a dict (or the wrong section) would skip its checks
        for f in fields(self):
            kind = f.default_factory  # the section's class
            if not isinstance(getattr(self, f.name), kind):  # type: ignore[arg-type]
                raise TypeError(f"PipelineConfig.{f.name} must be a {kind.__name__}")  # type: ignore[union-attr]

    @staticmethod
    def keys() -> tuple[str, ...]:
        """Every setting's dotted key, section by section."""
        return tuple(_DEFAULTS)

    def get(self, key: str) -> Any:
        """The value of the setting `key` (dotted: 'dedup.near_jaccard')."""
        section, name = _split(key)
        return getattr(getattr(self, section), name)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The config as nested plain values, `{section: {field: value}}` (as the manifest
        records it). `storage.options` keeps its option names only ("region=***"): an option
        value is never written out (`from_dict` of it gives the names with "***" values)."""
        values = asdict(self)
        values["storage"]["options"] = masked(self.storage.parsed())
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PipelineConfig:
        """A config from the nested form of `to_dict` (or its JSON, as in a manifest); a missing
        section or field keeps its default, an unknown one (or an old flat key) is refused."""
        sections = {f.name: f.default_factory for f in fields(cls)}
        made = {}
        for name, given in values.items():
            if name not in sections:
                _split(name)  # an old flat key: the error names its dotted key
                raise ValueError(f"unknown config section {name!r}; known: {', '.join(sections)}")
            if not isinstance(given, dict):
                raise ValueError(f"config section {name!r}: expected a mapping of its fields")
            values_of = {}
            for key, value in given.items():
                _split(f"{name}.{key}")
                # JSON (a manifest) has no tuples: a list of suffixes comes back as a tuple
                tuple_field = isinstance(_DEFAULTS[f"{name}.{key}"], tuple)
                values_of[key] = tuple(value) if tuple_field and isinstance(value, list) else value
            made[name] = sections[name](**values_of)  # type: ignore[operator]
        return cls(**made)

    def with_settings(self, settings: dict[str, Any]) -> PipelineConfig:
        """A copy with `settings` (dotted keys) applied; string values (from a command line) are
        converted to the field's type ("0" -> 0.0 for a float, "false" -> False for a bool)."""
        changes: dict[str, dict[str, Any]] = {}
        for key, value in settings.items():
            section, name = _split(key)
            changes.setdefault(section, {})[name] = convert(key, value, _DEFAULTS[key])
        return replace(self, **{s: replace(getattr(self, s), **c) for s, c in changes.items()})


# Every dotted key's default value (its type is the setting's type).
_DEFAULTS: dict[str, Any] = {
    f"{s}.{name}": value
    for s, values in PipelineConfig().to_dict().items()
    for name, value in values.items()
}
# An old flat key -> its dotted key (field names are unique across sections).
_DOTTED = {key.split(".", 1)[1]: key for key in _DEFAULTS}


def _split(key: str) -> tuple[str, str]:
    """(section, field) of a dotted key; a flat or unknown key is refused in one line."""
    if key in _DEFAULTS:
        section, name = key.split(".", 1)
        return section, name
    if key in _DOTTED:
        raise ValueError(f"setting {key!r} is now named by section: use {_DOTTED[key]!r}")
    raise ValueError(
        f"unknown setting {key!r}: a dotted key <section>.<field>, sections "
        f"{', '.join(sorted({k.split('.')[0] for k in _DEFAULTS}))} "
        "(see transforms/core/config/sections.py)"
    )

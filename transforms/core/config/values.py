"""Checking and converting one setting's value: its type, its allowed range, a string from a
command line turned into the field's type.

The sections (`transforms.core.config.sections`) call `check_fields` from their
`__post_init__`, so every message names the dotted key (`clean.min_words`) a user types.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

# Allowed range of a field: (low, high, low_open, high_open); None: unbounded on that side.
Bounds = tuple[float | None, float | None, bool, bool]
AT_LEAST_1: Bounds = (1, None, False, False)
AT_LEAST_0: Bounds = (0, None, False, False)
SHARE: Bounds = (0, 1, False, False)  # a share or probability: [0, 1]
POSITIVE_SHARE: Bounds = (0, 1, True, False)  # (0, 1]: 0 would match everything


def check_fields(section: Any, name: str, ranges: dict[str, Bounds]) -> None:
    """Check every field of the section `name` (a frozen dataclass) against its default's type
    and its range in `ranges` (keyed by dotted name); raise ValueError naming the dotted key."""
    for f in fields(section):
        key = f"{name}.{f.name}"
        check_value(key, getattr(section, f.name), f.default, ranges.get(key))


def check_value(key: str, value: Any, default: Any, bounds: Bounds | None) -> None:
    """Raise ValueError naming `key` when `value` has the wrong type or is out of `bounds`."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{key}={value!r}: expected a bool (true or false)")
        return
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"{key}={value!r}: expected a string")
        return
    if isinstance(default, tuple):
        if not value or not all(isinstance(s, str) and s.startswith(".") for s in value):
            raise ValueError(f"{key}={value!r}: expected one or more suffixes like .html")
        return
    # an int field takes only ints; a float field ints or floats (never a bool, never NaN)
    numeric = (int,) if isinstance(default, int) else (int, float)
    if isinstance(value, bool) or not isinstance(value, numeric) or math.isnan(value):
        raise ValueError(f"{key}={value!r}: expected a {type(default).__name__}")
    if bounds is None:  # every number has a range: a field added without one fails loudly
        raise ValueError(f"{key}: no allowed range declared (transforms/core/config/sections.py)")
    low, high, low_open, high_open = bounds
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{key}={value!r} is out of range: must be {describe(bounds)}")


def describe(bounds: Bounds) -> str:
    """`bounds` as a reader writes them: '>= 1', 'in [0, 1]', 'in (0, 1]'."""
    low, high, low_open, high_open = bounds
    if high is None:
        return f"{'>' if low_open else '>='} {low}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def convert(key: str, value: Any, default: Any) -> Any:
    """`value` in the type of `default` when it is a string (from a command line): "0" -> 0.0
    for a float, "false" -> False for a bool, ".html, .txt" -> a tuple of suffixes."""
    if not isinstance(value, str) or isinstance(default, str):
        return value
    text = value.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(text)
            return text.lower() in {"true", "1", "yes"}
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, tuple):
            return tuple(part.strip() for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"setting {key}={value!r}: expected a {type(default).__name__}") from None
    return value

"""The fetch time a scraper recorded (JSONL fields, WARC-Date headers), as a tz-aware UTC time.

ISO 8601 (a time without a zone is UTC), an HTTP/RFC 2822 date, or epoch seconds (a number or a
numeric string; values above 1e11 are read as milliseconds). Anything else is None.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def parse_time(value: object) -> datetime | None:
    """A tz-aware UTC datetime from ISO 8601, an HTTP date or epoch seconds; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.fullmatch(text):
            value = float(text)
        else:
            return _parse_date_string(text)
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_date_string(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None

"""Cell values as real exports write them: ids that must stay text, `¥1,299.00`, dates in all
the shapes seen (`2017/5/30 23:18`, `2025-05-11 09:55:16 -0400`), ids Excel wrapped as `="…"`."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.validation import to_number, to_timestamp, to_whole

_WRAPPED = re.compile(r'^="?(.*?)"?$')
_OFFSET = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}:?\d{2}|Z)$")


def order_id(value: str) -> str:
    """Ids as text: trailing spaces, tabs and Excel's `="123"` guard removed."""
    text = str(value).strip().strip("\t")
    match = _WRAPPED.match(text)
    if text.startswith("=") and match:
        text = match.group(1)
    return text.strip()


def money(value: str) -> float | None:
    text = str(value).strip()
    return None if not text else to_number(text)


def whole(value: str) -> int | None:
    return to_whole(str(value).strip())


def moment(value: str, zone: ZoneInfo | None = None) -> pd.Timestamp | None:
    """A date-time; one with a UTC offset is moved into the shop's time zone, then made naive."""
    text = str(value).strip()
    if not text:
        return None
    match = _OFFSET.match(text)
    if match:
        if to_timestamp(match.group(1)) is None:  # not a date, or not one a shop can have
            return None
        aware = pd.Timestamp(f"{match.group(1)}{match.group(2)}")
        if zone is not None:
            aware = aware.tz_convert(zone)
        return aware.tz_localize(None)
    stamp = to_timestamp(text)
    return None if stamp is None else stamp.floor("s")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or \
        not str(value).strip()


def today_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except Exception:  # an unknown zone name: keep the times as written
        return None


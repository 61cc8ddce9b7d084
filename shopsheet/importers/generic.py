"""A CSV or sheet with the Orders sheet's own headers, in English or Chinese, imports as is.

Its words are read as an owner writes them: a channel as `xiaohongshu`, `小红书` or `RED`, a
status as `paid` or `已付款`. A channel ShopOps does not know (`generic`, `抖音`, a shop's own
name) is imported as `other` and the word itself kept in the line's Store column, so nothing
the file said is lost and the Orders sheet stays valid. A status word it does not know is a
problem: stock depends on it, and nothing is guessed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.book.base import find_header
from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.core.words import ORDER_STATUSES, OTHER_CHANNEL, channel_of, shown_words, status_of
from shopsheet.importers.base import LINE_FIELDS, Profile, Tables, finish_lines, header_key, sourced
from shopsheet.sheets import SHEETS
from shopsheet.validation import coerce, is_blank

ORDERS = SHEETS["Orders"]
REQUIRED = [c.name for c in ORDERS.columns if c.required and c.name != "line"]
WORDED = ("channel", "status")  # read through the words of core, not the sheet's drop-down


class Generic(Profile):
    name = N_("ShopOps Orders columns")
    key = "generic"
    channel = OTHER_CHANNEL
    signature = ()
    columns = {}

    @classmethod
    def headers(cls) -> set[str]:
        return {header_key(h) for c in ORDERS.columns for h in (c.label, c.zh, *c.aliases)}

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        _unused, found, _unused = find_header(ORDERS, [list(table.columns)])
        return all(name in found for name in REQUIRED)

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls) or tables.first()
        _unused, found, _unused = find_header(ORDERS, [list(table.columns)])
        missing = [c.label for c in ORDERS.columns if c.name in REQUIRED and c.name not in found]
        if missing:
            return pd.DataFrame(columns=LINE_FIELDS + ["source"]), [Problem(
                source, message=_("is not a {format} file: no {columns} column").format(
                    format=_(cls.name), columns=", ".join(_(m) for m in missing)))]
        header = {name: table.columns[idx] for name, idx in found.items()}
        raw = pd.DataFrame({name: table[header[name]] for name in found if name in LINE_FIELDS},
                           index=table.index)
        raw = raw.map(lambda v: None if is_blank(v) else v)
        columns = [c for c in ORDERS.columns if c.name in raw and c.name not in WORDED]
        typed, bad = coerce(raw, columns, source, {name: "" for name in found})
        problems = [Problem(source, f"row {p.cell}", header[_name(p.column)], p.got, p.expected)
                    for p in bad]
        channel, store = _channels(raw, typed)
        status, unknown = _statuses(raw)
        problems += [Problem(source, f"row {row}", header["status"], raw.at[row, "status"],
                             _("one of {words} (or {chinese})").format(
                                 words=", ".join(ORDER_STATUSES),
                                 chinese=", ".join(shown_words(ORDER_STATUSES, True))))
                     for row in unknown]
        typed = typed.assign(status=status, store=store)
        typed["source"] = sourced(typed, source)
        lines = finish_lines(typed.drop(columns=["channel"], errors="ignore"), cls.channel)
        lines["channel"] = channel.to_numpy()
        return lines, problems


def _name(label: str) -> str:
    return next(c.name for c in ORDERS.columns if c.label == label)


def _channels(raw: pd.DataFrame, typed: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each line's channel by core's words; an unknown word → `other`, kept in Store."""
    words = raw["channel"] if "channel" in raw else pd.Series(None, index=raw.index)
    store = typed["store"] if "store" in typed else pd.Series(None, index=raw.index)
    channel, kept = [], []
    for word, shop in zip(words, store):
        if is_blank(word):
            channel.append(OTHER_CHANNEL)
            kept.append(shop)
            continue
        found, known = channel_of(word)
        channel.append(found)
        word = str(word).strip()
        kept.append(shop if known else word if is_blank(shop) else f"{shop} ({word})")
    return (pd.Series(channel, index=raw.index, dtype="object"),
            pd.Series(kept, index=raw.index, dtype="object"))


def _statuses(raw: pd.DataFrame) -> tuple[pd.Series, list]:
    """Each line's status by core's words; the rows whose word is unknown."""
    found = raw["status"].map(lambda w: None if is_blank(w) else status_of(w))
    unknown = raw.index[found.isna() & raw["status"].notna()]
    return found, list(unknown)

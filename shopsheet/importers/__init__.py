"""Order exports in, order lines out: detect each file's format from its headers (or take
`--format`), read it with its profile, check every line against the Orders model, and say
plainly what could not be understood.

Formats (one `Profile` each, all alike): Xiaohongshu 千帆 (.xlsx); Taobao/Tmall 订单报表 +
宝贝报表 (two CSVs, given together); the 千牛 workbook (.xlsx, 订单报表 / 销售明细 / 发货报表);
Shopify (CSV); any CSV/XLSX with the Orders sheet's own headers (English or Chinese); and, for
`ship`, a carrier's shipment file (and for `shipping-costs` a carrier's bill); for `settle`,
the settlement files of Shopify Payments, Alipay, WeChat Pay and Xiaohongshu
(`settlements.py`). A format made of two parts names its partner; the dispatcher looks for the
partner in the same file first, then among the other files given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import _, counted
from shopsheet.core.problems import Problem
from shopsheet.importers.base import LINE_FIELDS, Profile, Tables, header_key
from shopsheet.importers.conform import conform, too_long
from shopsheet.importers.generic import Generic
from shopsheet.importers.limits import DEFAULT_MB
from shopsheet.importers.settlements import SETTLEMENT_FIELDS, SETTLEMENT_PROFILES
from shopsheet.importers.shipments import CarrierInvoice, Shipments
from shopsheet.importers.shopify import Shopify
from shopsheet.importers.tabular import FileProblem, read_tables
from shopsheet.importers.taobao import OrderLevel, QianniuLines, TaobaoItems, TaobaoOrders
from shopsheet.importers.xiaohongshu import Xiaohongshu

# in the order they are tried: the most particular headers first, the Orders sheet's own last
ORDER_PROFILES: tuple[type[Profile], ...] = (Xiaohongshu, Shopify, QianniuLines, TaobaoItems,
                                             TaobaoOrders, OrderLevel, Generic)
FORMATS = tuple(dict.fromkeys(p.key for p in ORDER_PROFILES))


@dataclass
class Batch:
    """What a set of files held: order lines, the format of each file, problems, remarks."""

    lines: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def detect(tables: Tables, profiles: tuple[type[Profile], ...]) -> type[Profile] | None:
    """The first profile one of the tables matches."""
    return next((p for p in profiles if tables.find(p) is not None), None)


def read_files(paths: list[Path], profiles: tuple[type[Profile], ...], fmt: str | None,
               zone: ZoneInfo | None, limit_mb: int = DEFAULT_MB,
               ) -> tuple[pd.DataFrame, dict[str, str], list[Problem]]:
    """Each file read with its profile (its partner's file beside it): the rows, the format
    each file was read as, and every problem."""
    problems: list[Problem] = []
    files: dict[str, tuple[Tables, type[Profile] | None]] = {}
    chosen = tuple(p for p in profiles if fmt is None or p.key == fmt)
    for path in map(Path, paths):
        try:
            tables = read_tables(path, limit_mb)
        except (FileProblem, OSError) as err:
            problems.append(Problem(path.name, message=str(err).removeprefix(f"{path.name}: ")))
            continue
        profile = detect(tables, chosen) or (chosen[0] if fmt else None)
        repeated = _repeated(tables, profile)
        if repeated:
            problems += repeated
            continue
        files[path.name] = (tables, profile)
    parts, formats, partners = [], {}, set()
    for name, (tables, profile) in files.items():
        if profile is not None and profile.partner and tables.find(profile.partner) is None:
            other = next((n for n, (t, _unused) in files.items()
                          if n != name and t.find(profile.partner) is not None), None)
            if other is not None:
                tables = tables | files[other][0]
                partners.add(other)
                formats[other] = profile.partner.name
        files[name] = (tables, profile)
    for name, (tables, profile) in files.items():
        if name in partners:
            continue
        if profile is None:
            problems.append(_unknown(name, tables, profiles))
            continue
        if tables.find(profile) is None:
            problems.append(_not_a(name, tables, profile))
            continue
        rows, found = profile.lines(tables, zone)
        problems += found
        if not found or len(rows):
            formats[name] = profile.name
        parts.append(rows)
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else None
    return rows, dict(sorted(formats.items(), key=lambda kv: list(files).index(kv[0]))), problems


def read_orders(paths: list[Path], fmt: str | None, zone: ZoneInfo | None,
                limit_mb: int = DEFAULT_MB) -> Batch:
    """Order lines from exports, every one of them valid for the Orders sheet, or problems."""
    rows, formats, problems = read_files(paths, ORDER_PROFILES, fmt, zone, limit_mb)
    lines = rows if rows is not None else pd.DataFrame(columns=LINE_FIELDS + ["source"])
    lines, repeated, remarks = _once_each(lines)
    problems += repeated
    named = {f"{p.sheet}, {p.cell}" for p in problems}  # a line already named is not again
    problems += conform(lines[~lines["source"].isin(named)])
    problems += too_long(lines)
    return Batch(lines, formats, problems, [] if problems else remarks)


def _once_each(lines: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Each (order, line) once per file. A row repeated word for word is read once (and said
    so); two different rows under one order and line number in one file are a problem naming
    both: which one is the order's cannot be told, and storing one would lose the other. (The
    same line in two files — yesterday's export and today's — is an update, merged later.)"""
    if lines.empty:
        return lines, [], []
    file = lines["source"].astype(str).str.partition(", ")[0]
    keyed = lines.assign(_file=file).dropna(subset=["order_id", "line"])
    twice = keyed[keyed.duplicated(["_file", "order_id", "line"], keep=False)]
    if twice.empty:
        return lines, [], []
    content = [c for c in lines.columns if c != "source"] + ["_file"]
    same = twice.astype(str).duplicated(content, keep="first")
    problems = []
    for (name, order, line), group in twice[~same].groupby(["_file", "order_id", "line"],
                                                           sort=False):
        if len(group) > 1:
            where = [str(s).partition(", ")[2] for s in group["source"]]
            problems.append(Problem(name, where[1], "Line", line,
                                    _("a line number used once in order {order}: {rows} are "
                                      "different lines under it").format(
                                        order=order, rows=_(" and ").join(where))))
    dropped = same[same].index
    remarks = [counted("{n} row repeated word for word, read once",
                       "{n} rows repeated word for word, read once", len(dropped))] \
        if len(dropped) else []
    return lines.drop(index=dropped), problems, remarks


def is_settlement_file(path: Path, limit_mb: int = DEFAULT_MB) -> bool:
    """Whether the file is one of the settlement formats (the morning's inbox holds both
    kinds). A file that cannot be read is not: the order import then says why."""
    try:
        return detect(read_tables(Path(path), limit_mb), SETTLEMENT_PROFILES) is not None
    except (FileProblem, OSError):
        return False


def read_settlements(paths: list[Path], zone: ZoneInfo | None,
                     limit_mb: int = DEFAULT_MB) -> Batch:
    """Settlement rows from the providers' files, every one valid for the Settlements sheet,
    or problems (each file detected from its headers)."""
    rows, formats, problems = read_files(paths, SETTLEMENT_PROFILES, None, zone, limit_mb)
    rows = rows if rows is not None else pd.DataFrame(columns=SETTLEMENT_FIELDS)
    named = {f"{p.sheet}, {p.cell}" for p in problems}
    problems += conform(rows[~rows["source"].isin(named)], "Settlements")
    return Batch(rows, formats, problems, [])


def read_shipments(path: Path, limit_mb: int = DEFAULT_MB) -> tuple[pd.DataFrame, list[Problem]]:
    """Shipments (order id, tracking number, carrier, shipped time) from a carrier's file,
    read within the same bounds as an order export."""
    rows, _unused, problems = read_files([path], (Shipments,), "shipments", None, limit_mb)
    return (rows if rows is not None else pd.DataFrame(
        columns=["order_id", "tracking_no", "carrier", "shipped"])), problems


def read_carrier_invoice(path: Path, limit_mb: int = DEFAULT_MB
                         ) -> tuple[pd.DataFrame, list[Problem]]:
    """A carrier's bill: cost per tracking number (with its date and carrier when given)."""
    rows, _unused, problems = read_files([path], (CarrierInvoice,), "carrier-invoice", None, limit_mb)
    return (rows if rows is not None else pd.DataFrame(
        columns=["tracking_no", "cost", "date", "carrier", "source"])), problems


def _repeated(tables: Tables, profile: type[Profile] | None) -> list[Problem]:
    """A header the format reads written over two columns: which one counts cannot be told,
    so the file is refused by name rather than one column silently ignored."""
    if profile is None:
        return []
    used = profile.headers()
    return [Problem(name, message=_("has two columns headed {header!r}; ShopOps cannot tell "
                                    "which to read: rename or delete one").format(header=header))
            for name, table in tables.named.items()
            for header in table.attrs.get("repeated", []) if header_key(header) in used]


def _not_a(name: str, tables: Tables, profile: type[Profile]) -> Problem:
    """A file taken for `profile` (by --format, or the only one a command reads) without the
    headers that make it one: which are missing, and which it has."""
    table = tables.first()[1] if tables.named else pd.DataFrame()
    present = {header_key(h) for h in table.columns}
    missing = [h for h in profile.signature if header_key(h) not in present]
    missing += [c.names[0] for c in profile.columns.values()
                if c.required and c.header_in(table) is None]
    headers = ", ".join(map(str, list(table.columns)[:12])) or _("none")
    lacking = _("no {columns} column; ").format(columns=", ".join(dict.fromkeys(missing))) \
        if missing else ""
    return Problem(name, message=_("is not a {format}: {lacking}its headers are {headers}").format(
        format=_(profile.name), lacking=lacking, headers=headers))


def _unknown(name: str, tables: Tables, profiles: tuple[type[Profile], ...]) -> Problem:
    headers = ", ".join(map(str, list(tables.first()[1].columns)[:12])) if tables.named else ""
    known = ", ".join(dict.fromkeys(_(p.name) for p in profiles))
    return Problem(name, message=_("format not recognised (headers: {headers}); known: {known}. "
                                   "--format can name it").format(headers=headers or _("none"),
                                                                  known=known))

"""Parsing sheets with fastexcel, apart from pandas, so a process can begin before pandas loads.

`typedread.py` turns fastexcel's columns into ShopOps' typed frames; this module only opens
readers and parses, and imports nothing heavier than fastexcel and lxml.

`start` is the first thing the `shopops` command does for a routine that reads Orders
(`launch.py`): while Python loads pandas and pandera (about a second of one core), a thread
reads the workbook and parses its big sheets on the other core. Only sheets worth it are parsed:
parts of at least `BIG` bytes that ShopOps did not write last (a part ShopOps wrote has a piece
map, and its frame is kept: a warm run parses nothing). `claim` hands the parses to the FileBook
that read the very same bytes under its lock; any other bytes, and the parse is not used.
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopsheet.book.cache.piecemaps import PieceMaps
from shopsheet.book.write.package import Package

BIG = 8 << 20  # bytes of sheet XML (inflated) worth parsing at start-up
# Every row is looked at to type a column (a kind met only at row 150,000 must refuse it, not
# become a blank), and the sheet comes as Arrow columns straight from Rust (eager: 0.2 s less
# for a year of Orders than the lazy sheet's to_arrow, which also keeps calamine's cells).
OPTIONS = {"header_row": 0, "dtype_coercion": "strict", "schema_sample_rows": None,
           "eager": True}
_GENERATED = re.compile(r"__UNNAMED__(\d+)")

_started: dict[Path, tuple[Future, dict[str, Future]]] = {}


def open_reader(data: bytes) -> Any:
    """A fastexcel reader over the package bytes (shared strings and styles read once)."""
    import fastexcel  # imported when a sheet must be parsed: warm runs never need it

    # An empty column is read as empty text; fastexcel warns of each one, which is no news here.
    logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)
    return fastexcel.read_excel(data)


@dataclass
class Parsed:
    """A sheet as fastexcel hands it over: its header and its Arrow data."""
    header: list[str]  # the header cells' text as fastexcel names the columns; "" for none
    table: Any  # a pyarrow RecordBatch


def load(reader: Any, sheet: str) -> Parsed | None:
    """fastexcel's parse of `sheet`, every column of one kind of cell (its strict mode), or
    None when a column mixes kinds (a `¥1,299.00` typed among prices). Its cells are let go
    once they are Arrow columns."""
    import fastexcel

    try:
        table = reader.load_sheet(sheet, **OPTIONS)
    except fastexcel.UnsupportedColumnTypeCombinationError:
        return None
    return Parsed([_named(name, i) for i, name in enumerate(table.schema.names)], table)


def _named(name: str, index: int) -> str:
    """The header cell's text, or "" where fastexcel made a name up (`__UNNAMED__3` for an
    empty or yes/no cell in the fourth column)."""
    made = _GENERATED.fullmatch(name)
    return "" if made and int(made.group(1)) == index else name


def start(path: Path, sheets: list[str]) -> None:
    """Begin reading the workbook at `path` and parsing those of `sheets` worth it, on a
    thread of their own (it never keeps the process alive)."""
    path = Path(path).resolve()
    data: Future = Future()
    parsed = {name: Future() for name in sheets}
    _started[path] = (data, parsed)
    threading.Thread(target=_parse, args=(path, data, parsed), name="shopops-start",
                     daemon=True).start()


def _parse(path: Path, data: Future, parsed: dict[str, Future]) -> None:
    try:
        content = path.read_bytes()
    except OSError as exc:
        data.set_exception(exc)
        return
    data.set_result(content)
    try:
        pkg = Package(content, path.name)
        maps, reader = PieceMaps(path), None
        for name, future in parsed.items():
            part = pkg.sheets[name].part if name in pkg.sheets else None
            info = pkg.infos.get(part)
            if info is None or info.file_size < BIG or maps.load(pkg, part) is not None:
                future.cancel()  # small, or written by ShopOps (its frame is kept)
            elif future.set_running_or_notify_cancel():
                reader = reader or open_reader(content)
                future.set_result(load(reader, pkg.sheets[name].name))
    except Exception as exc:  # whoever claims a sheet parses it then, and meets the error
        for future in parsed.values():
            if not future.cancel() and not future.done():
                future.set_exception(exc)


def claim(path: Path, content: bytes) -> dict[str, Future]:
    """The parses `start` began of the workbook at `path`, by sheet, if it read these very
    bytes (each gives fastexcel's sheet, None when strict mode refused it, or is cancelled:
    not parsed); else none."""
    started = _started.pop(Path(path).resolve(), None)
    if started is None:
        return {}
    data, parsed = started
    try:
        same = data.result() == content
    except OSError:
        same = False
    if not same:
        for future in parsed.values():
            future.cancel()
        return {}
    return parsed

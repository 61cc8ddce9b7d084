"""The ShopOps Excel face from its text sources in workbook/ — xlwings' own standalone VBA (read
from the installed package so the versions match), the ShopOps ribbon callback, the ribbon and
the xlwings.conf rows — and the books that carry it: the repo's ShopOps.xlsm
(`build-workbook`), and through `excel/face.py` every book `init`, the demo and `upgrade` make.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import sys
from pathlib import Path

import xlwings

from shopsheet.book.make.create import new_workbook
from shopsheet.excel.face import (CONF_SHEET, REL_RIBBON, RIBBON_PART, WORKBOOK_CODE_NAME, Face,
                                  code_name, with_face)
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data

XLWINGS_DIR = Path(xlwings.__file__).parent
SOURCES = Path(__file__).resolve().parent.parent.parent / "workbook"
__all__ = ["CONF_SHEET", "REL_RIBBON", "RIBBON_PART", "WORKBOOK_CODE_NAME", "build_workbook",
           "code_name", "face", "sheet_names"]


def sheet_names() -> list[str]:
    return [*SHEETS, CONF_SHEET]


@functools.cache
def xlwings_modules() -> dict[str, str]:
    """xlwings' standalone VBA: the `xlwings` module shipped with the installed package."""
    return {"xlwings": (XLWINGS_DIR / "xlwings.bas").read_text(encoding="cp1252")}


@functools.cache
def xlwings_classes() -> dict[str, str]:
    """The `Dictionary` class xlwings' VBA needs on macOS, from the package's own standalone
    quickstart workbook (the package ships it nowhere else)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(XLWINGS_DIR / "quickstart_standalone.xlsm"))
    try:
        for _unused, _unused, name, code in parser.extract_macros():
            if name == "Dictionary.cls":
                return {"Dictionary": code.replace("\r\n", "\n")}
    finally:
        parser.close()
    raise RuntimeError("xlwings' quickstart_standalone.xlsm has no Dictionary class module")


def conf_rows(sources: Path) -> list[list[str]]:
    with open(Path(sources) / "xlwings.conf.csv", encoding="utf-8", newline="") as fh:
        return [row + [""] * (2 - len(row)) for row in csv.reader(fh) if row]


def this_python(rows: list[list[str]], platform: str = sys.platform,
                executable: str = sys.executable) -> list[list[str]]:
    """The xlwings.conf rows with this platform's interpreter set to the Python running
    ShopOps (on Windows its windowless pythonw.exe beside it), so the ribbon's buttons run the
    same ShopOps as the command line; the other platform keeps the README's default."""
    key = {"win32": "Interpreter_Win", "darwin": "Interpreter_Mac"}.get(platform)
    if key is None or not executable:
        return rows
    exe = Path(executable)
    if platform == "win32" and exe.with_name("pythonw.exe").exists():
        exe = exe.with_name("pythonw.exe")
    return [[k, str(exe) if k == key else v] for k, v in rows]


def face(sources: Path = SOURCES, conf: list[list[str]] | None = None) -> Face:
    """This version's face; `conf` defaults to the sources' xlwings.conf rows."""
    sources = Path(sources)
    return Face(modules={**xlwings_modules(),
                         "ShopOps": (sources / "ShopOps.bas").read_text(encoding="cp1252")},
                classes=xlwings_classes(), ribbon=(sources / "customUI14.xml").read_bytes(),
                conf=conf if conf is not None else conf_rows(sources))


def users_face() -> Face:
    """The face of a book made for the user here: interpreter paths of this Python."""
    return face(SOURCES, this_python(conf_rows(SOURCES)))


def build_workbook(sources: Path, out: Path, today: dt.date) -> None:
    """Write ShopOps.xlsm to `out` (replacing it) from the sources folder: the sheets `init`
    makes with the face, the xlwings.conf rows as the sources give them."""
    data = with_face(new_workbook(starter_data(today), "ShopOps"), out.name, face(sources)).data
    tmp = out.with_name(f".{out.name}.build")
    tmp.write_bytes(data)
    tmp.replace(out)

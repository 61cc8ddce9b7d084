"""Build ShopOps.xlsm from its text sources in workbook/: the sheets `shopops init` makes, an
`xlwings.conf` sheet, a VBA project (xlwings' own standalone VBA, read from the installed
package so the versions match, plus the ShopOps ribbon callback) and the ribbon part
`customUI/customUI14.xml` with its relationship in `_rels/.rels`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import xlsxwriter
import xlwings
from lxml import etree

from shopsheet.book.create import add_shop_sheets
from shopsheet.book.package import NS_PKG_REL
from shopsheet.excel.vba import build_vba_project
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data

XLWINGS_DIR = Path(xlwings.__file__).parent
CONF_SHEET = "xlwings.conf"
RIBBON_PART = "customUI/customUI14.xml"
REL_RIBBON = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
WORKBOOK_CODE_NAME = "ThisWorkbook"


def code_name(sheet: str) -> str:
    """A sheet's VBA code name: `shProducts`, `shXlwingsConf`."""
    return "sh" + "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", sheet))


def sheet_names() -> list[str]:
    return [*SHEETS, CONF_SHEET]


def xlwings_modules() -> dict[str, str]:
    """xlwings' standalone VBA: the `xlwings` module shipped with the installed package."""
    return {"xlwings": (XLWINGS_DIR / "xlwings.bas").read_text(encoding="cp1252")}


def xlwings_classes() -> dict[str, str]:
    """The `Dictionary` class xlwings' VBA needs on macOS, from the package's own standalone
    quickstart workbook (the package ships it nowhere else)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(XLWINGS_DIR / "quickstart_standalone.xlsm"))
    try:
        for _, _, name, code in parser.extract_macros():
            if name == "Dictionary.cls":
                return {"Dictionary": code.replace("\r\n", "\n")}
    finally:
        parser.close()
    raise RuntimeError("xlwings' quickstart_standalone.xlsm has no Dictionary class module")


def conf_rows(sources: Path) -> list[list[str]]:
    with open(sources / "xlwings.conf.csv", encoding="utf-8", newline="") as fh:
        return [row + [""] * (2 - len(row)) for row in csv.reader(fh) if row]


def build_workbook(sources: Path, out: Path, today: dt.date) -> None:
    """Write ShopOps.xlsm to `out` (replacing it) from the sources folder."""
    sources = Path(sources)
    modules = {**xlwings_modules(),
               "ShopOps": (sources / "ShopOps.bas").read_text(encoding="cp1252")}
    vba = build_vba_project(modules, [code_name(s) for s in sheet_names()], WORKBOOK_CODE_NAME,
                            xlwings_classes())
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False})
    wb.set_properties({"title": "ShopOps", "comments": "Built by shopops build-workbook"})
    add_shop_sheets(wb, starter_data(today))
    conf = wb.add_worksheet(CONF_SHEET)
    for r, (key, value) in enumerate(conf_rows(sources)):
        conf.write_string(r, 0, key)
        conf.write_string(r, 1, value)
    conf.set_column(0, 0, 18)
    conf.set_column(1, 1, 60)
    wb.set_vba_name(WORKBOOK_CODE_NAME)
    for ws in wb.worksheets():
        ws.set_vba_name(code_name(ws.get_name()))
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.close()
    ribbon = (sources / "customUI14.xml").read_bytes()
    data = _with_ribbon(buffer.getvalue(), ribbon)
    tmp = out.with_name(f".{out.name}.build")
    tmp.write_bytes(data)
    tmp.replace(out)


def _with_ribbon(package: bytes, ribbon: bytes) -> bytes:
    """The package with the ribbon part added and listed in the package relationships."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "_rels/.rels":
                rels = etree.fromstring(content)
                etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship", Id="rIdShopOpsRibbon",
                                 Type=REL_RIBBON, Target=RIBBON_PART)
                content = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            dst.writestr(info, content)
        dst.writestr(zipfile.ZipInfo(RIBBON_PART, date_time=(1980, 1, 1, 0, 0, 0)), ribbon,
                     compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()

"""Is a ShopOps.xlsm current with its sources? Compares what matters — VBA module sources, the
ribbon XML and its relationship, sheet order, headers, Tables, code names and the xlwings.conf
sheet — not bytes or timestamps, which change on every build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine
from lxml import etree

from shopsheet.book.write.package import NS_MAIN, NS_PKG_REL, Package
from shopsheet.book.write.tables import read_table
from shopsheet.excel.build import (CONF_SHEET, REL_RIBBON, RIBBON_PART, WORKBOOK_CODE_NAME,
                                   code_name, conf_rows, sheet_names, xlwings_classes,
                                   xlwings_modules)
from shopsheet.sheets import SHEETS


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → source text (LF line ends) as oletools reads it back from the file."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n").rstrip("\n")
                for _unused, _unused, name, code in parser.extract_macros()}
    finally:
        parser.close()


def differences(xlsm: Path, sources: Path) -> list[str]:
    """Plain-words differences between `xlsm` and what `sources` would build; [] if current."""
    found: list[str] = []
    with zipfile.ZipFile(xlsm) as zf:
        names = set(zf.namelist())
        if RIBBON_PART not in names:
            found.append(f"no ribbon part {RIBBON_PART}")
        elif zf.read(RIBBON_PART) != (Path(sources) / "customUI14.xml").read_bytes():
            found.append("the ribbon differs from workbook/customUI14.xml")
        rels = etree.fromstring(zf.read("_rels/.rels"))
        if not any(r.get("Type") == REL_RIBBON and r.get("Target").lstrip("/") == RIBBON_PART
                   for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")):
            found.append("_rels/.rels does not point at the ribbon")
    found += _vba_differences(xlsm, sources)
    found += _sheet_differences(xlsm, sources)
    return found


def _vba_differences(xlsm: Path, sources: Path) -> list[str]:
    want = {**xlwings_modules(), **xlwings_classes(),
            "ShopOps": (Path(sources) / "ShopOps.bas").read_text(encoding="cp1252")}
    got = vba_modules(xlsm)
    found = [f"VBA module {name} differs from its source" for name, code in want.items()
             if got.get(name) != code.replace("\r\n", "\n").rstrip("\n")]
    documents = {WORKBOOK_CODE_NAME, *map(code_name, sheet_names())}
    missing = documents - set(got)
    if missing:
        found.append("VBA document modules missing: " + ", ".join(sorted(missing)))
    return found


def _sheet_differences(xlsm: Path, sources: Path) -> list[str]:
    pkg = Package(xlsm.read_bytes(), xlsm.name)
    if list(pkg.sheets) != sheet_names():
        return [f"sheets are {list(pkg.sheets)}, expected {sheet_names()}"]
    found = []
    book = python_calamine.CalamineWorkbook.from_path(str(xlsm))
    for name, spec in SHEETS.items():
        header = book.get_sheet_by_name(name).to_python()[0]
        if header != [c.label for c in spec.columns]:
            found.append(f"{name}: headers differ from the sheet catalogue")
        tables = [read_table(p, pkg.read(p)).name for p in pkg.sheet(name).tables]
        if tables != [spec.table_name]:
            found.append(f"{name}: Table is {tables}, expected {spec.table_name}")
    for name in sheet_names():
        sheet_pr = etree.fromstring(pkg.read(pkg.sheet(name).part)).find(f"{{{NS_MAIN}}}sheetPr")
        if sheet_pr is None or sheet_pr.get("codeName") != code_name(name):
            found.append(f"{name}: code name is not {code_name(name)}")
    conf = [[str(v) for v in row[:2]] for row in book.get_sheet_by_name(CONF_SHEET).to_python()]
    if conf != conf_rows(sources):
        found.append("the xlwings.conf sheet differs from workbook/xlwings.conf.csv")
    return found

"""Add the sheets a newer ShopOps has to a workbook made before them (Listings, Kits): each an
Excel Table with the catalogue's headers, frozen header row, column widths and drop-downs on
its choice columns — like `init` makes it — appended after the book's own sheets.

A package patch, as everywhere: new parts (sheet, its relationships, its Table) are added, the
workbook part, its relationships and the content types are edited; nothing else changes.
"""

from __future__ import annotations

import io
import posixpath
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from shopsheet.book.write.package import NS_MAIN, NS_REL, Package, write_package
from shopsheet.book.write.packagepatch import PackagePatch
from shopsheet.book.write.sheetxml import col_letter
from shopsheet.book.write.tables import read_table
from shopsheet.core.language import _
from shopsheet.core.words import shown_words
from shopsheet.sheets import SHEETS, SheetSpec, header_of, sheet_title

REL_WORKSHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
LAST_ROW = 1_048_576


def missing_sheets(pkg: Package) -> list[SheetSpec]:
    """Catalogue sheets the book lacks that a book may lack (the optional ones)."""
    have = {name.casefold() for name in pkg.sheets}
    return [spec for spec in SHEETS.values() if spec.optional and spec.name.casefold() not in have]


def with_missing_sheets(data: bytes, name: str, chinese: bool = False) -> tuple[bytes, list[str]]:
    """The package with the optional catalogue sheets it lacks added (in a Chinese book with
    Chinese titles, headers and drop-downs), and their names."""
    pkg = Package(data, name)
    specs = missing_sheets(pkg)
    if not specs:
        return data, []
    patch = PackagePatch(pkg)
    tables = [read_table(part, pkg.read(part)) for s in pkg.sheets.values() for part in s.tables]
    ids = [int(etree.fromstring(pkg.read(t.part)).get("id", "0")) for t in tables]
    taken_names = {t.name.casefold() for t in tables}
    for spec in specs:
        if spec.table_name.casefold() in taken_names:
            continue  # a Table of that name elsewhere: the owner's; leave the sheet to them
        ids.append(max(ids, default=0) + 1)
        _add_sheet(patch, spec, ids[-1], chinese)
    patch.finish()
    out = io.BytesIO()
    write_package(pkg, out, patch.replaced, set(), patch.added)
    return out.getvalue(), [s.name for s in specs if s.table_name.casefold() not in taken_names]


def _free(pkg: Package, patch: PackagePatch, pattern: str) -> str:
    return next(p for n in range(1, 100_000) if (p := pattern.format(n)) not in pkg.infos
                and p not in patch.added)


def _add_sheet(patch: PackagePatch, spec: SheetSpec, table_id: int, chinese: bool) -> None:
    folder = posixpath.dirname(patch.wb_part)
    part = _free(patch.pkg, patch, folder + "/worksheets/sheet{}.xml")
    table = _free(patch.pkg, patch, folder + "/tables/table{}.xml")
    columns = spec.columns
    last = col_letter(len(columns) - 1)
    cols = "".join(f'<col min="{i}" max="{i}" width="{c.col_width + 0.71:g}" customWidth="1"/>'
                   for i, c in enumerate(columns, start=1))
    labels = [header_of(c, chinese) for c in columns]
    header = "".join(f'<c r="{col_letter(i)}1" t="inlineStr"><is><t>{escape(label)}</t></is></c>'
                     for i, label in enumerate(labels))
    lists = [(i, c, shown_words(c.choices, chinese)) for i, c in enumerate(columns) if c.choices]
    validations = "".join(
        f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
        f'errorTitle={quoteattr(labels[i])} '
        f'error={quoteattr(_("Choose one of: {words}").format(words=", ".join(words)))} '
        f'sqref="{col_letter(i)}2:{col_letter(i)}{LAST_ROW}">'
        f'<formula1>{escape(quoteattr(",".join(words)))}</formula1></dataValidation>'
        for i, c, words in lists)
    patch.added[part] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheetPr><tabColor rgb="FF4472C4"/>'
        f'</sheetPr><dimension ref="A1:{last}2"/><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{header}</row></sheetData>'
        + (f'<dataValidations count="{len(lists)}">{validations}</dataValidations>' if lists
           else "")
        + '<pageMargins left="0.4" right="0.4" top="1" bottom="0.9" header="0.3" '
          'footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/>'
          '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    ).encode("utf-8")
    table_columns = "".join(f'<tableColumn id="{i}" name={quoteattr(label)}/>'
                            for i, label in enumerate(labels, start=1))
    patch.added[table] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{NS_MAIN}" id="{table_id}" name="{spec.table_name}" '
        f'displayName="{spec.table_name}" ref="A1:{last}2" totalsRowShown="0">'
        f'<autoFilter ref="A1:{last}2"/><tableColumns count="{len(columns)}">{table_columns}'
        '</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" '
        'showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode("utf-8")
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    patch.added[rels] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_TABLE}" '
        f'Target="../tables/{posixpath.basename(table)}"/></Relationships>').encode("utf-8")
    rid = patch.add_rel(patch.wb_rels, REL_WORKSHEET,
                        posixpath.relpath(part, posixpath.dirname(patch.wb_part)))
    sheets = patch.workbook.find(f"{{{NS_MAIN}}}sheets")
    ids = [int(s.get("sheetId")) for s in sheets]
    etree.SubElement(sheets, f"{{{NS_MAIN}}}sheet", name=sheet_title(spec, chinese),
                     sheetId=str(max(ids, default=0) + 1), **{f"{{{NS_REL}}}id": rid})
    patch.dirty.add("workbook")
    patch.override(part, WORKSHEET_TYPE)
    patch.override(table, TABLE_TYPE)

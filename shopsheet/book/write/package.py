"""The workbook as an OPC package (a zip of XML parts), read and rewritten part by part.

This is what keeps a user's charts, images, shapes, sparklines, VBA and ribbon alive: a write
replaces only the parts it names and copies every other part byte for byte, with its original
zip entry metadata. Nothing here interprets cells; see `sheetxml.py` and `tables.py`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from shopsheet.core.errors import WorkbookDamaged
from shopsheet.core.language import _
from shopsheet.sheetnames import names_for, sheet_named

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TABLE = NS_REL + "/table"
REL_CALC_CHAIN = NS_REL + "/calcChain"


class PackageError(WorkbookDamaged):
    """The file is not a workbook package this program can patch safely."""


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str  # e.g. "xl/worksheets/sheet3.xml"
    tables: tuple[str, ...]  # table parts of this sheet


class Package:
    """Read-only view of a workbook package held in memory: parts, sheets and their tables.

    It works on the bytes read once from disk, so what is patched is exactly what was read
    (and fingerprinted), whatever happens to the file meanwhile.
    """

    def __init__(self, data: bytes, name: str):
        self.data, self.name = data, name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise PackageError(_("{book} is not an Excel workbook (.xlsx/.xlsm)").format(
                book=name)) from None
        self.infos = {i.filename: i for i in self.zip.infolist()}
        if "_rels/.rels" not in self.infos:
            raise PackageError(_("{book} is a zip file but not an Excel workbook").format(
                book=name))
        self._workbook_part = self._main_part(self.zip)
        if self._workbook_part not in self.infos:
            raise PackageError(_("{book} is damaged: its workbook part is missing. Open it in "
                                 "Excel and save it again, or use a copy from .shopops-backups")
                               .format(book=name))
        self.sheets = self._read_sheets(self.zip)

    def read(self, part: str) -> bytes:
        return self.zip.read(part)

    def sheet(self, name: str) -> SheetPart:
        """The sheet ShopOps calls `name` (its title in the book works too: `订单`)."""
        if name not in self.sheets and sheet_named(name) in self.sheets:
            name = sheet_named(name)
        try:
            return self.sheets[name]
        except KeyError:
            raise PackageError(_("{book} has no sheet named {sheet!r}").format(
                book=self.name, sheet=name)) from None

    @property
    def workbook_part(self) -> str:
        return self._workbook_part

    def calc_chain_part(self) -> str | None:
        rels = rels_part(self._workbook_part)
        if rels not in self.infos:
            return None
        for rel in etree.fromstring(self.read(rels)):
            if rel.get("Type") == REL_CALC_CHAIN:
                return _resolve(self._workbook_part, rel.get("Target"))
        return None

    def cell_parts(self) -> list[str]:
        """The shared strings and styles parts: what a sheet's cells point into."""
        rels = rels_part(self._workbook_part)
        if rels not in self.infos:
            return []
        kinds = (NS_REL + "/sharedStrings", NS_REL + "/styles")
        parts = [_resolve(self._workbook_part, rel.get("Target"))
                 for rel in etree.fromstring(self.read(rels)) if rel.get("Type") in kinds]
        return sorted(p for p in parts if p in self.infos)

    def _main_part(self, zf: zipfile.ZipFile) -> str:
        root = etree.fromstring(zf.read("_rels/.rels"))
        for rel in root:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target").lstrip("/")
        raise PackageError(_("{book} has no workbook part").format(book=self.name))

    def _read_sheets(self, zf: zipfile.ZipFile) -> dict[str, SheetPart]:
        wb = etree.fromstring(zf.read(self._workbook_part))
        pr = wb.find(f"{{{NS_MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        rels = _targets(zf, self._workbook_part)
        sheets = {}
        for el in wb.iter(f"{{{NS_MAIN}}}sheet"):
            rid = el.get(f"{{{NS_REL}}}id")
            part = rels.get(rid)
            if part is None or not part.endswith(".xml") or "worksheets/" not in part:
                continue  # chartsheets and dialog sheets hold no cells
            if part not in self.infos:
                raise PackageError(_("{book} is damaged: its sheet {sheet!r} has no contents in "
                                     "the file. Open it in Excel and save it again, or use a "
                                     "copy from .shopops-backups").format(
                    book=self.name, sheet=el.get("name")))
            tables = tuple(target for rid2, target in _targets(zf, part, REL_TABLE).items())
            sheets[el.get("name")] = SheetPart(el.get("name"), part, tables)
        return by_catalogue_name(sheets)


def by_catalogue_name(sheets: dict[str, SheetPart]) -> dict[str, SheetPart]:
    """The sheets keyed by the name ShopOps knows them by: a Chinese book's `订单` is
    Orders (its SheetPart keeps the title), unless the book also has a sheet titled Orders."""
    return {name: sheets[title] for name, title in names_for(list(sheets)).items()}


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _targets(zf: zipfile.ZipFile, part: str, rel_type: str | None = None) -> dict[str, str]:
    rels = rels_part(part)
    if rels not in zf.namelist():
        return {}
    root = etree.fromstring(zf.read(rels))
    return {
        rel.get("Id"): _resolve(part, rel.get("Target"))
        for rel in root
        if rel.get("TargetMode") != "External" and (rel_type is None or rel.get("Type") == rel_type)
    }


def write_package(pkg: Package, dest: BinaryIO, replaced: dict[str, bytes],
                  removed: set[str], added: dict[str, bytes] | None = None) -> None:
    """Write `pkg` to `dest` with `replaced` parts swapped in, `removed` parts left out and
    `added` parts appended; every other entry is copied as its original compressed bytes, in
    the original order."""
    from shopsheet.book.write.zipcopy import write_zip

    write_zip(pkg.data, pkg.zip.infolist(), dest, replaced, removed, added)


def without_calc_chain(pkg: Package, part: str) -> dict[str, bytes]:
    """The workbook rels and content types with the calcChain part unlisted.

    Excel rebuilds the calculation chain on load; a stale one (pointing at a cell whose formula
    was overwritten) makes it report the file as damaged, so overwriting a formula drops it.
    """
    rels_name = rels_part(pkg.workbook_part)
    rels = etree.fromstring(pkg.read(rels_name))
    for rel in list(rels):
        if rel.get("Type") == REL_CALC_CHAIN:
            rels.remove(rel)
    types = etree.fromstring(pkg.read("[Content_Types].xml"))
    for el in list(types):
        if el.get("PartName", "").lstrip("/") == part:
            types.remove(el)
    return {
        rels_name: etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True),
        "[Content_Types].xml": etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                              standalone=True),
    }

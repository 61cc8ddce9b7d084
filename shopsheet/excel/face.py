"""Give any workbook package the ShopOps Excel face: the VBA project (xlwings' standalone VBA and
the ShopOps ribbon callback), the ribbon part and the xlwings.conf sheet.

One path for every book: `build-workbook` (the repo's ShopOps.xlsm), `init`, the demo and
`upgrade` (a book the owner already has) all pass a package through `with_face`. It patches
the package as the writer does: the parts it names are rewritten, every other part is copied
byte for byte — the owner's charts, images, shapes, pivots and data stay as they were.

Parts touched: `[Content_Types].xml` (macro-enabled main part, the vbaProject and new sheet
types), `_rels/.rels` (the ribbon), the workbook part and its rels (code name, the
xlwings.conf sheet, the VBA project), sheet parts that have no VBA code name yet, the
ribbon part and `xl/vbaProject.bin`. The owner's own VBA is carried over (`carry.py`).
"""

from __future__ import annotations

import io
import posixpath
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from lxml import etree

from shopsheet.book.write.package import NS_CT, NS_MAIN, NS_REL, Package, _resolve, write_package
from shopsheet.book.write.packagepatch import PackagePatch, xml_bytes
from shopsheet.core.language import CHINESE, _, catalogue
from shopsheet.excel.carry import Carried, FaceRefused, carried
from shopsheet.excel.vba import build_vba_project

CONF_SHEET = "xlwings.conf"
RIBBON_PART = "customUI/customUI14.xml"
REL_RIBBON = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_RIBBON_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_CHARTSHEET = NS_REL + "/chartsheet"
NS_CUI = "http://schemas.microsoft.com/office/2009/07/customui"
WORKBOOK_CODE_NAME = "ThisWorkbook"
TAB_ID = "tabShopOps"
MAIN_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"}
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_HEAD = 1 << 16  # a sheet's sheetPr sits in its first bytes


@dataclass(frozen=True)
class Face:
    """What this version of ShopOps puts in a book."""
    modules: dict[str, str]  # standard modules: xlwings, ShopOps
    classes: dict[str, str]  # class modules: Dictionary
    ribbon: bytes
    conf: list[list[str]]  # rows of the xlwings.conf sheet


@dataclass
class Faced:
    data: bytes
    added: list[str] = field(default_factory=list)  # what was added, in words
    touched: list[str] = field(default_factory=list)  # parts rewritten or added
    carried: Carried = field(default_factory=Carried)


def code_name(sheet: str) -> str:
    """A sheet's VBA code name: `shProducts`, `shXlwingsConf`."""
    return "sh" + "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", sheet))


def ribbon_said(ribbon: bytes, chinese: bool) -> bytes:
    """The ribbon with its labels, screentips and supertips in the book's language (written in
    English in `workbook/customUI14.xml`; the catalogue holds each)."""
    if not chinese:
        return ribbon
    root = etree.fromstring(ribbon)
    words = catalogue(CHINESE)
    for element in root.iter():
        for attribute in RIBBON_WORDS:
            if element.get(attribute) and element.get("id") != TAB_ID:
                element.set(attribute, words.gettext(element.get(attribute)))
    return xml_bytes(root)


RIBBON_WORDS = ("label", "screentip", "supertip")  # the ribbon's attributes a user reads


def with_face(data: bytes, name: str, face: Face, chinese: bool = False) -> Faced:
    """The package `data` (a workbook called `name`) with the ShopOps face, current; the
    ribbon in Chinese for a Chinese book."""
    pkg = Package(data, name)
    patch = PackagePatch(pkg)
    out = Faced(b"")
    sheets = _sheets(patch)
    if not any(s["name"].lower() == CONF_SHEET for s in sheets):
        sheets.append(_add_conf_sheet(patch, face.conf))
        out.added.append(_("the {sheet} sheet").format(sheet=CONF_SHEET))
    code_names = _code_names(patch, sheets)
    pr = patch.workbook.find(f"{{{NS_MAIN}}}workbookPr")
    if pr is None:
        pr = etree.Element(f"{{{NS_MAIN}}}workbookPr")
        _insert_after(patch.workbook, pr, ("fileVersion", "fileSharing"))
    workbook_code = pr.get("codeName") or WORKBOOK_CODE_NAME
    if pr.get("codeName") != workbook_code:
        pr.set("codeName", workbook_code)
        patch.dirty.add("workbook")

    vba_part = patch.target(patch.wb_rels, REL_VBA, patch.wb_part)
    own = pkg.read(vba_part) if vba_part and vba_part in pkg.infos else None
    out.carried = carried(own, {workbook_code, *code_names.values()}, name)
    project = build_vba_project(
        {**out.carried.modules, **face.modules}, list(code_names.values()), workbook_code,
        {**out.carried.classes, **face.classes}, out.carried.documents,
        tuple(code_names[s["name"]] for s in sheets if s["kind"] == "chartsheet"))
    if vba_part is None:
        vba_part = posixpath.join(posixpath.dirname(patch.wb_part), "vbaProject.bin")
        patch.add_rel(patch.wb_rels, REL_VBA, "vbaProject.bin")
        out.added.append(_("the VBA project"))
    patch.replaced[vba_part] = project
    _vba_type(patch, vba_part)
    patch.override(patch.wb_part, _main_type(patch))

    ribbon = _put_ribbon(patch, ribbon_said(face.ribbon, chinese))
    if ribbon:
        out.added.append(ribbon)
    patch.finish()
    out.touched = [*patch.replaced, *patch.added]
    buffer = io.BytesIO()
    write_package(pkg, buffer, patch.replaced, set(), patch.added)
    out.data = buffer.getvalue()
    return out


def _main_type(patch: PackagePatch) -> str:
    for el in patch.types.iter(f"{{{NS_CT}}}Override"):
        if el.get("PartName") == "/" + patch.wb_part and el.get("ContentType") not in MAIN_TYPES:
            return el.get("ContentType")  # already macro-enabled (or a template: kept)
    return MACRO_MAIN


def _sheets(patch: PackagePatch) -> list[dict]:
    rels = {r.get("Id"): r for r in patch.wb_rels}
    found = []
    for el in patch.workbook.iter(f"{{{NS_MAIN}}}sheet"):
        rel = rels.get(el.get(f"{{{NS_REL}}}id"))
        if rel is None or rel.get("Type") not in (REL_WORKSHEET, REL_CHARTSHEET) \
                or rel.get("TargetMode") == "External":
            continue  # dialog and macro sheets have no document module
        found.append({"name": el.get("name"), "part": _resolve(patch.wb_part, rel.get("Target")),
                      "kind": rel.get("Type").rsplit("/", 1)[1]})
    return found


_SHEET_PR = re.compile(rb"<((?:[\w.-]+:)?)sheetPr\b([^>]*?)(/?)>")
_ROOT = re.compile(rb"<((?:[\w.-]+:)?)(?:worksheet|chartsheet)\b[^>]*>")
_CODE_NAME = re.compile(rb'\bcodeName="([^"]*)"')


def _code_names(patch: PackagePatch, sheets: list[dict]) -> dict[str, str]:
    """Each sheet's VBA code name; sheets without one get one (`shProducts`), written into
    their part's sheetPr. Existing code names are kept: the owner's VBA may use them."""
    names: dict[str, str] = {}
    missing = []
    for sheet in sheets:
        data = patch.replaced.get(sheet["part"]) or patch.added.get(sheet["part"]) \
            or patch.pkg.read(sheet["part"])
        pr = _SHEET_PR.search(data, 0, _HEAD)
        found = _CODE_NAME.search(pr.group(2)) if pr else None
        if found:
            names[sheet["name"]] = found.group(1).decode()
        else:
            missing.append((sheet, data, pr))
    taken = {n.lower() for n in names.values()} | {WORKBOOK_CODE_NAME.lower()}
    for sheet, data, pr in missing:
        wanted = code_name(sheet["name"])
        if len(wanted) < 3 or len(wanted) > 31 or wanted.lower() in taken:
            wanted = next(f"Sheet{n}" for n in range(1, 10_000) if f"sheet{n}" not in taken)
        taken.add(wanted.lower())
        names[sheet["name"]] = wanted
        attribute = f' codeName="{wanted}"'.encode()
        if pr:
            data = data[:pr.start(2)] + attribute + data[pr.start(2):]
        else:
            root = _ROOT.search(data, 0, _HEAD)
            prefix = root.group(1)
            data = (data[:root.end()] + b"<" + prefix + b"sheetPr" + attribute + b"/>"
                    + data[root.end():])
        target = patch.added if sheet["part"] in patch.added else patch.replaced
        target[sheet["part"]] = data
    return names


def _add_conf_sheet(patch: PackagePatch, rows: list[list[str]]) -> dict:
    folder = posixpath.join(posixpath.dirname(patch.wb_part), "worksheets")
    part = next(p for n in range(1, 100_000)
                if (p := f"{folder}/sheet{n}.xml") not in patch.pkg.infos)
    cells = []
    for r, row in enumerate(rows, start=1):
        values = "".join(f'<c r="{col}{r}" t="inlineStr"><is><t xml:space="preserve">'
                         f"{escape(value)}</t></is></c>"
                         for col, value in zip("AB", row) if value != "")
        cells.append(f'<row r="{r}">{values}</row>')
    patch.added[part] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheetPr/>'
        f'<dimension ref="A1:B{max(len(rows), 1)}"/><sheetViews><sheetView workbookViewId="0"/>'
        '</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="18" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f'<sheetData>{"".join(cells)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>").encode("utf-8")
    target = posixpath.relpath(part, posixpath.dirname(patch.wb_part))
    rid = patch.add_rel(patch.wb_rels, REL_WORKSHEET, target)
    sheets = patch.workbook.find(f"{{{NS_MAIN}}}sheets")
    ids = [int(s.get("sheetId")) for s in sheets]
    etree.SubElement(sheets, f"{{{NS_MAIN}}}sheet", name=CONF_SHEET,
                     sheetId=str(max(ids, default=0) + 1), **{f"{{{NS_REL}}}id": rid})
    patch.dirty.add("workbook")
    patch.override(part, WORKSHEET_TYPE)
    return {"name": CONF_SHEET, "part": part, "kind": "worksheet"}


def _put_ribbon(patch: PackagePatch, ribbon: bytes) -> str | None:
    """Our ribbon as the book's customUI14 part; an owner's own ribbon keeps its tabs and gets
    ours beside them. Says what was added, if anything (a refresh adds nothing)."""
    if patch.target(patch.root_rels, REL_RIBBON_2007, "") and \
            not patch.target(patch.root_rels, REL_RIBBON, ""):
        raise FaceRefused(_("{book} has an Office 2007 ribbon of its own (customUI.xml); ShopOps "
                            "cannot merge its tab into that format. Nothing was changed.").format(
            book=patch.pkg.name))
    part = patch.target(patch.root_rels, REL_RIBBON, "")
    if part is None:
        patch.add_rel(patch.root_rels, REL_RIBBON, RIBBON_PART)
        patch.replaced[RIBBON_PART] = ribbon
        _xml_type(patch, RIBBON_PART)
        return _("the ShopOps ribbon tab")
    theirs = etree.fromstring(patch.pkg.read(part))
    tabs = theirs.find(f"{{{NS_CUI}}}ribbon/{{{NS_CUI}}}tabs")
    ours_tab = etree.fromstring(ribbon).find(f".//{{{NS_CUI}}}tab[@id='{TAB_ID}']")
    is_ours = tabs is not None and [t.get("id") for t in tabs] == [TAB_ID] \
        and list(theirs.find(f"{{{NS_CUI}}}ribbon")) == [tabs] and len(theirs) == 1
    if is_ours:
        if patch.pkg.read(part) != ribbon:
            patch.replaced[part] = ribbon  # ShopOps' own tab: this version's
        return None
    if theirs.tag != f"{{{NS_CUI}}}customUI":
        raise FaceRefused(_("{book} has a ribbon part ShopOps does not understand ({part}); "
                            "nothing was changed.").format(book=patch.pkg.name, part=part))
    merged = tabs is not None and any(t.get("id") == TAB_ID for t in tabs)
    if merged and [etree.tostring(t) for t in tabs if t.get("id") == TAB_ID] == \
            [etree.tostring(ours_tab)]:
        return None  # our tab, current, beside the owner's
    if tabs is None:
        holder = theirs.find(f"{{{NS_CUI}}}ribbon")
        if holder is None:
            holder = etree.SubElement(theirs, f"{{{NS_CUI}}}ribbon")
        tabs = etree.SubElement(holder, f"{{{NS_CUI}}}tabs")
    for tab in tabs.findall(f"{{{NS_CUI}}}tab[@id='{TAB_ID}']"):
        tabs.remove(tab)
    tabs.append(ours_tab)
    patch.replaced[part] = xml_bytes(theirs)
    return None if merged else _("the ShopOps tab beside the book's own ribbon tabs")


def _xml_type(patch: PackagePatch, part: str) -> None:
    if patch.default("xml") != "application/xml":
        patch.override(part, "application/xml")


def _vba_type(patch: PackagePatch, part: str) -> None:
    """As Excel writes it, `Default Extension="bin"`, unless .bin already means something else
    in this package (printer settings): then an Override for the part."""
    kind = patch.default("bin")
    if kind is None:
        patch.add_default("bin", VBA_TYPE)
    elif kind != VBA_TYPE:
        patch.override(part, VBA_TYPE)


def _insert_after(parent: etree._Element, child: etree._Element, after: tuple[str, ...]) -> None:
    index = 0
    for i, el in enumerate(parent):
        if etree.QName(el).localname in after:
            index = i + 1
    parent.insert(index, child)

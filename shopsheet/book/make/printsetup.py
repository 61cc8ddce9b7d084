"""The print set-up `init` gives every sheet, added to the ShopOps sheets of a book made before
it (by `upgrade`): A4, one page wide, landscape where wide, the header row on every page, the
sheet's name, the file's and the date in the page header, page numbers in the footer.

Only sheets without a page set-up of their own are changed (the owner's choices stay), and in a
sheet only its tail after the cells — page margins, set-up, header and footer — and the
`sheetPr` at its head: a year of orders is not parsed for it.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from lxml import etree

from shopsheet.book.make.create import LANDSCAPE_WIDTH, PAGE_FOOTER, PAGE_HEADER
from shopsheet.book.write.package import NS_MAIN, Package, write_package
from shopsheet.book.write.packagepatch import PackagePatch
from shopsheet.sheets import SHEETS

HEADER, FOOTER = escape(PAGE_HEADER), escape(PAGE_FOOTER)  # init's, as XML text
MARGINS = '<pageMargins left="0.4" right="0.4" top="1" bottom="0.9" header="0.3" footer="0.3"/>'
# what may follow pageSetup/headerFooter in a worksheet, in schema order
AFTER = ("rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
         "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
         "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")


def with_print_setup(data: bytes, name: str) -> tuple[bytes, list[str]]:
    """The package with a print set-up on each ShopOps sheet that has none; and their names."""
    pkg = Package(data, name)
    patch = PackagePatch(pkg)
    done = []
    order = [el.get("name") for el in patch.workbook.iter(f"{{{NS_MAIN}}}sheet")]
    for index, sheet in enumerate(order):  # defined names count every sheet, charts too
        spec = SHEETS.get(sheet)
        if spec is None or sheet not in pkg.sheets:
            continue
        part = pkg.sheets[sheet].part
        xml = pkg.read(part)
        end = xml.rfind(b"</sheetData>")
        if end < 0 or re.search(rb"<(?:\w+:)?pageSetup\b", xml[end:]) or b"<sheetData/>" in xml:
            continue
        wide = sum(c.col_width for c in spec.columns) > LANDSCAPE_WIDTH
        patch.replaced[part] = _set_up(xml, end, wide)
        _print_titles(patch, sheet, index)
        done.append(sheet)
    if not done:
        return data, []
    patch.finish()
    out = io.BytesIO()
    write_package(pkg, out, patch.replaced, set(), patch.added)
    return out.getvalue(), done


def _set_up(xml: bytes, end: int, wide: bool) -> bytes:
    head, body, tail = xml[:_head_end(xml)], xml[_head_end(xml):end], xml[end:]
    head = _fit_to_page(head)
    tail = re.sub(rb"<(?:\w+:)?pageMargins\b[^>]*/>", b"", tail)
    tail = re.sub(rb"<(?:\w+:)?headerFooter\b.*?</(?:\w+:)?headerFooter>|"
                  rb"<(?:\w+:)?headerFooter\b[^>]*/>", b"", tail, flags=re.S)
    setup = (MARGINS + f'<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0" '
             f'orientation="{"landscape" if wide else "portrait"}"/>'
             f"<headerFooter><oddHeader>{HEADER}</oddHeader><oddFooter>{FOOTER}</oddFooter>"
             "</headerFooter>").encode()
    later = [m.start() for name in AFTER
             if (m := re.search(rb"<(?:\w+:)?" + name.encode() + rb"\b", tail))]
    at = min(later) if later else tail.rfind(b"</")
    return head + body + tail[:at] + setup + tail[at:]


def _head_end(xml: bytes) -> int:
    found = re.search(rb"<(?:\w+:)?sheetData\b", xml)
    return found.start() if found else 0


def _fit_to_page(head: bytes) -> bytes:
    """`sheetPr` asks for fitting to pages (a `pageSetUpPr` element)."""
    if re.search(rb"<(?:\w+:)?pageSetUpPr\b", head):
        return re.sub(rb"<((?:\w+:)?)pageSetUpPr\b([^>]*?)/>",
                      lambda m: b"<" + m.group(1) + b"pageSetUpPr" +
                      re.sub(rb'\sfitToPage="[^"]*"', b"", m.group(2)) + b' fitToPage="1"/>',
                      head, count=1)
    closed = re.search(rb"<((?:\w+:)?)sheetPr\b([^>]*?)/>", head)
    if closed:
        return (head[:closed.start()] + b"<" + closed.group(1) + b"sheetPr" + closed.group(2)
                + b"><" + closed.group(1) + b'pageSetUpPr fitToPage="1"/></' + closed.group(1)
                + b"sheetPr>" + head[closed.end():])
    opened = re.search(rb"</((?:\w+:)?)sheetPr>", head)
    if opened:
        return (head[:opened.start()] + b"<" + opened.group(1) + b'pageSetUpPr fitToPage="1"/>'
                + head[opened.start():])
    root = re.search(rb"<((?:\w+:)?)worksheet\b[^>]*>", head)
    return (head[:root.end()] + b"<" + root.group(1) + b"sheetPr><" + root.group(1)
            + b'pageSetUpPr fitToPage="1"/></' + root.group(1) + b"sheetPr>"
            + head[root.end():])


def _print_titles(patch: PackagePatch, sheet: str, index: int) -> None:
    """The header row repeated on every printed page: the sheet's `_xlnm.Print_Titles`."""
    names = patch.workbook.find(f"{{{NS_MAIN}}}definedNames")
    if names is None:
        names = etree.Element(f"{{{NS_MAIN}}}definedNames")
        before = [el for el in patch.workbook if etree.QName(el).localname in
                  ("sheets", "functionGroups", "externalReferences")]
        before[-1].addnext(names)
    for el in names:
        if el.get("name") == "_xlnm.Print_Titles" and el.get("localSheetId") == str(index):
            return
    quoted = "'" + sheet.replace("'", "''") + "'"
    el = etree.SubElement(names, f"{{{NS_MAIN}}}definedName", name="_xlnm.Print_Titles",
                          localSheetId=str(index))
    el.text = f"{quoted}!$1:$1"
    patch.dirty.add("workbook")

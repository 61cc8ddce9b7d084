"""Edits to a workbook's package that tests need to make an older or damaged book."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def without_sheet(book: Path, sheet: str) -> None:
    """`book` as if it had no `sheet`: its entry taken out of the workbook part (the part
    itself left where it is, as a book made before the sheet existed would not list it)."""
    with zipfile.ZipFile(book) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb'<sheet name="' + re.escape(sheet.encode()) + rb'"[^>]*/>',
                              b"", data)
            zf.writestr(info, data)

"""What a workbook's own VBA project holds that an upgrade must carry into the new one.

`shopops upgrade` rebuilds `xl/vbaProject.bin` from text (ShopOps cannot edit a compiled
project in place). The owner's standard and class modules and the code in their sheets'
and workbook's document modules are read back as text with oletools and built in again;
ShopOps' own modules (xlwings, Dictionary, ShopOps) are replaced by this version's.

What text cannot carry is refused or told, never dropped silently:
- UserForms (a designer storage beside the code) cannot be rebuilt: the upgrade is refused;
- library references (Tools › References) beyond VBA, Excel, stdole and Office are not
  rebuilt: they are named so the owner can tick them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopsheet.core.errors import SetupProblem
from shopsheet.core.language import _

OURS = {"xlwings", "Dictionary", "ShopOps"}
STANDARD_LIBRARIES = ("Visual Basic For Applications", "Microsoft Excel", "OLE Automation",
                      "Microsoft Office")
_ATTRIBUTE = re.compile(r"^Attribute VB_\w+\s*=.*$", re.MULTILINE)
_DOCUMENT_BASE = 'Attribute VB_Base = "0{000208'  # Excel's workbook, sheet and chart classes
_REFERENCE = re.compile(rb"\*\\[GHC]\{[0-9A-Fa-f-]{36}\}#[^#]*#[^#]*#[^#]*#([\x20-\xff]+)")


class FaceRefused(SetupProblem):
    """The workbook cannot take the ShopOps face without losing something (its VBA holds
    what a rebuilt project would lose); nothing was written."""


@dataclass
class Carried:
    modules: dict[str, str] = field(default_factory=dict)  # standard modules, with attributes
    classes: dict[str, str] = field(default_factory=dict)  # class modules, with attributes
    documents: dict[str, str] = field(default_factory=dict)  # code name → code (no attributes)
    references: list[str] = field(default_factory=list)  # libraries to tick again


def carried(vba_project: bytes | None, document_names: set[str], book: str) -> Carried:
    """The owner's VBA from `vba_project` (None: the book has none). `document_names` are the
    code names of the book's workbook and sheets: their modules are document modules."""
    out = Carried()
    if vba_project is None:
        return out
    import olefile
    from oletools.olevba import VBA_Parser, decompress_stream

    ole = olefile.OleFileIO(vba_project)
    try:
        project = ole.openstream("PROJECT").read().decode("cp1252", "replace")
        forms = re.findall(r"^BaseClass=(.+?)\s*$", project, re.MULTILINE)
        if forms:
            raise FaceRefused(
                _("{book}: its VBA project has UserForms ({forms}), which ShopOps cannot "
                  "rebuild; nothing was changed. Add the ShopOps tab by hand instead: "
                  "docs/excel.md, 'Adding the tab to a book with UserForms'.").format(
                    book=book, forms=", ".join(forms)))
        directory = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    finally:
        ole.close()
    out.references = sorted({m.decode("cp1252").rstrip("/") for m in _REFERENCE.findall(directory)}
                            - {""})
    out.references = [r for r in out.references if not r.startswith(STANDARD_LIBRARIES)]
    parser = VBA_Parser("vbaProject.bin", data=vba_project)
    try:
        for _unused, _unused, filename, code in parser.extract_macros():
            name, kind = filename.rsplit(".", 1)
            code = code.replace("\r\n", "\n").rstrip("\n")
            if name in OURS:
                continue
            try:
                code.encode("cp1252")
            except UnicodeEncodeError:
                raise FaceRefused(_("{book}: its VBA module {module} holds characters ShopOps "
                                    "can only store in a Western (cp1252) project; nothing "
                                    "was changed.").format(book=book, module=name)) from None
            body = _ATTRIBUTE.sub("", code).strip("\n")
            if name in document_names:
                if body:
                    out.documents[name] = body
            elif _DOCUMENT_BASE in code:  # a module of a sheet the book no longer has
                if body:
                    raise FaceRefused(_("{book}: its VBA project has code in {module}, the "
                                        "module of a sheet the workbook no longer has; move "
                                        "that code to a standard module first. Nothing was "
                                        "changed.").format(book=book, module=name))
            elif kind == "cls":
                out.classes[name] = code
            else:
                out.modules[name] = code
    finally:
        parser.close()
    return out

"""Build a VBA project (`xl/vbaProject.bin`) from text sources, on any OS, with PyPI `ms-ovba`.

ms-ovba 0.0.1 has a bug in its MS-OVBA compression: a copy token's longest match is computed as
`0xFFFF << bitCount + 3` (which Python reads as `0xFFFF << (bitCount + 3)`, a huge number)
instead of `(0xFFFF >> bitCount) + 3`. Matches longer than a token can hold then wrap around
and long modules come out garbled. `fixed_compression` corrects it for the duration of a build;
the oletools round trip in the tests proves every module reads back identical.

ms-ovba also writes its work files into the current directory (and appends to them), so each
build runs in a fresh temporary directory.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Models.Fields.libid_reference import LibidReference
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Views.project_ole_file import ProjectOleFile
from ms_ovba_compression.ms_ovba import MsOvba

WORKBOOK_GUID = uuid.UUID("0002081900000000C000000000000046")  # Excel's ThisWorkbook class
SHEET_GUID = uuid.UUID("0002082000000000C000000000000046")  # Excel's Worksheet class
CHART_GUID = uuid.UUID("0002082100000000C000000000000046")  # Excel's Chart class
PROJECT_ID = "{5C3F0A4E-7B1D-4E8A-9C61-2D0F3B8A6E51}"
DOC_ATTRIBUTES = ('Attribute VB_Name = "{name}"\nAttribute VB_Base = "0{{{guid}}}"\n'
                  "Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\n"
                  "Attribute VB_PredeclaredId = True\nAttribute VB_Exposed = True\n"
                  "Attribute VB_TemplateDerived = False\nAttribute VB_Customizable = True\n")


def _copytoken_help(difference: int) -> dict:
    bit_count = MsOvba.ceil_log2(difference)
    length_mask = 0xFFFF >> bit_count
    return {"lengthMask": length_mask, "offsetMask": ~length_mask & 0xFFFF,
            "bitCount": bit_count, "maxLength": (0xFFFF >> bit_count) + 3}


@contextlib.contextmanager
def fixed_compression() -> Iterator[None]:
    original = MsOvba.__dict__["copytoken_help"]
    MsOvba.copytoken_help = staticmethod(_copytoken_help)
    try:
        yield
    finally:
        MsOvba.copytoken_help = original


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    before = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="shopops-vba-") as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)


def _references() -> list[Reference]:
    stdole = LibidReference(uuid.UUID("0002043000000000C000000000000046"), "2.0", "0",
                            "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation")
    office = LibidReference(uuid.UUID("2DF8D04C5BFA101BBDE500AA0044DE52"), "2.0", "0",
                            r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
                            "Microsoft Office 16.0 Object Library")
    return [Reference(ReferenceRegistered(stdole), "stdole"),
            Reference(ReferenceRegistered(office), "Office")]


class ClassModule(DocModule):
    """A class module: stored like a document module, listed as `Class=` in the PROJECT stream
    (ms-ovba has no class module of its own)."""

    def to_project_module_string(self) -> str:
        return "Class=" + self.modName.value


def _stream_source(path: Path, code: str) -> None:
    """The module text as VBA stores it, beside `path` where ms-ovba looks: CRLF, cp1252."""
    text = code.replace("\r\n", "\n").rstrip("\n") + "\n"
    Path(f"{path}.new").write_bytes(text.replace("\n", "\r\n").encode("cp1252"))


def _document_source(name: str, guid: uuid.UUID, code: str) -> str:
    """A document module as VBA stores it: its attributes, then any code. (ms-ovba's own
    `normalize_file` appends two attributes after the code and reads in the locale's
    encoding, so document modules are written here.)"""
    return DOC_ATTRIBUTES.format(name=name, guid=str(guid).upper()) + code


def build_vba_project(modules: dict[str, str], sheet_code_names: list[str],
                      workbook_code_name: str = "ThisWorkbook",
                      classes: dict[str, str] | None = None,
                      documents: dict[str, str] | None = None,
                      chart_code_names: tuple[str, ...] = ()) -> bytes:
    """vbaProject.bin (see `_build`); the same sources give the same bytes, so a project is
    built once per process (ms-ovba compresses in pure Python: seconds for xlwings' module)."""
    return _built(tuple(modules.items()), tuple(sheet_code_names), workbook_code_name,
                  tuple((classes or {}).items()), tuple((documents or {}).items()),
                  tuple(chart_code_names), fixed_compression)


@functools.lru_cache(maxsize=8)
def _built(modules, sheet_code_names, workbook_code_name, classes, documents,
           chart_code_names, compression) -> bytes:
    return _build(dict(modules), list(sheet_code_names), workbook_code_name, dict(classes),
                  dict(documents), chart_code_names, compression)


def _build(modules: dict[str, str], sheet_code_names: list[str], workbook_code_name: str,
           classes: dict[str, str], documents: dict[str, str],
           chart_code_names: tuple[str, ...], compression) -> bytes:
    """vbaProject.bin holding standard `modules` and class modules `classes` (name → source,
    with their `Attribute VB_…` lines) and a document module for the workbook and each sheet
    code name (Excel expects one per sheet; charts sheets named in `chart_code_names`), empty
    or holding the code `documents` gives for it (an upgraded book's own event code)."""
    with _workdir() as folder, compression():
        project = VbaProject()
        project.project_id = PROJECT_ID
        for name, guid in [(workbook_code_name, WORKBOOK_GUID)] + \
                [(n, CHART_GUID if n in chart_code_names else SHEET_GUID)
                 for n in sheet_code_names]:
            source = folder / f"{name}.cls"
            _stream_source(source, _document_source(name, guid, documents.get(name, "")))
            doc = DocModule(name)
            doc.add_file(str(source))
            doc.add_guid(guid)
            project.add_module(doc)
        for kind, sources in ((StdModule, modules), (ClassModule, classes or {})):
            for name, code in sources.items():
                source = folder / f"{name}.src"
                _stream_source(source, code)
                module = kind(name)
                module.add_file(str(source))
                project.add_module(module)
        for reference in _references():
            project.add_reference(reference)
        ProjectOleFile.write_file(project)
        return (folder / "vbaProject.bin").read_bytes()

"""Every workbook the user gets carries the ShopOps Excel face — a book made by `init`, the
demo's book and one the owner already had, through `shopops upgrade` — read back with oletools
(VBA), against the ribbon schema (ribbon) and opened in LibreOffice. Upgrading keeps every
part it does not own byte-identical, carries the owner's VBA and writes nothing when current.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import olefile
import pytest
import python_calamine
from click.testing import CliRunner
from lxml import etree

from shopsheet.book import FileBook
from shopsheet.book.write.package import NS_MAIN, Package
from shopsheet.cli import cli
from shopsheet.excel.build import (SOURCES, conf_rows, face, this_python, xlwings_classes,
                                   xlwings_modules)
from shopsheet.excel.check import vba_modules
from shopsheet.excel.face import REL_RIBBON, with_face
from shopsheet.excel.vba import build_vba_project
from shopsheet.routines import init_workbook
from shopsheet.routines.upgrade import upgrade_workbook
from shopsheet.sheets import SHEETS
from tests.conftest import TODAY, parts

DATA = Path(__file__).parent / "data"
CUI = "http://schemas.microsoft.com/office/2009/07/customui"
SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "customui14-ribbon.xsd")))
FACE_PARTS = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
              "xl/_rels/workbook.xml.rels", "xl/vbaProject.bin"}


def ribbon_of(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        rels = etree.fromstring(zf.read("_rels/.rels"))
        target = [r.get("Target") for r in rels if r.get("Type") == REL_RIBBON]
        assert len(target) == 1, "one ribbon relationship"
        return etree.fromstring(zf.read(target[0].lstrip("/")))


def code_names(path: Path) -> dict[str, str]:
    pkg = Package(path.read_bytes(), path.name)
    return {name: etree.fromstring(pkg.read(sheet.part)).find(f"{{{NS_MAIN}}}sheetPr")
            .get("codeName") for name, sheet in pkg.sheets.items()}


def assert_face(path: Path) -> dict[str, str]:
    """The book is macro-enabled and carries this version's VBA, ribbon and xlwings.conf sheet;
    returns its modules as oletools reads them."""
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
        assert zf.testzip() is None
    modules = vba_modules(path)
    want = {**xlwings_modules(), **xlwings_classes(),
            "ShopOps": (SOURCES / "ShopOps.bas").read_text(encoding="cp1252")}
    for name, code in want.items():
        assert modules[name] == code.replace("\r\n", "\n").rstrip("\n"), name
    names = code_names(path)
    assert "ThisWorkbook" in modules and set(names.values()) <= set(modules)
    ribbon = ribbon_of(path)
    assert SCHEMA.validate(ribbon), SCHEMA.error_log
    assert ribbon.find(f".//{{{CUI}}}tab[@id='tabShopOps']") is not None
    conf = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "xlwings.conf").to_python()
    assert [row[0] for row in conf] == ["Interpreter_Win", "Interpreter_Mac", "PYTHONPATH",
                                        "Show Console"]
    return modules


def test_a_book_made_by_init_carries_the_face(new_book):
    assert_face(new_book)
    assert code_names(new_book)["Products"] == "shProducts"


def test_the_demo_book_carries_the_face(demo_shop):
    assert_face(demo_shop / "ShopOps.xlsm")


def test_init_xlsx_says_it_has_no_tab(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "Shop.xlsx")])
    assert result.exit_code == 0
    assert "has no ShopOps tab" in result.output and "shopops upgrade Shop.xlsx" in result.output
    with zipfile.ZipFile(tmp_path / "Shop.xlsx") as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()


def test_interpreter_paths_are_this_pythons(tmp_path):
    rows = conf_rows(SOURCES)
    exe = tmp_path / "venv" / "Scripts" / "python.exe"
    exe.parent.mkdir(parents=True)
    exe.touch()
    (exe.parent / "pythonw.exe").touch()
    windows = dict(this_python(rows, "win32", str(exe)))
    assert windows["Interpreter_Win"] == str(exe.parent / "pythonw.exe")
    assert windows["Interpreter_Mac"] == dict(rows)["Interpreter_Mac"]  # the README's default
    mac = dict(this_python(rows, "darwin", "/Users/li/ShopOps/.venv/bin/python"))
    assert mac["Interpreter_Mac"] == "/Users/li/ShopOps/.venv/bin/python"
    assert mac["Interpreter_Win"] == dict(rows)["Interpreter_Win"]
    assert this_python(rows, "linux", "/usr/bin/python3") == rows  # no Excel here


def test_upgrade_keeps_every_other_part_of_a_rich_book(rich_book):
    before = parts(rich_book)
    result = CliRunner().invoke(cli, ["upgrade", str(rich_book)])
    assert result.exit_code == 0, result.output
    assert "Rich.xlsm upgraded: the xlwings.conf sheet, the ShopOps ribbon tab" in result.output
    assert "your own VBA was carried over: Module1" in result.output
    after = parts(rich_book)
    assert set(before) <= set(after)
    # xlsxwriter gave the chart sheet no code name: it gets one (Excel keeps a module per sheet)
    assert {n for n in before if before[n] != after[n]} == FACE_PARTS | {
        "xl/chartsheets/sheet1.xml"}
    assert code_names(rich_book)["My Analysis"] == "Sheet99"  # the owner's code name kept
    sheets = sum(1 for name in before if name.startswith("xl/worksheets/sheet"))
    assert set(after) - set(before) == {"customUI/customUI14.xml",
                                        f"xl/worksheets/sheet{sheets + 1}.xml"}  # xlwings.conf
    modules = assert_face(rich_book)
    assert "Sub SampleCall()" in modules["Module1"]  # the owner's macro, for their button
    with FileBook.open(rich_book) as book:  # the owner's sheets read as before
        assert list(book.read("Products").frame["sku"]) == ["A001", "B002", "C003"]
    assert list((rich_book.parent / ".shopops-backups").glob("Rich.*.xlsm"))


def test_upgrade_twice_writes_nothing_the_second_time(rich_book):
    upgrade_workbook(rich_book)
    stamp, data = rich_book.stat().st_mtime_ns, rich_book.read_bytes()
    result = upgrade_workbook(rich_book)
    assert not result.changed and "nothing written" in result.summary
    assert rich_book.read_bytes() == data and rich_book.stat().st_mtime_ns == stamp


def test_upgrade_an_xlsx_makes_the_xlsm_beside_it(tmp_path):
    xlsx = tmp_path / "MyShop.xlsx"
    init_workbook(xlsx, TODAY)
    before = xlsx.read_bytes()
    result = CliRunner().invoke(cli, ["upgrade", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert "MyShop.xlsm made beside MyShop.xlsx (which is unchanged)" in result.output
    assert xlsx.read_bytes() == before
    xlsm = tmp_path / "MyShop.xlsm"
    assert_face(xlsm)
    assert set(code_names(xlsm)) == {*SHEETS, "xlwings.conf"}
    assert CliRunner().invoke(cli, ["validate", str(xlsm)]).exit_code == 0
    again = CliRunner().invoke(cli, ["upgrade", str(xlsx)])
    assert again.exit_code == 1 and "MyShop.xlsm already exists" in again.output


def test_an_owners_ribbon_keeps_its_tabs(tmp_path):
    theirs = (b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon>'
              b'<tabs><tab id="tabMine" label="Mine"><group id="g" label="G"><button id="b" '
              b'label="Go" onAction="MyMacro"/></group></tab></tabs></ribbon></customUI>')
    book = tmp_path / "Own.xlsm"
    init_workbook(book, TODAY)
    data = book.read_bytes()
    with zipfile.ZipFile(book) as zf:  # swap ShopOps' ribbon part for the owner's own
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in entries:
            zf.writestr(info, theirs if info.filename == "customUI/customUI14.xml" else content)
    assert book.read_bytes() != data
    upgrade_workbook(book)
    ribbon = ribbon_of(book)
    assert [t.get("id") for t in ribbon.iter(f"{{{CUI}}}tab")] == ["tabMine", "tabShopOps"]
    assert SCHEMA.validate(ribbon), SCHEMA.error_log
    assert not upgrade_workbook(book).changed  # the merged ribbon is current


def test_the_owners_event_code_is_carried(tmp_path):
    code = 'Private Sub Workbook_Open()\n    MsgBox "Good morning"\nEnd Sub'
    book = tmp_path / "Events.xlsm"
    init_workbook(book, TODAY)
    names = code_names(book)
    project = build_vba_project({"Helpers": 'Attribute VB_Name = "Helpers"\nSub Hi()\nEnd Sub'},
                                list(names.values()), "ThisWorkbook",
                                documents={"ThisWorkbook": code})
    _replace_part(book, "xl/vbaProject.bin", project)
    upgrade_workbook(book)
    modules = assert_face(book)
    assert modules["ThisWorkbook"].endswith(code)
    assert "Sub Hi()" in modules["Helpers"]


def test_userforms_are_refused_and_nothing_written(tmp_path):
    book = tmp_path / "Forms.xlsm"
    init_workbook(book, TODAY)
    with zipfile.ZipFile(book) as zf:
        project = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(project, write_mode=True)
    stream = ole.openstream("PROJECT").read()
    assert b"Module=ShopOps" in stream  # same length: the project now declares a UserForm
    ole.write_stream("PROJECT", stream.replace(b"Module=ShopOps", b"BaseClass=Frm1"))
    ole.fp.seek(0)
    _replace_part(book, "xl/vbaProject.bin", ole.fp.read())
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["upgrade", str(book)])
    assert result.exit_code == 1 and "UserForms (Frm1)" in result.output
    assert "Traceback" not in result.output and book.read_bytes() == before


def test_what_upgrade_cannot_take_is_said_plainly(tmp_path):
    legacy = tmp_path / "Old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(cli, ["upgrade", str(legacy)])
    assert result.exit_code == 1 and "save it as an Excel Workbook (.xlsx)" in result.output
    result = CliRunner().invoke(cli, ["upgrade", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    office2007 = tmp_path / "Ribbon2007.xlsx"
    init_workbook(office2007, TODAY)
    with zipfile.ZipFile(office2007) as zf:
        rels = zf.read("_rels/.rels").replace(b"</Relationships>", (
            b'<Relationship Id="rIdX" Type="http://schemas.microsoft.com/office/2006/'
            b'relationships/ui/extensibility" Target="customUI/customUI.xml"/></Relationships>'))
    _replace_part(office2007, "_rels/.rels", rels)
    result = CliRunner().invoke(cli, ["upgrade", str(office2007)])
    assert result.exit_code == 1 and "Office 2007 ribbon" in result.output
    assert not (tmp_path / "Ribbon2007.xlsm").exists()


def test_build_workbook_and_upgrade_share_one_path(tmp_path, new_book):
    """The repo's ShopOps.xlsm and a book `init` made differ only in xlwings.conf values."""
    built = tmp_path / "Built.xlsm"
    shutil.copy(new_book, tmp_path / "copy.xlsm")
    data = with_face(new_book.read_bytes(), "x.xlsm", face()).data
    assert vba_modules(new_book) == _modules_of(data, tmp_path)
    from shopsheet.excel.build import build_workbook
    build_workbook(SOURCES, built, TODAY)
    assert vba_modules(built) == vba_modules(new_book)


@pytest.mark.libreoffice
def test_libreoffice_opens_upgraded_and_demo_books(rich_book, demo_shop, libreoffice, tmp_path):
    upgrade_workbook(rich_book)
    sheets = libreoffice.sheets_as_csv(rich_book, tmp_path / "rich")
    assert {"Products", "My Analysis", "xlwings.conf"} <= set(sheets)
    assert sheets["xlwings.conf"][0][0] == "Interpreter_Win"
    demo = libreoffice.sheets_as_csv(demo_shop / "ShopOps.xlsm", tmp_path / "demo")
    assert demo["Products"][1][1] and "xlwings.conf" in demo


def _modules_of(data: bytes, folder: Path) -> dict[str, str]:
    path = folder / "modules.xlsm"
    path.write_bytes(data)
    return vba_modules(path)


def _replace_part(book: Path, name: str, content: bytes) -> None:
    with zipfile.ZipFile(book) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, content if info.filename == name else data)


def test_upgrade_adds_the_sheets_a_newer_shopops_has(tmp_path, monkeypatch):
    """A book made before Listings and Kits existed gets both, as Tables routines can fill."""
    import pandas as pd

    import shopsheet.book.make.create as create
    from shopsheet.starter import starter_data

    old = tmp_path / "Old.xlsx"
    monkeypatch.setattr(create, "SHEETS", {n: s for n, s in SHEETS.items()
                                           if n not in ("Listings", "Kits")})
    create.create_workbook(old, starter_data(TODAY))
    monkeypatch.undo()
    before = Package(old.read_bytes(), old.name)
    assert "Listings" not in before.sheets
    result = upgrade_workbook(old)
    assert "Listings and Kits sheets" in result.summary
    book = tmp_path / "Old.xlsm"
    after = Package(book.read_bytes(), book.name)
    assert list(after.sheets)[-3:] == ["Listings", "Kits", "xlwings.conf"]
    names = code_names(book)
    for name in before.sheets:  # the book's own sheets: only a VBA code name added
        attribute = f' codeName="{names[name]}"'.encode()
        assert after.read(after.sheets[name].part).replace(attribute, b"", 1) == \
            before.read(before.sheets[name].part), name
    with FileBook.open(book) as fb:
        fb.append("Listings", pd.DataFrame({"channel": ["shopify"], "title": ["Rose Mask"],
                                            "sku": ["A001"], "units": [2],
                                            "status": ["confirmed"]}))
        fb.save()
    with FileBook.open(book) as fb:
        listings = fb.read("Listings")
        assert not listings.problems
        assert list(listings.frame["sku"]) == ["A001"]
    assert CliRunner().invoke(cli, ["validate", str(book)]).exit_code == 0
    assert not upgrade_workbook(book).changed


def test_upgrade_gives_sheets_without_one_inits_print_setup(tmp_path, libreoffice):
    """A book from before print set-ups: each ShopOps sheet gets init's, the owner's own sheet
    and a sheet with its own set-up are left as they are."""
    import re

    book = tmp_path / "Plain.xlsx"
    init_workbook(book, TODAY)
    pkg = Package(book.read_bytes(), book.name)
    parts_of = {name: s.part for name, s in pkg.sheets.items()}
    stripped = {}
    for name, part in parts_of.items():
        xml = pkg.read(part)
        if name != "Settings":  # Settings keeps a set-up of its own (portrait, no fit)
            xml = re.sub(rb"<pageSetup[^>]*/>|<headerFooter>.*?</headerFooter>|<pageSetUpPr[^>]*/>",
                         b"", xml)
        else:
            xml = re.sub(rb"<pageSetup[^>]*/>", b'<pageSetup paperSize="1" orientation="portrait"/>',
                         xml)
        stripped[part] = xml
    workbook = re.sub(rb"<definedNames>.*?</definedNames>", b"", pkg.read("xl/workbook.xml"))
    for part, xml in {**stripped, "xl/workbook.xml": workbook}.items():
        _replace_part(book, part, xml)
    result = upgrade_workbook(book)
    # every ShopOps sheet but Settings, which keeps its own
    assert f"a print set-up on {len(SHEETS) - 1} sheets" in result.summary, result.summary
    xlsm = tmp_path / "Plain.xlsm"
    after = Package(xlsm.read_bytes(), xlsm.name)
    titles = re.findall(rb'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<',
                        after.read("xl/workbook.xml"))
    order = list(after.sheets)
    assert {order[int(i)] for i, _ in titles} == set(SHEETS) - {"Settings"}
    assert all(ref.endswith(b"!$1:$1") for _, ref in titles)
    products = after.read(after.sheets["Products"].part)
    assert b'<pageSetUpPr fitToPage="1"/>' in products
    assert b'fitToWidth="1" fitToHeight="0" orientation="landscape"' in products
    assert b'paperSize="1" orientation="portrait"' in after.read(after.sheets["Settings"].part)
    assert CliRunner().invoke(cli, ["validate", str(xlsm)]).exit_code == 0
    sheets = libreoffice.sheets_as_csv(xlsm, tmp_path / "csv")
    assert sheets["Products"][1][1] == "A001"

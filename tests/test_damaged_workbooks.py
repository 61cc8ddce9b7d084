"""Workbooks damaged the ways files get damaged (cut short, a part missing, a part that is not
XML, not a workbook at all): every command says so in one plain line, writes nothing and
never ends in a traceback."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopsheet.cli import cli


def _rezip(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                out.writestr(info, data)


def damaged(kind: str, good: Path, target: Path) -> None:
    if kind == "cut short":
        target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "empty file":
        target.write_bytes(b"")
    elif kind == "text file":
        target.write_text("not a workbook\n")
    elif kind == "sheet part missing":
        _rezip(good, target, lambda n, d: None if n == "xl/worksheets/sheet2.xml" else d)
    elif kind == "workbook part missing":
        _rezip(good, target, lambda n, d: None if n == "xl/workbook.xml" else d)
    elif kind == "sheet part not xml":
        _rezip(good, target, lambda n, d: b"<worksheet><sheetData><row" if
               n == "xl/worksheets/sheet2.xml" else d)
    elif kind == "styles part not xml":
        _rezip(good, target, lambda n, d: b"garbage" if n == "xl/styles.xml" else d)


KINDS = ["cut short", "empty file", "text file", "sheet part missing", "workbook part missing",
         "sheet part not xml", "styles part not xml"]
COMMANDS = [["validate"], ["daily"], ["verify"], ["listings", "--suggest"], ["upgrade"],
            ["report", "--weekly"], ["stock-export", "--channel", "generic"]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_command_on_a_damaged_workbook(kind, new_book, tmp_path):
    book = tmp_path / "damaged" / "Shop.xlsm"
    book.parent.mkdir()
    damaged(kind, new_book, book)
    before = book.read_bytes()
    for command in COMMANDS:
        result = CliRunner().invoke(cli, [command[0], str(book), *command[1:],
                                          *(["--today", "2026-11-21"] if command[0] not in
                                            ("upgrade",) else [])])
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not crashed, f"{kind}, {command}: {type(result.exception).__name__}: " \
                            f"{result.exception}"
        assert result.exit_code == 1, (kind, command, result.output)
        assert "Shop.xlsm" in result.output, (kind, command, result.output)
        assert book.read_bytes() == before
        assert not (book.parent / "Shop.xlsm").with_suffix(".xlsx").exists()
    leftovers = [p.name for p in book.parent.iterdir() if p.name != "Shop.xlsm"
                 and not p.name.endswith(".shopops.lock")]
    assert not [n for n in leftovers if n not in ("reports", "stock-export")], leftovers
    shutil.rmtree(book.parent)

"""FileBook: the workbook on disk, read with calamine and written by patching its package.

    with FileBook.open("ShopOps.xlsm") as book:
        products = book.read("Products").frame
        book.patch("Products", changes)
        book.save()

The file is read once into memory (and fingerprinted) while a lock keeps other runs out. `save`
patches only the sheet and table parts it must, copies every other part byte for byte, checks
the result, and swaps it in atomically (see `safety.py`). openpyxl never saves this workbook.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import python_calamine

from shopsheet.book.base import Book, BookError, Layout, read_layout
from shopsheet.book.package import Package
from shopsheet.book.safety import (Fingerprint, WorkbookBusy, ensure_not_open,
                                   replace_atomically, run_lock)
from shopsheet.book.writer import Op, PackageWriter
from shopsheet.sheets import SHEETS


class FileBook(Book):
    def __init__(self, path: Path, keep_backups: int | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.keep_backups = keep_backups
        self._load()

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: str | Path, keep_backups: int | None = None) -> Iterator[FileBook]:
        """Lock the workbook for this run and read it; release the lock at the end."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no workbook at {path}")
        with run_lock(path):
            yield cls(path, keep_backups)

    def _load(self) -> None:
        data = self.path.read_bytes()
        self.fingerprint = Fingerprint.of(self.path)
        if len(data) != self.fingerprint.size:
            raise WorkbookBusy(f"{self.name} is being written by another program; try again")
        self.package = Package(data, self.name)
        self._calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self._grids: dict[str, list[list[Any]]] = {}
        self._layouts: dict[str, Layout] = {}
        self._ops: list[Op] = []
        self.last_backup: Path | None = None

    def sheet_names(self) -> list[str]:
        return list(self._calamine.sheet_names)

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            rows = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            self._grids[sheet] = rows
        return self._grids[sheet]

    def read(self, sheet: str):
        data = super().read(sheet)
        if data.layout is not None:
            self._layouts[sheet] = data.layout
        return data

    def layout(self, sheet: str) -> Layout:
        """Where the sheet's columns are; found from the header alone when not read yet."""
        if sheet not in self._layouts:
            if sheet not in SHEETS or sheet not in self.sheet_names():
                raise BookError(f"{self.name} has no {sheet} sheet to write to")
            layout, problems, _ = read_layout(SHEETS[sheet], self.grid(sheet))
            if layout is None:
                raise BookError(f"{self.name}: cannot write to {sheet}: "
                                + "; ".join(str(p) for p in problems))
            self._layouts[sheet] = layout
        return self._layouts[sheet]

    def patch(self, sheet: str, changes: pd.DataFrame) -> None:
        if len(changes) and len(changes.columns):
            self._ops.append(Op("patch", sheet, self.layout(sheet), changes))

    def append(self, sheet: str, rows: pd.DataFrame) -> None:
        if len(rows):
            self._ops.append(Op("append", sheet, self.layout(sheet), rows))

    def replace(self, sheet: str, rows: pd.DataFrame) -> None:
        self._ops.append(Op("replace", sheet, self.layout(sheet), rows))

    @property
    def pending(self) -> bool:
        return bool(self._ops)

    def save(self) -> None:
        """Write all buffered changes in one atomic replacement, then re-read the file."""
        if not self._ops:
            return
        ensure_not_open(self.path)
        writer = PackageWriter(self.package)
        for op in self._ops:
            writer.apply(op)
        keep = self.keep_backups if self.keep_backups is not None else self._backups_setting()
        backup = replace_atomically(self.path, writer.write, self.fingerprint, keep, writer.check)
        self._load()
        self.last_backup = backup

    def _backups_setting(self) -> int:
        settings, _ = self.settings()
        return int(settings.backups)

"""FileBook: the workbook on disk, read with calamine and written by patching its package.

    with FileBook.open("ShopOps.xlsm") as book:
        products = book.read("Products").frame
        book.patch("Products", changes)
        book.save()

The file is read once into memory (and fingerprinted) while a lock keeps other runs out. `save`
patches only the sheet and table parts it must, copies every other part byte for byte, checks
the result, and swaps it in atomically (see `safety.py`). openpyxl never saves this workbook.

A sheet is parsed by fastexcel straight into typed columns where that gives exactly what
calamine's cells would (`typedread.py`), else from calamine's cells. A sheet whose part is byte
for byte what an earlier run read or wrote is taken from the frame cache instead of being parsed
(`framecache.py`), and a sheet part ShopOps wrote in pieces is edited piece by piece
(`pieces.py`); both are caches, checked against the file's own bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd
import python_calamine
from lxml import etree

from shopsheet.book.base import Book, Layout, SheetData
from shopsheet.book.cache.framecache import FrameCache
from shopsheet.book.cache.piecemaps import PieceMaps
from shopsheet.book.read import overlay, parse, typedread
from shopsheet.book.read.ahead import Ahead, Job, outcome
from shopsheet.book.write.package import Package, PackageError
from shopsheet.book.write.pieces import PIECE, Piece, Pieced, repack
from shopsheet.book.write.safety import (Fingerprint, WorkbookBusy, ensure_not_open,
                                         replace_atomically, run_lock)
from shopsheet.book.write.sheetxml import fit_cells
from shopsheet.book.write.writer import Op, PackageWriter, PiecesDoNotFit
from shopsheet.book.write.zipcopy import stored_data
from shopsheet.core.language import _
from shopsheet.sheets import SHEETS

log = logging.getLogger(__name__)

REPACK_FROM = 8 * PIECE  # a part this big (inflated) is readied for a piecewise write ahead


_ERROR_CELL = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*(?:/>|>.*?</f>))?'
                         rb"<v>([^<]*)</v>", re.S)


def _read_errors() -> tuple[type[BaseException], ...]:
    import fastexcel
    return (python_calamine.CalamineError, fastexcel.FastExcelError, zipfile.BadZipFile,
            etree.XMLSyntaxError)


READ_ERRORS = _read_errors()


def _damaged(path: Path, err: BaseException) -> PackageError:
    return PackageError(_("{book} cannot be read: it is damaged ({error}). Open it in Excel "
                          "and save it again, or use a copy from .shopops-backups").format(
        book=path.name, error=err))


class FileBook(Book):
    def __init__(self, path: Path, keep_backups: int | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.keep_backups = keep_backups
        self._frames = FrameCache(self.path)
        self._maps = PieceMaps(self.path)
        self._ahead: Ahead | None = None
        self._load()

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: str | Path, keep_backups: int | None = None) -> Iterator[FileBook]:
        """Lock the workbook for this run and read it; release the lock at the end."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(_("no workbook at {book}").format(book=path))
        with run_lock(path):
            try:
                book = cls(path, keep_backups)
            except READ_ERRORS as err:
                raise _damaged(path, err) from None
            try:
                yield book
                book.remember()
            except READ_ERRORS as err:  # the readers found the file damaged part way
                raise _damaged(path, err) from None
            finally:
                book._stop_ahead()

    def _load(self) -> None:
        data = self.path.read_bytes()
        self.fingerprint = Fingerprint.of(self.path)
        if len(data) != self.fingerprint.size:
            raise WorkbookBusy(_("{book} is being written by another program; try again").format(
                book=self.name))
        self._use(data)
        self._early = parse.claim(self.path, data)  # sheets the command began parsing
        self._sheets: dict[str, SheetData] = {}
        self._layouts: dict[str, Layout] = {}
        self._kept: dict[str, bytes] = {}  # sheet → key of the frame the cache holds for it
        self._touched: dict[str, set[int] | None] = {}  # rows changed since (None: all)
        self.cache_hits: set[str] = set()  # sheets this run took from the frame cache
        self._ops: list[Op] = []
        self._batching = False
        self.op_count = 0
        self.last_backup: Path | None = None

    def _use(self, data: bytes) -> None:
        """Work on these package bytes (as read, or as just written)."""
        self._stop_ahead()  # what it did ahead was for the bytes before
        self._early: dict[str, Any] = {}
        self.package = Package(data, self.name)
        self._reader: python_calamine.CalamineWorkbook | None = None  # made when first needed
        self._readers: dict[str, Any] = {}  # fastexcel's, likewise
        self._grids: dict[str, list[list[Any]]] = {}

    @property
    def _calamine(self) -> python_calamine.CalamineWorkbook:
        if self._reader is None:
            self._reader = python_calamine.CalamineWorkbook.from_filelike(
                io.BytesIO(self.package.data))
        return self._reader

    def sheet_names(self) -> list[str]:
        return list(self.package.sheets)  # the worksheets, from the package (no parse)

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            title = self.package.sheets[sheet].name if sheet in self.package.sheets else sheet
            rows = self._calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
            self._grids[sheet] = rows
        return self._grids[sheet]

    def read(self, sheet: str) -> SheetData:
        """The sheet, read once per run and kept up to date with the run's own writes."""
        if sheet not in self._sheets:
            took, found = self._ahead.take(Job("read", sheet)) if self._ahead else (False, None)
            if took:
                data, key = found
                if key is not None:
                    self._kept[sheet] = key
                    self.cache_hits.add(sheet)
                data = data or super().read(sheet)
            else:
                data = self._remembered(sheet) or self._typed(sheet) or super().read(sheet)
            if data.layout is not None:
                for op in self._ops:  # written earlier in this run, before the first read
                    if op.sheet == sheet:
                        data = overlay.apply(data, op.kind, op.frame)
                self._layouts[sheet] = data.layout
            if sheet != "Settings":  # only Settings is read from its raw cells (memory)
                data.raw = data.raw.iloc[0:0]
            self._sheets[sheet] = data
            self._grids.pop(sheet, None)  # the frame has it all now: free the raw cells
        return self._sheets[sheet]

    def _typed(self, sheet: str) -> SheetData | None:
        """The sheet read straight into typed columns (`typedread.py`), when that reads it
        exactly as calamine's cells would; else None."""
        if sheet not in SHEETS or sheet not in self.package.sheets or \
                not typedread.suits(SHEETS[sheet]):
            return None
        return self._typed_with(self.package, sheet, self._readers)

    def _typed_with(self, pkg: Package, sheet: str, readers: dict[str, Any]) -> SheetData | None:
        """`_typed`, parsing with the fastexcel reader kept in `readers` (made when first
        needed), or taking the parse the command began at start-up (`parse.py`)."""
        future = self._early.pop(sheet, None)

        def parsed() -> Any:  # asked for only when the sheet suits the typed path
            took, found = outcome(future) if future is not None else (False, None)
            if took:
                return found
            if "fastexcel" not in readers:
                readers["fastexcel"] = parse.open_reader(pkg.data)
            return parse.load(readers["fastexcel"], pkg.sheets[sheet].name)

        return typedread.read(parsed, pkg, SHEETS[sheet])

    def plan(self, reads: Iterable[str], writes: Iterable[str] = ()) -> None:
        """The biggest sheet of `reads` is read on the second core (with the big parts of
        `writes` readied for a piecewise write after it) while this thread reads the others:
        on a year's workbook Orders takes about as long as all the rest together."""
        reads = [s for s in dict.fromkeys(reads) if s in SHEETS]
        sizes = {s: self.package.infos[self.package.sheets[s].part].compress_size
                 for s in reads if s in self.package.sheets}
        biggest = max(sizes, key=sizes.get, default=None)
        self.prefetch([biggest] if biggest else [], writing=writes)
        for sheet in reads:
            if sheet != biggest:
                self.read(sheet)

    def prefetch(self, sheets: Iterable[str], writing: Iterable[str] = ()) -> None:
        """Start work this run will need on another core while this thread does its own: read
        `sheets` (from the frame cache, else parsed with a reader of its own), then ready the
        big parts of the sheets in `writing` for a piecewise write (`pieces.repack`) unless
        they have a piece map already. A hint: reads and writes give what they would anyway
        (`ahead.py`), only sooner; on a machine with one core it does nothing."""
        if self._ahead is not None or (os.cpu_count() or 1) < 2:
            return
        pkg, reader = self.package, {}

        def read(sheet: str) -> tuple[SheetData | None, bytes | None]:
            key = self._frames.key(pkg, sheet)
            data = self._frames.load(sheet, key)
            return (data, key) if data is not None else (self._typed_with(pkg, sheet, reader), None)

        def ready(part: str) -> tuple[list[Piece], memoryview] | None:
            if self._maps.load(pkg, part) is not None:
                return None  # written in pieces before: nothing to do
            info = pkg.infos[part]
            found = repack(stored_data(pkg.data, info), info.file_size, info.CRC)
            return None if found is None else (found[0], memoryview(found[1]))

        jobs: list[tuple[Job, Any]] = [
            (Job("read", s), lambda s=s: read(s)) for s in dict.fromkeys(sheets)
            if s in SHEETS and s in pkg.sheets and s not in self._sheets
            and typedread.suits(SHEETS[s])]
        jobs.append((Job("release"), reader.clear))  # its shared strings are not needed after
        for sheet in dict.fromkeys(writing):
            part = pkg.sheets[sheet].part if sheet in pkg.sheets else None
            info = pkg.infos.get(part)
            if info is not None and info.compress_type == zipfile.ZIP_DEFLATED and \
                    info.file_size >= REPACK_FROM:
                jobs.append((Job("ready", part), lambda part=part: ready(part)))
        self._ahead = Ahead(jobs)

    def _stop_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def _pieces(self, part: str) -> tuple[list[Piece], memoryview] | None:
        """The piece map of a part and the deflated bytes it maps: the stored entry's, when
        an earlier run wrote it in pieces; else the part repacked ahead, if it was."""
        found = self._maps.load(self.package, part)
        if found is not None:
            return found, stored_data(self.package.data, self.package.infos[part])
        took, repacked = self._ahead.take(Job("ready", part)) if self._ahead else (False, None)
        return repacked if took else None

    @property
    def language(self) -> str:
        """As every Book's; the Settings read to find it is then forgotten, so its problems
        are worded again, in the book's language, when a routine reads it."""
        known = self._language is not None
        language = super().language
        if not known:
            self._sheets.pop("Settings", None)
        return language

    def layout(self, sheet: str) -> Layout:
        """As Book.layout, but by reading the sheet: then it is remembered with the others,
        and the next run that writes it (the Log, a generated sheet) takes it from the frame
        cache instead of opening the workbook with calamine."""
        if sheet not in self._layouts and sheet in SHEETS and sheet in self.package.sheets \
                and not any(op.sheet == sheet for op in self._ops):
            self.read(sheet)  # sets the layout when the sheet has one
        return super().layout(sheet)

    def _remembered(self, sheet: str) -> SheetData | None:
        """The sheet from the frame cache, if its part is byte for byte as it was then."""
        if sheet not in self.package.sheets:
            return None
        key = self._frames.key(self.package, sheet)
        data = self._frames.load(sheet, key)
        if data is not None:
            self._kept[sheet] = key
            self.cache_hits.add(sheet)
        return data

    def remember(self) -> None:
        """Keep the sheets read (and written) by this run for the next one; only when
        nothing is waiting to be saved, so each frame is exactly what the file holds."""
        if self._ops:
            return
        for sheet, data in self._sheets.items():
            if data.layout is None or sheet not in self.package.sheets or (
                    sheet == "Settings" and sheet in self._touched):
                continue  # (Settings written this run: its raw cells were not kept current)
            key = self._frames.key(self.package, sheet)
            if key is not None and key != self._kept.get(sheet):
                self._frames.store(sheet, key, data, self._kept.get(sheet),
                                   self._touched.get(sheet, set()))
                self._kept[sheet] = key
        self._touched = {}

    def patch(self, sheet: str, changes: pd.DataFrame) -> None:
        if len(changes) and len(changes.columns):
            self._buffer(Op("patch", sheet, self.layout(sheet), changes))

    def append(self, sheet: str, rows: pd.DataFrame) -> None:
        if len(rows):
            self._buffer(Op("append", sheet, self.layout(sheet), rows))

    def replace(self, sheet: str, rows: pd.DataFrame) -> None:
        self._buffer(Op("replace", sheet, self.layout(sheet), rows))

    def _buffer(self, op: Op) -> None:
        """Queue `op` for the package writer and apply it to the sheet if it was read."""
        op.start_row = op.layout.last_row  # where an append begins, before it moves
        op.frame = fit_cells(op.frame)  # what the sheet will hold, in memory too
        self._ops.append(op)
        touched, written = self._touched.setdefault(op.sheet, set()), op.rows()
        if touched is not None:
            self._touched[op.sheet] = None if written is None else touched | written
        self.op_count += 1
        if op.sheet == "Settings":
            self._sheets.pop(op.sheet, None)  # typed settings are re-read from the file
            self._language = None
        elif op.sheet in self._sheets and self._sheets[op.sheet].layout is not None:
            self._sheets[op.sheet] = overlay.apply(self._sheets[op.sheet], op.kind, op.frame)
        elif op.kind != "patch":
            op.layout.last_row = self._new_last_row(op)

    @staticmethod
    def _new_last_row(op: Op) -> int:
        if op.kind == "replace":
            return op.layout.header_row + len(op.frame)
        return op.layout.last_row + len(op.frame)

    @property
    def pending(self) -> bool:
        return bool(self._ops)

    def error_cells(self, sheet: str) -> list[tuple[str, str]]:
        if sheet not in self.package.sheets:
            return []
        data = self.package.read(self.package.sheet(sheet).part)
        if b't="e"' not in data:
            return []
        return [(ref.decode(), value.decode()) for ref, value in _ERROR_CELL.findall(data)]

    def discard(self) -> None:
        """Forget every change buffered since the last save: the workbook as on disk again."""
        self._stop_ahead()
        self._load()

    def save(self) -> None:
        """Write all buffered changes in one atomic replacement."""
        if not self._ops or self._batching:
            return
        ensure_not_open(self.path)
        keep = self.keep_backups if self.keep_backups is not None else self._backups_setting()
        # The readers (fastexcel's holds ~55 MB for a year: the file and its shared strings)
        # are not needed to write, whose peak is the run's; a read after this makes them again.
        self._reader = None
        self._readers.clear()
        writer = self._writer(self._pieces)
        written = io.BytesIO()
        try:
            writer.finish()
        except PiecesDoNotFit as exc:  # not expected: then the parts are written whole
            log.warning("%s: the edit did not fit the part's pieces; writing it whole", exc)
            writer = self._writer(None)
        backup = replace_atomically(self.path, lambda fh: _tee(writer.write, written, fh),
                                    self.fingerprint, keep, writer.check)
        data = written.getvalue()
        written.close()  # the copy in `data` is the one kept
        self._use(data)
        for part, made in writer.replaced.items():  # tomorrow's run copies what it leaves
            if isinstance(made, Pieced) and made.map:
                self._maps.store(self.package, part, made.map)
        self.fingerprint = Fingerprint.of(self.path)
        if self.fingerprint.size != len(data):
            self._load()  # someone wrote after us; start again from the file
        self._ops = []
        self.last_backup = backup
        self.remember()

    def _writer(self, maps) -> PackageWriter:
        writer = PackageWriter(self.package, maps)
        writer.plan(self._ops)
        # Sheets whose parts are still being repacked ahead are edited last, the others
        # meanwhile (each sheet's edits stay in their order; sheets do not depend on each other).
        busy = {job.name for job in self._ahead.unfinished() if job.kind == "ready"} \
            if self._ahead else set()
        for op in sorted(self._ops, key=lambda op: self.package.sheets[op.sheet].part in busy):
            writer.apply(dataclasses.replace(op, frame=self.shown(op.sheet, op.frame)))
        return writer

    def _backups_setting(self) -> int:
        """Settings' "Backups to keep"."""
        settings, _unused = self.settings()
        return int(settings.backups)


def _tee(write, memory: io.BytesIO, fh) -> None:
    """Write the package once into memory, then the same bytes to the file."""
    write(memory)
    fh.write(memory.getbuffer())

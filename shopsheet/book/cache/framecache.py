"""Typed sheets remembered between runs, keyed by the exact bytes they were read from.

Reading a year of orders is most of a morning run (calamine parse, typing, pandera: ~11 s of
the one-year benchmark's ~23 s), and most mornings nothing in that history changed. So each
sheet a run read or wrote is kept, as its typed frame, problems and layout (Settings also with
its raw cells), in the user's cache folder under a key made of:

- the stored bytes of the sheet's part (its local zip record: header and compressed data),
- the stored bytes of the shared strings and styles parts (cells point into them), the
  workbook's date system, and
- a fingerprint of what turns cells into frames: ShopOps' version, the versions of the
  libraries that read and type them (pandas, numpy, pyarrow, pandera, fastexcel, calamine) and
  the source of every ShopOps module the reading code imports, found from its import
  statements — so an upgrade of any of them never reuses old typing.

A run that finds the same key uses the frame instead of parsing the part. Any change to the
part — a new order appended by ShopOps, a cell edited and saved in Excel — changes its bytes
and so the key: the cache can be missing, never stale. After a save, the sheets the run wrote
are remembered under their *new* parts' keys, from the frames the run kept up to date with its
own writes (`overlay.py`), so tomorrow's unattended run starts from them; the first run after
the owner saves the file in Excel reads it in full once.

Per sheet and workbook: a base file (the whole frame) and a journal (the rows each later run
changed, with the key they lead to), folded into a new base once it holds a quarter of the
rows. Files are private to the user and written atomically; an unreadable or foreign file is
a miss. The piece maps of `pieces.py` live beside them (`piecemaps.py`); `kept.py` says
where (`SHOPOPS_CACHE` names another folder, or `off`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import pickle
import re
import weakref
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from shopsheet.book.base import SheetData
from shopsheet.book.cache.kept import KEY_BYTES, workbook_dir, write_kept
from shopsheet.book.write.package import Package
from shopsheet.book.write.zipcopy import raw_record
from shopsheet.core.language import DOMAIN, ENGLISH, LOCALE_DIR, current
from shopsheet.sheets import SHEETS

log = logging.getLogger(__name__)

MAGIC = b"SHOPOPS-FRAME-3\n"
JOURNAL_RUNS, JOURNAL_SHARE = 60, 0.25  # then the whole frame is kept again
# Where a typed frame is made: these modules and every ShopOps module they import.
READING_ROOTS = ("shopsheet.book.base", "shopsheet.book.read.parse",
                 "shopsheet.book.read.typedread",
                 "shopsheet.book.read.overlay", "shopsheet.book.cache.framecache")
# The libraries whose versions shape a typed frame or its pickle.
READING_LIBRARIES = ("pandas", "numpy", "pyarrow", "pandera", "fastexcel", "python-calamine")


def reading_modules(roots: tuple[str, ...] = READING_ROOTS) -> list[str]:
    """The ShopOps modules a typed frame depends on: `roots` and, found from their import
    statements, every ShopOps module they import, directly or not (sorted). A package's
    `__init__` counts only where the package itself is what is imported."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        path = None if name in seen else _module_file(name)
        if path is None:
            continue
        seen.add(name)
        for module, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
            module = module or plain
            if names:
                subs = [f"{module}.{n}" for n in re.findall(r"\w+", names)]
                found = [m for m in subs if _module_file(m) is not None] or [module]
            else:
                found = [module]
            todo += found
    return sorted(seen)


# `from shopsheet.x import a, b` (names possibly in parentheses over lines), `import shopsheet.x`
_IMPORT = re.compile(r"^\s*(?:from\s+(shopsheet[\w.]*)\s+import\s+(\([^)]*\)|[^\n]*)"
                     r"|import\s+(shopsheet[\w.]*))", re.M)


def _module_file(name: str) -> Path | None:
    root = Path(__file__).resolve().parents[3]  # the folder holding the shopsheet package
    base = root.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None  # a name imported from a module, not a module


def _version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def _words_fingerprint(spoken: str) -> bytes:
    """The language a frame's problems are worded in, and its catalogue's contents."""
    mo = LOCALE_DIR / spoken.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.mo"
    words = mo.read_bytes() if spoken != ENGLISH and mo.exists() else b""
    return spoken.encode() + b"\0" + hashlib.sha256(words).digest()


@cache
def _code_fingerprint() -> bytes:
    """ShopOps' version, the reading libraries' versions and the source of every reading
    module: an upgrade of any of them makes every key new, so a stale frame is never served."""
    digest = hashlib.blake2b(digest_size=16)
    for library in ("shopops", *READING_LIBRARIES):
        digest.update(f"{library}=={_version(library)}\0".encode())
    for name in reading_modules():
        digest.update(name.encode() + b"\0" + _source(name))
    return digest.digest()


def _source(module: str) -> bytes:
    return _module_file(module).read_bytes()


class FrameCache:
    """The remembered frames of one workbook file."""

    def __init__(self, workbook: Path):
        self.dir = workbook_dir(workbook)
        self._keys: weakref.WeakKeyDictionary[Package, dict[tuple[str, str], bytes | None]] = \
            weakref.WeakKeyDictionary()  # worked out once per package bytes

    def key(self, pkg: Package, sheet: str) -> bytes | None:
        """The key of `sheet` as stored in `pkg`; None when nothing is kept. Small sheets are
        kept too: a run that finds every sheet here never opens the workbook with calamine
        (which parses the shared strings of the whole workbook first)."""
        known = self._keys.setdefault(pkg, {})
        spoken = current()  # a kept frame's problems are worded in the language spoken
        if (sheet, spoken) not in known:
            known[sheet, spoken] = self._key(pkg, sheet, spoken)
        return known[sheet, spoken]

    def _key(self, pkg: Package, sheet: str, spoken: str) -> bytes | None:
        part = pkg.infos.get(pkg.sheet(sheet).part)
        if self.dir is None or part is None:
            return None
        digest = hashlib.sha256(_code_fingerprint())  # sha256: in hardware on most CPUs
        digest.update(_words_fingerprint(spoken))
        digest.update(sheet.encode() + b"\0" + (b"1904" if pkg.date1904 else b"1900"))
        for name in (part.filename, *pkg.cell_parts()):
            digest.update(name.encode() + b"\0")
            digest.update(raw_record(pkg.data, pkg.infos[name]))
        return digest.digest()

    def _file(self, sheet: str, kind: str = "frame") -> Path:
        name = hashlib.blake2b(sheet.encode(), digest_size=8).hexdigest()
        return self.dir / f"{name}.{kind}"

    def load(self, sheet: str, key: bytes | None) -> SheetData | None:
        """The frame kept under `key`, or None: the base frame, with the rows of each later
        run laid over it when `key` is further down its journal."""
        if key is None:
            return None
        try:
            with open(self._file(sheet), "rb") as fh:
                if fh.read(len(MAGIC)) != MAGIC:
                    return None
                base = fh.read(KEY_BYTES)
                chain = [] if base == key else self._chain(sheet, base, key)
                if chain is None:
                    return None
                pickle.load(fh)  # the base's columns (for `store`)
                packed, layout, problems, raw = pickle.load(fh)
            frame = _unpacked(packed)
            for _unused, _unused, rows, layout, problems, _unused in chain:
                frame, raw = _with_rows(frame, _unpacked(rows)), None
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file is a miss, never an error
            log.info("ignored the remembered %s frame: %s", sheet, exc)
            return None
        if sheet == "Settings" and raw is None:
            return None
        return SheetData(SHEETS[sheet], frame, frame.iloc[0:0] if raw is None else raw, layout,
                         problems)

    def store(self, sheet: str, key: bytes | None, data: SheetData, parent: bytes | None = None,
              rows: set[int] | None = None) -> None:
        """Keep `data` under `key`. When the run took the sheet from here under `parent` and
        changed only `rows`, those rows go to the sheet's journal (a morning adds 600 lines to
        a year: keeping the year again would cost as much as the rest of the write); else, or
        once the journal holds a quarter of the rows, the whole frame becomes the new base.
        Failures only log."""
        if key is None or data.layout is None:
            return
        raw = data.raw if sheet == "Settings" else None  # Settings are read from raw cells
        if raw is None and parent is not None and rows is not None and \
                self._journal(sheet, key, data, parent, rows):
            return
        with contextlib.suppress(OSError):
            self._file(sheet, "journal").unlink()
        columns = list(data.frame.columns)
        write_kept(self._file(sheet), MAGIC + key, f"the {sheet} frame", columns,
               (_packed(data.frame), data.layout, list(data.problems), raw))

    def _records(self, sheet: str) -> list[tuple]:
        """The journal: (parent key, key, rows, layout, problems, columns) per run."""
        records = []
        try:
            with open(self._file(sheet, "journal"), "rb") as fh:
                while True:
                    records.append(pickle.load(fh))
        except EOFError:
            return records
        except FileNotFoundError:
            return []

    def _chain(self, sheet: str, base: bytes, key: bytes) -> list[tuple] | None:
        """The journal's records leading from the base to `key`, in order; None if none do."""
        chain, at = [], base
        for record in self._records(sheet):
            if record[0] == at:
                chain.append(record)
                at = record[1]
                if at == key:
                    return chain
        return None

    def _journal(self, sheet: str, key: bytes, data: SheetData, parent: bytes,
                 rows: set[int]) -> bool:
        """Add this run's rows to the journal, if the journal leads to `parent`, the columns
        are the base's and the journal stays small; whether it did."""
        try:
            with open(self._file(sheet), "rb") as fh:
                if fh.read(len(MAGIC)) != MAGIC:
                    return False
                base = fh.read(KEY_BYTES)
                columns = pickle.load(fh)
            chain = [] if base == parent else self._chain(sheet, base, parent)
        except Exception:  # no base, or not a readable one: write a new base
            return False
        frame = data.frame
        changed = frame.index.intersection(sorted(rows))
        journalled = sum(len(record[2]["index"]) for record in (chain or [])) + len(changed)
        if chain is None or columns != list(frame.columns) or len(chain) >= JOURNAL_RUNS or \
                journalled > len(frame) * JOURNAL_SHARE:
            return False
        record = (parent, key, _packed(frame.loc[changed]), data.layout, list(data.problems),
                  columns)
        try:
            fd = os.open(self._file(sheet, "journal"), os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                         0o600)  # like the frames: only the user reads their orders
            with os.fdopen(fd, "ab") as fh:
                fh.write(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            log.info("could not keep the %s rows: %s", sheet, exc)
            return False
        return True


def _packed(frame: pd.DataFrame) -> dict:
    """The frame ready to pickle. Text kept in Arrow (pandas does once pyarrow is installed,
    as it is for ShopOps) pickles as Arrow's own buffers: a year of Orders kept in 0.09 s and
    loaded in 0.02 s. Text kept as Python strings goes as codes into its distinct values: a
    year of orders has 3 million cells of text but few distinct ones per column, and pickle
    makes every string one by one (coding halves the time to keep and to load it); coding Arrow
    text too cost 0.26 s to keep and 0.14 s to load, for a file half the size."""
    texts = {}
    rest = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage != "pyarrow":
            codes, distinct = pd.factorize(column, use_na_sentinel=True)
            texts[name] = (codes.astype(np.int32), np.asarray(distinct, dtype=object),
                           column.dtype)
        else:
            rest[name] = column
    return {"index": frame.index, "columns": list(frame.columns), "texts": texts,
            "rest": pd.DataFrame(rest, index=frame.index)}


def _with_rows(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """`frame` with `rows` in place of its rows of the same number, and after them the rows
    it did not have; kept in row order and in the frame's own types."""
    rows = rows.astype(frame.dtypes.to_dict())
    kept = frame[~frame.index.isin(rows.index)]
    merged = pd.concat([kept, rows]) if len(kept) else rows
    return merged if merged.index.is_monotonic_increasing else merged.sort_index(kind="stable")


def _unpacked(packed: dict) -> pd.DataFrame:
    """The frame `_packed` was made from, column for column and type for type."""
    columns = {}
    for name in packed["columns"]:
        if name in packed["texts"]:
            columns[name] = pd.Series(_texts(*packed["texts"][name]), index=packed["index"],
                                      name=name)
        else:
            columns[name] = packed["rest"][name]
    return pd.DataFrame(columns, index=packed["index"])


def _texts(codes: np.ndarray, distinct: np.ndarray,
           dtype: pd.StringDtype) -> pd.api.extensions.ExtensionArray:
    """A text column of Python strings from its codes (-1 for blank) into its distinct values."""
    table = np.append(distinct, np.array([pd.NA], dtype=object))  # code -1 is NA
    return pd.array(table.take(codes), dtype=dtype)

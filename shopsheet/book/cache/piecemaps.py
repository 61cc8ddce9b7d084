"""The piece maps of a workbook's sheet parts (`pieces.py`), kept between runs.

A map is keyed by the deflated bytes of the part it describes and used only if it adds up to
the entry's sizes and CRC, so a part another program rewrote simply has none. Nothing here
imports pandas (`kept.py`).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import weakref
import zipfile
from pathlib import Path

from shopsheet.book.cache.kept import KEY_BYTES, workbook_dir, write_kept
from shopsheet.book.write.package import Package
from shopsheet.book.write.pieces import Piece, valid
from shopsheet.book.write.zipcopy import stored_data

log = logging.getLogger(__name__)


class PieceMaps:
    """The piece maps of one workbook file's sheet parts, beside its frames."""

    MAGIC = b"SHOPOPS-PIECES-1\n"

    def __init__(self, workbook: Path):
        self.dir = workbook_dir(workbook)
        self._keys: weakref.WeakKeyDictionary[Package, dict[str, bytes]] = \
            weakref.WeakKeyDictionary()  # worked out once per package bytes

    def _file(self, part: str) -> Path:
        return self.dir / (hashlib.blake2b(part.encode(), digest_size=8).hexdigest() + ".pieces")

    def _key(self, pkg: Package, part: str) -> bytes:
        """The SHA-256 of the part as stored, once per package: a morning looks a year of
        Orders' map up on the read-ahead thread and again for the write (~0.01 s a time)."""
        known = self._keys.setdefault(pkg, {})
        if part not in known:
            known[part] = hashlib.sha256(stored_data(pkg.data, pkg.infos[part])).digest()
        return known[part]

    def load(self, pkg: Package, part: str) -> list[Piece] | None:
        info = pkg.infos.get(part)
        if self.dir is None or info is None or info.compress_type != zipfile.ZIP_DEFLATED:
            return None
        try:
            with open(self._file(part), "rb") as fh:
                if fh.read(len(self.MAGIC)) != self.MAGIC or \
                        fh.read(KEY_BYTES) != self._key(pkg, part):
                    return None
                found = [Piece(*p) for p in pickle.load(fh)]
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file is no map, never an error
            log.info("ignored the piece map of %s: %s", part, exc)
            return None
        return found if valid(found, info.file_size, info.compress_size, info.CRC) else None

    def store(self, pkg: Package, part: str, found: list[Piece]) -> None:
        if self.dir is None or part not in pkg.infos:
            return
        rows = [(p.first_row, p.raw, p.packed, p.crc) for p in found]
        write_kept(self._file(part), self.MAGIC + self._key(pkg, part), part, rows)

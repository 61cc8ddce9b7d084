"""Bounds on what an import reads, checked before the work: an export past them is refused in
plain words within seconds instead of filling the machine's memory.

- size: at most the Settings "Import limit MB" of cells (default 200 MB): a CSV's bytes, a
  workbook's parts once unpacked — taken from the zip's own directory, then confirmed by
  unpacking each part in small pieces with its declared size as the bound (a part that unpacks
  to more than it declares, a "zip bomb", fails its checksum and is refused);
- rows: at most 1,048,576 (what an Excel sheet holds).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from shopsheet.core.errors import BadInput

MAX_ROWS = 1_048_576
DEFAULT_MB = 200
_CHUNK = 1 << 20


class TooBig(BadInput):
    """An export past the import's bounds (or a damaged one claiming to be smaller)."""


def check_size(path: Path, limit_mb: int = DEFAULT_MB) -> None:
    path = Path(path)
    limit = limit_mb * 1_000_000
    advice = (f"ShopOps imports at most {limit_mb} MB (Settings, \"Import limit MB\"); split the "
              "export by date in the back end, or raise the limit")
    size = path.stat().st_size
    if path.suffix.lower() in (".xlsx", ".xlsm") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            declared = sum(info.file_size for info in zf.infolist())
            if declared > limit:
                raise TooBig(f"{path.name}: unpacks to {declared / 1e6:,.0f} MB; {advice}")
            try:
                for info in zf.infolist():
                    with zf.open(info) as part:  # bounded by the declared size, checksum checked
                        while part.read(_CHUNK):
                            pass
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
                raise TooBig(f"{path.name}: a part of it does not unpack to what it declares "
                             f"({err}); it is damaged or not a real export") from None
    elif size > limit:
        raise TooBig(f"{path.name}: {size / 1e6:,.0f} MB; {advice}")


def too_many_rows(name: str, rows: int) -> TooBig:
    return TooBig(f"{name}: more than {MAX_ROWS:,} rows, what an Excel sheet holds; split the "
                  "export by date in the back end")

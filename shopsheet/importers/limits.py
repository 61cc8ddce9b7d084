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
from shopsheet.core.language import _

MAX_ROWS = 1_048_576
DEFAULT_MB = 200
_CHUNK = 1 << 20


class TooBig(BadInput):
    """An export past the import's bounds (or a damaged one claiming to be smaller)."""


def check_size(path: Path, limit_mb: int = DEFAULT_MB) -> None:
    path = Path(path)
    limit = limit_mb * 1_000_000
    advice = _("ShopOps imports at most {limit} MB (Settings, \"Import limit MB\"); split the "
               "export by date in the back end, or raise the limit").format(limit=limit_mb)
    size = path.stat().st_size
    if path.suffix.lower() in (".xlsx", ".xlsm") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            declared = sum(info.file_size for info in zf.infolist())
            if declared > limit:
                raise TooBig(_("{file}: unpacks to {size} MB; {advice}").format(
                    file=path.name, size=f"{declared / 1e6:,.0f}", advice=advice))
            try:
                for info in zf.infolist():
                    with zf.open(info) as part:  # bounded by the declared size, checksum checked
                        while part.read(_CHUNK):
                            pass
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
                raise TooBig(_("{file}: a part of it does not unpack to what it declares "
                               "({error}); it is damaged or not a real export").format(
                    file=path.name, error=err)) from None
    elif size > limit:
        raise TooBig(_("{file}: {size} MB; {advice}").format(file=path.name,
                                                               size=f"{size / 1e6:,.0f}",
                                                               advice=advice))


def too_many_rows(name: str, rows: int) -> TooBig:
    return TooBig(_("{file}: more than {n} rows, what an Excel sheet holds; split the export "
                    "by date in the back end").format(file=name, n=f"{MAX_ROWS:,}"))

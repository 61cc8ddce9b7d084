"""Where ShopOps keeps what it remembers of a workbook between runs, and how a file is kept.

Frames (`framecache.py`) and piece maps (`piecemaps.py`) of each workbook live in a folder of
their own under the user's cache folder, or under `SHOPOPS_CACHE` (`off` keeps nothing). Files
are private to the user and written atomically. Nothing here imports pandas: the `shopops`
command looks up piece maps before pandas has loaded (`parse.py`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

import platformdirs

from shopsheet.book.write.safety import private_dir

log = logging.getLogger(__name__)

KEY_BYTES = 32  # a SHA-256, heading each kept file: what it was made from


def folder() -> Path | None:
    """Where frames and maps are kept: `SHOPOPS_CACHE`, or the user's cache folder; None
    when off."""
    setting = os.environ.get("SHOPOPS_CACHE", "")
    if setting.strip().lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else Path(platformdirs.user_cache_dir("shopops", False))


def workbook_dir(workbook: Path) -> Path | None:
    """The folder of one workbook file's kept frames and maps; None when nothing is kept."""
    base = folder()
    where = hashlib.blake2b(str(Path(workbook).resolve()).encode(), digest_size=10)
    return None if base is None else base / "frames" / where.hexdigest()


def write_kept(path: Path, head: bytes, what: str, *values) -> None:
    """`head` then each of `values` pickled, into `path` atomically; a failure only logs."""
    tmp = None
    try:
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head)
            for value in values:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("could not keep %s: %s", what, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

"""The guards around replacing a user's workbook: one run at a time, never under Excel's feet,
never over changes made since it was read, never half-written, always a backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from shopsheet.core.errors import SetupProblem, WorkbookBusy
from shopsheet.core.language import _

BACKUP_DIR = ".shopops-backups"


class WorkbookChanged(WorkbookBusy):
    """The file changed on disk between reading it and writing it."""


class WorkbookReadOnly(SetupProblem, PermissionError):
    """The workbook may not be replaced: read-only, or another user's."""


def real_file(path: Path) -> Path:
    """The file a path names: a symbolic link's target (written in place of the link, which
    stays a link), else the path itself."""
    path = Path(path)
    return path.resolve() if path.is_symlink() else path


def ensure_writable(path: Path) -> None:
    """Refuse a read-only workbook, and (POSIX) one another user owns: replacing it would
    hand it to whoever runs ShopOps."""
    st = os.stat(path)
    if not st.st_mode & 0o222:
        raise WorkbookReadOnly(_("{book} is read-only; nothing was written. Make it writable "
                                 "(file properties) if ShopOps should update it").format(
            book=path.name))
    if hasattr(os, "geteuid") and os.geteuid() not in (0, st.st_uid):
        raise WorkbookReadOnly(_("{book} belongs to another user; nothing was written. Run "
                                 "ShopOps as the user who owns it").format(book=path.name))
    if not os.access(path, os.W_OK):
        raise WorkbookReadOnly(_("{book} cannot be written by this user; nothing was "
                                 "written").format(book=path.name))


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        st = path.stat()
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return cls(st.st_size, st.st_mtime_ns, digest.hexdigest())


def owner_files(path: Path) -> list[Path]:
    """Files that say another program has the workbook open for editing.

    Excel writes `~$NAME` beside the file (Windows, macOS); LibreOffice writes `.~lock.NAME#`.
    """
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:  # Excel shortens long names: ~$ replaces the first two characters
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [p for p in candidates if p.exists()]


def ensure_not_open(path: Path) -> None:
    found = owner_files(path)
    if found:
        raise WorkbookBusy(_("{book} is open in Excel or another program ({lock} exists). Save "
                             "and close it, then run ShopOps again.").format(
            book=path.name, lock=found[0].name))


@contextlib.contextmanager
def run_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Keep concurrent ShopOps runs on the same workbook apart (through a link or not)."""
    path = real_file(path)
    lock_path = path.with_name(f".{path.name}.shopops.lock")
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WorkbookBusy(_("another ShopOps run is working on {book} (lock file {lock}); try "
                             "again when it has finished").format(
            book=path.name, lock=lock_path.name)) from None
    try:
        _remove_stale_temps(path)
        yield
    finally:
        lock.release()


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.shopops-"


def _remove_stale_temps(path: Path) -> None:
    """Temp files left by a run that was killed mid-write; the lock proves nobody owns them."""
    for stale in path.parent.glob(_temp_prefix(path) + "*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def replace_atomically(path: Path, write: Callable[[Path], None], expected: Fingerprint,
                       keep_backups: int, check: Callable[[Path], None]) -> Path | None:
    """Write a new version beside `path`, check it, then swap it in with one rename.

    `write(temp)` produces the new file and `check(temp)` raises if it is wrong. The original is
    untouched until the rename, so a crash at any point leaves either the old or the new file.
    Returns the backup made of the old version, if any. A symbolic link's target is replaced
    (the link stays); owner, group and mode are kept.
    """
    ensure_not_open(path)
    path = real_file(path)
    ensure_writable(path)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        check(temp)
        _copy_permissions(path, temp)
        ensure_not_open(path)
        if Fingerprint.of(path) != expected:
            raise WorkbookChanged(_("{book} changed on disk since ShopOps read it (saved from "
                                    "Excel?). Nothing was written; run again.").format(
                book=path.name))
        backup = _backup(path, keep_backups)
        os.replace(temp, path)
        _fsync_dir(path.parent)
        return backup
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _copy_permissions(original: Path, temp: Path) -> None:
    shutil.copymode(original, temp)
    st = original.stat()
    with contextlib.suppress(PermissionError, AttributeError):
        os.chown(temp, st.st_uid, st.st_gid)


def _backup(path: Path, keep: int) -> Path | None:
    """Keep the version about to be replaced; a hard link costs nothing, else a copy."""
    if keep <= 0:
        return None
    folder = private_dir(path.parent / BACKUP_DIR)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = folder / f"{path.stem}.{stamp}{path.suffix}"
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    olds = sorted(folder.glob(f"{path.stem}.*{path.suffix}"))
    for old in olds[:-keep]:
        old.unlink()
    return backup


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_dir(folder: Path) -> Path:
    """Make `folder` (and any parent it lacks) readable by its owner only (0700 on POSIX):
    what ShopOps writes there holds customers' names, addresses and phones. A folder that
    already exists keeps the mode its owner gave it."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for made in reversed(missing):
        with contextlib.suppress(FileExistsError):
            made.mkdir(mode=0o700)
            os.chmod(made, 0o700)  # mkdir's mode passes through the umask
    return folder


def write_private(path: Path, data: bytes) -> None:
    """`data` as `path`, whole or not at all, readable by its owner only."""
    with side_file(path) as temp:
        temp.write_bytes(data)


@contextlib.contextmanager
def side_file(path: Path) -> Iterator[Path]:
    """A file ShopOps writes beside the workbook (a report, packing slips, a stock file): the
    block writes the temp path given, which becomes `path` in one rename when the block ends
    well, or is removed — never a half-written or empty file under the real name. It is made
    readable by its owner only (0600), in a folder made 0700 if ShopOps makes it."""
    path = Path(path)
    temp = _temp_beside(path)
    try:
        yield temp
        if temp.stat().st_size == 0:
            raise OSError(_("{file} came out empty (is the disk full?); nothing was kept").format(
                file=path.name))
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _temp_beside(final: Path) -> Path:
    """A new empty file (0600) beside `final`, in a private folder, to become `final` by a
    rename; temp files a killed run left for `final` are removed first (the run lock says
    nobody owns them)."""
    private_dir(final.parent)
    for stale in final.parent.glob(f".{final.stem}.shopops-*{final.suffix}"):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, name = tempfile.mkstemp(prefix=f".{final.stem}.shopops-", suffix=final.suffix,
                                dir=final.parent)
    os.close(fd)
    return Path(name)


class Pending:
    """Side files made during a batch, put in place only once the workbook is saved: a morning
    that stops writes no packing slip for orders the workbook never recorded."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []  # (temp, final)

    def path_for(self, final: Path) -> Path:
        temp = _temp_beside(Path(final))
        self.files.append((temp, Path(final)))
        return temp

    def commit(self) -> None:
        for temp, final in self.files:
            if temp.exists() and temp.stat().st_size:
                os.replace(temp, final)
        self.drop()

    def drop(self) -> None:
        for temp, _unused in self.files:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self.files = []


def conflict_copies(path: Path) -> list[Path]:
    """Copies a sync service made beside the workbook when two machines changed it at once:
    Dropbox's `ShopOps (conflicted copy 2026-12-03).xlsm` (or `(Li's conflicted copy …)`),
    OneDrive's `ShopOps-LAPTOP-1.xlsm`, Google Drive's and iCloud's `ShopOps (1).xlsm` /
    `ShopOps 2.xlsm`. Their changes are not in the workbook until the owner merges them."""
    path = Path(path)
    stem, suffix = re.escape(path.stem), re.escape(path.suffix)
    pattern = re.compile(rf"^{stem}(?:(?i: \([^)]*conflict[^)]*\))| \(\d+\)| \d+"
                         rf"|-[A-Z0-9][A-Z0-9-]{{2,}})(?i:{suffix})$")  # OneDrive: -PCNAME
    try:
        return sorted(p for p in path.parent.iterdir() if p != path and pattern.match(p.name))
    except OSError:
        return []

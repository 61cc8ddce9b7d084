"""`shopops upgrade`: give a workbook the owner already has the ShopOps Excel face — the
ribbon tab, the VBA project and the xlwings.conf sheet — or bring them to this version; a book
made before the optional sheets of the catalogue existed (Listings, Kits, Settlements,
Reconciliation, Expenses) gets them too (`book/make/addsheets.py`), and ShopOps sheets without a
print set-up get `init`'s (`book/make/printsetup.py`).

The owner's data, charts and other parts are copied byte for byte (`excel/face.py`); their own
VBA modules are carried into the new project (`excel/carry.py`). An .xlsm is replaced with
the same guards as every write (one run at a time, not open in Excel, unchanged since read,
checked before the swap, a backup kept); an .xlsx stays as it is and the .xlsm is made beside
it. A book that is already current is not written.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from shopsheet.book.make.addsheets import with_missing_sheets
from shopsheet.book.make.printsetup import with_print_setup
from shopsheet.book.write.package import Package
from shopsheet.book.write.safety import Fingerprint, ensure_not_open, replace_atomically, run_lock
from shopsheet.book.write.writer import SelfCheckFailed
from shopsheet.core.language import CHINESE, _, language_of, ngettext
from shopsheet.excel.build import users_face
from shopsheet.excel.carry import FaceRefused
from shopsheet.excel.check import vba_modules
from shopsheet.excel.face import Face, Faced, with_face
from shopsheet.routines.common import Result

SUFFIXES = (".xlsx", ".xlsm")


def upgrade_workbook(path: Path, face: Face | None = None, keep_backups: int = 5, *,
                     language: str | None = None) -> Result:
    """Add (or refresh) the ShopOps face in the workbook at `path`; sheets it lacks and the
    ribbon in the book's `language` (a Chinese book stays Chinese)."""
    path = Path(path)
    chinese = language_of(language) == CHINESE
    if path.suffix.lower() not in SUFFIXES:
        raise FaceRefused(_("{file}: ShopOps upgrades .xlsx and .xlsm workbooks; open it in "
                            "Excel and save it as an Excel Workbook (.xlsx) first").format(
            file=path.name))
    face = face or users_face()
    target = path.with_suffix(".xlsm")
    if path.suffix.lower() == ".xlsx" and target.exists():
        raise FaceRefused(_("{target} already exists beside {file}; upgrade that one (shopops "
                            "upgrade \"{path}\") or move it away. Nothing was written.").format(
            target=target.name, file=path.name, path=target))
    with run_lock(path):
        ensure_not_open(path)
        expected = Fingerprint.of(path)
        data = path.read_bytes()
        _ensure_whole(data, path.name)
        grown, sheets = with_missing_sheets(data, target.name, chinese)
        grown, printable = with_print_setup(grown, target.name)
        faced = with_face(grown, target.name, face, chinese)
        if sheets:
            said = [_(s) for s in sheets]
            named = _(", ").join(said[:-1]) + _(" and ") + said[-1] if len(said) > 1 \
                else said[0]
            faced.added.insert(0, ngettext("the {names} sheet", "the {names} sheets",
                                           len(sheets)).format(names=named))
        if printable:
            faced.added.append(_("a print set-up on {n} sheets").format(n=len(printable)))
        faced.touched = sorted(set(faced.touched) | _changed(data, grown))
        if _current(data, faced):
            return Result("upgrade", _("{file} already has this version's ShopOps tab, VBA and "
                                       "xlwings.conf sheet; nothing written").format(
                file=path.name))

        def check(temp: Path) -> None:
            _check(temp, data, faced, face)

        if target == path:
            replace_atomically(path, lambda fh: fh.write(faced.data), expected, keep_backups,
                               check)
        else:
            _write_new(target, faced.data, check)
    return _result(path, target, faced)


def _ensure_whole(data: bytes, name: str) -> None:
    """Refuse a damaged workbook (a part that is not well-formed XML): an upgrade would carry
    the damage into a new file and call it done."""
    pkg = Package(data, name)
    for part in pkg.infos:
        if part.endswith((".xml", ".rels")):
            try:
                etree.fromstring(pkg.read(part), etree.XMLParser(huge_tree=True))
            except (etree.XMLSyntaxError, ValueError) as err:
                raise FaceRefused(_("{book} is damaged: its part {part} cannot be read "
                                    "({error}). Open it in Excel and save it again, or use a "
                                    "copy from .shopops-backups; nothing was changed.").format(
                    book=name, part=part, error=err)) from None


def _current(before: bytes, faced: Faced) -> bool:
    """Nothing to add: only the VBA project was rebuilt, and its modules read back the same."""
    old, new = Package(before, "before"), Package(faced.data, "after")
    if set(old.infos) != set(new.infos):
        return False
    changed = [n for n in new.infos if old.infos[n].CRC != new.infos[n].CRC]
    if any(not n.endswith("vbaProject.bin") for n in changed):
        return False
    if not changed:
        return True
    return _modules(old.read(changed[0])) == _modules(new.read(changed[0]))


def _changed(before: bytes, after: bytes) -> set[str]:
    """Parts of `after` that are new or differ from `before`."""
    old, new = Package(before, "before"), Package(after, "after")
    return {n for n, i in new.infos.items() if n not in old.infos or old.infos[n].CRC != i.CRC}


def _modules(project: bytes) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="shopops-vba-") as folder:
        path = Path(folder) / "vbaProject.bin"
        path.write_bytes(project)
        return vba_modules(path)


def _check(temp: Path, before: bytes, faced: Faced, face: Face) -> None:
    """The written file is the package meant: every part the face did not touch is
    byte-identical to the original, and oletools reads every module back as it was given."""
    old = zipfile.ZipFile(io.BytesIO(before))
    touched = set(faced.touched)
    with zipfile.ZipFile(temp) as new:
        kept = {i.filename: i for i in new.infolist()}
        for info in old.infolist():
            if info.filename not in kept:
                raise SelfCheckFailed(f"the upgraded file lost {info.filename}")
            if info.filename not in touched and kept[info.filename].CRC != info.CRC:
                raise SelfCheckFailed(f"the upgraded file changed {info.filename}")
        if new.testzip() is not None:
            raise SelfCheckFailed("the upgraded file does not read back whole")
    got = vba_modules(temp)
    wanted = {**face.modules, **face.classes, **faced.carried.modules, **faced.carried.classes}
    for name, code in wanted.items():
        if got.get(name) != code.replace("\r\n", "\n").rstrip("\n"):
            raise SelfCheckFailed(f"VBA module {name} did not read back as written")


def _write_new(target: Path, data: bytes, check) -> None:
    """Write a new file at `target`, checked, appearing whole or not at all, never over one."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.shopops-", suffix=".tmp",
                                dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        check(temp)
        try:
            os.link(temp, target)  # fails if target appeared meanwhile
        except FileExistsError:
            raise FaceRefused(_("{file} appeared while ShopOps worked; nothing was "
                                "written").format(file=target.name)) from None
        except OSError:  # a file system without hard links
            with open(target, "xb") as out:
                out.write(data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _result(path: Path, target: Path, faced: Faced) -> Result:
    what = faced.added or [_("this version's VBA and ribbon")]
    where = (_("{target} made beside {file} (which is unchanged)") if target != path
             else _("{file} upgraded")).format(target=target.name, file=path.name)
    alerts = []
    mine = [*faced.carried.modules, *faced.carried.classes, *faced.carried.documents]
    if mine:
        alerts.append(_("your own VBA was carried over: {modules}").format(
            modules=", ".join(mine)))
    if faced.carried.references:
        alerts.append(_("tick these again under Tools › References in the VBA editor if your "
                        "macros use them: {references}").format(
            references=", ".join(faced.carried.references)))
    alerts.append(_("open {file} in Excel and enable macros: the ShopOps tab is on the ribbon "
                    "(the xlwings add-in is not needed)").format(file=target.name))
    return Result("upgrade", _("{where}: {what}").format(where=where, what=_(", ").join(what)),
                  alerts=alerts, changed=True,
                  figures={"added": what, "carried": mine})

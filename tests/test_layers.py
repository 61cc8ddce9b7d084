"""The house rules a newcomer relies on, checked: imports point inward, the speed machinery
stays behind the Book, and every core module has its own tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "shopsheet"
FLOORS = {"core": 0, "sheets": 1, "adapters": 2, "routines": 3, "faces": 4}
# the speed machinery: routines and core never import it (they ask the Book)
MACHINERY = ("shopsheet.book.read", "shopsheet.book.cache", "shopsheet.book.write.pieces",
             "shopsheet.book.write.deflate", "shopsheet.book.write.sheetstream",
             "shopsheet.book.write.zipcopy", "shopsheet.book.filebook")
_IMPORT = re.compile(r"^\s*(?:from\s+(shopsheet[\w.]*)\s+import|import\s+(shopsheet[\w.]*))",
                     re.M)


def floor(module: str) -> str:
    parts = module.split(".")
    if parts[1:2] == ["core"] or module == "shopsheet.core":
        return "core"
    if parts[1:2] in (["sheets"], ["sheetnames"], ["columns"], ["settings"], ["validation"],
                      ["starter"]):
        return "sheets"
    if parts[1:2] in (["book"], ["importers"], ["reports"], ["excel"]):
        return "adapters"
    if parts[1:2] == ["routines"]:
        return "routines"
    return "faces"  # cli, scheduler, service, launch, demo, failures…


def imports() -> dict[str, set[str]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        found[name] = {a or b for a, b in _IMPORT.findall(text)}
    return found


def test_imports_point_inward():
    upward = [f"{m} → {i}" for m, deps in imports().items() for i in deps
              if FLOORS[floor(i)] > FLOORS[floor(m)]]
    assert upward == []


def test_routines_and_core_ask_the_book_not_its_machinery():
    leaks = [f"{m} → {i}" for m, deps in imports().items()
             if floor(m) in ("core", "routines") for i in deps if i.startswith(MACHINERY)]
    assert leaks == []


def test_every_core_module_has_its_own_tests():
    core = {p.stem for p in (PACKAGE / "core").glob("*.py") if p.stem != "__init__"}
    tested = {p.stem.removeprefix("test_") for p in (ROOT / "tests" / "core").glob("test_*.py")}
    assert sorted(core - tested) == []

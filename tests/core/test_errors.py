"""Every error ShopOps raises is a ShopOpsError of exactly one of the four kinds, each with a
plain message; a few internal signals never reach a face."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import shopsheet
from shopsheet.core.errors import (BadInput, SetupProblem, ShopOpsError, WorkbookBusy,
                                   WorkbookDamaged)

KINDS = (BadInput, WorkbookBusy, WorkbookDamaged, SetupProblem)
# raised and caught inside ShopOps, never reaching a face: signals, not failures
INTERNAL = {"NotStreamable", "PiecesDoNotFit", "_Stopped"}


def every_exception_class() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(shopsheet.__path__, "shopsheet."):
        if info.name.endswith("__main__"):  # runs the command when imported
            continue
        module = importlib.import_module(info.name)
        found += [obj for _, obj in inspect.getmembers(module, inspect.isclass)
                  if issubclass(obj, BaseException) and obj.__module__ == info.name]
    return found


def test_every_error_shopops_raises_is_of_one_kind():
    classes = every_exception_class()
    assert len(classes) > 10
    for cls in classes:
        if cls.__name__ in INTERNAL or cls in (ShopOpsError, *KINDS):
            continue
        kinds = [k for k in KINDS if issubclass(cls, k)]
        assert len(kinds) == 1, f"{cls.__module__}.{cls.__name__} is of kinds {kinds}"


def test_a_kind_carries_its_message():
    err = WorkbookBusy("ShopOps.xlsm is open in Excel; close it and run again")
    assert isinstance(err, ShopOpsError) and err.kind == "workbook busy"
    assert str(err) == "ShopOps.xlsm is open in Excel; close it and run again"

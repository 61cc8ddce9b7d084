"""Adapters to the workbook: FileBook (headless, calamine + package patching); LiveBook
(xlwings, the workbook open in Excel) comes with the ribbon.

The names below are imported when first used, so that the `shopops` command can start parsing a
workbook (`parse.py`) before pandas has loaded.
"""

__all__ = ["Book", "BookError", "FileBook", "SheetData"]


def __getattr__(name: str):
    if name in ("Book", "BookError", "SheetData"):
        from shopsheet.book import base

        return getattr(base, name)
    if name == "FileBook":
        from shopsheet.book.filebook import FileBook

        return FileBook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

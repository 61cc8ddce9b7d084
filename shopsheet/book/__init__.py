"""Adapters to the workbook: FileBook (headless, calamine + package patching); LiveBook
(xlwings, the workbook open in Excel) comes with the ribbon."""

from shopsheet.book.base import Book, BookError, SheetData
from shopsheet.book.filebook import FileBook

__all__ = ["Book", "BookError", "FileBook", "SheetData"]

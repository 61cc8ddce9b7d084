"""ShopOps: a small shop's Excel workbook as a system of record.

Layers, imports pointing inward only: faces (cli, scheduler, macros) → routines →
adapters (book, importers, reports) → sheets → core.
"""

__version__ = "0.1.0"

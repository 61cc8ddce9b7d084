"""One function per user action: read → validate → core → write → log.

The CLI, the scheduler and the ribbon macros all call these, with whichever Book they have.
A routine returns a `Result` (a summary line in the operations guide's words, the problems
found, figures for the caller to show); problems in the input mean nothing is written.
"""

from shopsheet.routines.common import Result, log_line, read_sheets
from shopsheet.routines.counting import count_import, count_sheet
from shopsheet.routines.daily import daily
from shopsheet.routines.importing import import_orders
from shopsheet.routines.listings import listings
from shopsheet.routines.messages import messages
from shopsheet.routines.monthly import abc, promotions, review
from shopsheet.routines.orders import ship, verify
from shopsheet.routines.planning import pick_list, reorders
from shopsheet.routines.profit import profit
from shopsheet.routines.purchasing import send_po
from shopsheet.routines.reconciling import reconcile_month
from shopsheet.routines.reporting import email_report, report
from shopsheet.routines.settlements import import_settlements
from shopsheet.routines.shipping_costs import shipping_costs
from shopsheet.routines.stock import receive, restock_returns, update_stock
from shopsheet.routines.stock_export import stock_export, stock_export_all
from shopsheet.routines.workbook import init_workbook, validate

__all__ = ["Result", "abc", "count_import", "count_sheet", "daily", "email_report", "import_orders", "import_settlements",
           "init_workbook", "listings",
           "log_line", "messages", "pick_list", "promotions", "read_sheets", "receive",
           "profit", "reconcile_month",
           "reorders", "report", "restock_returns", "review", "send_po", "ship", "shipping_costs",
           "stock_export",
           "stock_export_all", "update_stock", "validate", "verify"]

"""The weekly / monthly report workbook, and e-mailing it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.write.safety import side_file, write_private
from shopsheet.core import kpi
from shopsheet.core.language import _, counted
from shopsheet.core.problems import Problem
from shopsheet.reports import email as mail
from shopsheet.reports.period_report import tile_values, write_report
from shopsheet.routines.common import Result, finish, log_line, prepare
from shopsheet.routines.messages import DEFAULT_TEMPLATES

REPORT_SHEETS = ("Products", "Orders", "Returns", "Inquiries", "StockLedger", "PurchaseOrders",
                 "Settlements", "Expenses")  # the last three for the month's P&L


def report(book: Book, now: dt.datetime, *, folder: Path, month: bool = False,
           out: Path | None = None) -> Result:
    """Write the report for the last full week (or month) to `out` or `reports/`."""
    frames, settings, failed = prepare(book, REPORT_SHEETS, "report")
    if failed:
        return failed
    period = (kpi.Period.month_before if month else kpi.Period.week_before)(now.date())
    kind = "month" if month else "week"
    out = out or folder / "reports" / f"report-{kind}-{period.start:%Y-%m-%d}.xlsx"
    with side_file(out) as temp:  # a full disk leaves no empty or broken report behind
        write_report(temp, frames, settings, period, now.date())
    tiles = tile_values(frames, period, settings)
    summary = _("Report {period}: {orders}, GMV ¥{gmv}, AOV ¥{aov} — written to {file}").format(
        period=period.said(), orders=counted("{n} order", "{n} orders", int(tiles["Orders"])),
        gmv=f"{tiles['GMV (¥)']:,.2f}", aov=f"{(tiles['AOV (¥)'] or 0):,.2f}", file=out)
    return Result("report", summary, figures={"file": str(out), "period": period.label})


def email_report(book: Book, now: dt.datetime, *, report_file: Path, folder: Path,
                 dry_run: bool = False) -> Result:
    """Send `report_file` to the Settings recipients; on failure say why, keep the report and
    write a Log line."""
    frames, settings, failed = prepare(book, (), "email")
    if failed:
        return failed
    templates = next((p for p in (folder / "templates" / "email", DEFAULT_TEMPLATES / "email")
                      if mail.template(p, "report.subject").exists()),
                     DEFAULT_TEMPLATES / "email")
    values = {"shop_name": settings.shop_name, "period": _period_words(report_file),
              "summary": _("Report file: {file}").format(file=report_file.name)}
    try:
        msg = mail.compose(settings, report_file, values, templates)
        if dry_run:
            eml = report_file.with_suffix(".eml")
            write_private(eml, bytes(msg))
            return Result("email", _("Dry run: the e-mail to {to} is in {file}").format(
                to=msg["To"], file=eml),
                          figures={"eml": str(eml)})
        mail.send(msg, settings, mail.password_for(settings))
    except mail.MailError as err:
        result = Result("email", _("E-mail not sent: {why}. The report is kept at {file}").format(
            why=str(err).rstrip("."), file=report_file),
                        [Problem("E-mail", message=str(err))])
        log_line(book, result, now)
        book.save()
        return result
    result = Result("email", _("E-mailed {file} to {to}").format(file=report_file.name,
                                                                 to=msg["To"]))
    result.changed = True
    return finish(book, result, now, log=True)


def _period_words(report_file: Path) -> str:
    stem = report_file.stem.replace("report-", "")
    for kind, words in (("week-", _("week of {date}")), ("month-", _("month of {date}"))):
        if stem.startswith(kind):
            return words.format(date=stem.removeprefix(kind))
    return stem

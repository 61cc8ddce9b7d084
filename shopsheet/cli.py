"""The `shopops` command: one subcommand per routine, each parse → one call → show.

Every failure is told one way (`failures.told`): a ShopOps error or a system error prints
`Error: …` and exits 1; anything else is a bug, its traceback written to the error log and one
line shown. Problems in a workbook print one line each and exit 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import sys
from pathlib import Path

import click

from shopsheet import __version__, routines
from shopsheet.book import FileBook
from shopsheet.core.language import (DOMAIN, LANGUAGES, LOCALE_DIR, _, counted, speaking,
                                     system_language, use)
from shopsheet.core.problems import summarised
from shopsheet.failures import told
from shopsheet.importers import FORMATS


@contextlib.contextmanager
def _said(item):
    """`item`'s help in the language spoken while click lays it out (the catalogue holds every
    command's and option's help: `tools/translations.py` takes them from this command tree)."""
    written = item.help
    item.help = _(written) if written else written
    try:
        yield
    finally:
        item.help = written


class SaidCommand(click.Command):
    """A command whose help is said in the language spoken."""

    def format_help_text(self, ctx, formatter) -> None:
        with _said(self):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _said(self):
            return super().get_short_help_str(limit)


class SaidGroup(click.Group):
    command_class = SaidCommand

    def format_help_text(self, ctx, formatter) -> None:
        with _said(self):
            super().format_help_text(ctx, formatter)


class SaidOption(click.Option):
    """An option whose help is said in the language spoken."""

    def get_help_record(self, ctx):
        with _said(self):
            return super().get_help_record(ctx)


option = functools.partial(click.option, cls=SaidOption)


def friendly(command):
    """Every failure of a command as `Error: …` and exit code 1, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:
            words = told(err, f"shopops {command.__name__.replace('_', '-')}")
            if isinstance(err, OSError):
                words += _("; the workbook was not changed by this failure")
            raise click.ClickException(words) from None
    return wrapper


def show(result: routines.Result, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps({"routine": result.routine, "summary": result.summary,
                               "ok": result.ok, "figures": result.figures,
                               "problems": [p.as_dict() for p in result.problems]},
                              ensure_ascii=False, indent=2, default=str))
    else:
        for line in summarised(result.problems):
            click.echo(line)
        for step in result.steps:
            click.echo(f"  {step.routine}: {step.summary}")
        click.echo(result.summary)
        for alert in result.alerts:
            click.echo(f"  ! {alert}")
    if not result.ok:
        sys.exit(1)


book_path = click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
today_option = option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                            help="Run as if today were this date (YYYY-MM-DD).")


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def _now(value: dt.datetime | None) -> dt.datetime:
    """The run's clock: now, or 08:00 on --today (so scripted runs repeat exactly)."""
    return dt.datetime.combine(value.date(), dt.time(8, 0)) if value else \
        dt.datetime.now().replace(microsecond=0)


@contextlib.contextmanager
def progress_bar(total: int, label: str):
    """A rich progress bar on a terminal; nothing at all when output is piped or logged."""
    if not sys.stdout.isatty():
        yield lambda step: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda step: bar.update(task, description=f"{label}: {step}", advance=1)


def run_on(book: Path, routine, now: dt.datetime, **options) -> None:
    """Open the workbook, run one routine on it (`routine(book, now, **options)`), show the
    result."""
    with FileBook.open(book) as fb, speaking(fb.language):
        show(routine(fb, now, **options))


@click.group(cls=SaidGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shopops")
def cli() -> None:
    """ShopOps: run a small shop from its Excel workbook.

    \b
    Start with:  shopops demo           (a demo shop in ./shopops-demo)
    Or:          shopops init ShopOps.xlsm
    """


lang_option = option(
    "--lang", type=click.Choice(LANGUAGES, case_sensitive=False), default=None,
    help="zh-CN: Chinese sheets, headers, drop-downs and messages; en: English. "
         "Default: SHOPOPS_LANG, else the system's language.")


@cli.command()
@book_path
@lang_option
@today_option
@friendly
def init(book: Path, lang: str | None, today: dt.datetime | None) -> None:
    """Create a new workbook with every sheet, default settings and three example products.

    Example: shopops init ShopOps.xlsm --lang zh-CN
    """
    with speaking(lang):
        show(routines.init_workbook(book, _today(today)))


@cli.command()
@book_path
@friendly
def upgrade(book: Path) -> None:
    """Add the ShopOps ribbon tab, its VBA and the xlwings.conf sheet to a workbook you
    already have, or bring them to this version. Your sheets, charts and macros are kept; an
    .xlsx stays as it is and the .xlsm is made beside it.

    Example: shopops upgrade MyShop.xlsx
    """
    from shopsheet.routines.upgrade import upgrade_workbook

    language = _language_of(book)
    with speaking(language):
        show(upgrade_workbook(book, language=language))


def _language_of(book: Path) -> str | None:
    """The language of the workbook at `book`, if it can be read as a ShopOps workbook."""
    try:
        with FileBook.open(book) as fb:
            return fb.language
    except Exception:  # a workbook upgrade will refuse, or one with no Settings: upgrade says
        return None


@cli.command()
@book_path
@option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@today_option
@friendly
def validate(book: Path, as_json: bool, today) -> None:
    """Check every sheet; print each problem with its cell; exit 1 if any.

    Example: shopops validate ShopOps.xlsm
    """
    with FileBook.open(book) as fb, speaking(fb.language):
        show(routines.validate(fb, _now(today)), as_json)


@cli.command("import")
@book_path
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--format", "fmt", type=click.Choice(FORMATS), help="Skip detection.")
@today_option
@friendly
def import_(book: Path, files: tuple[Path, ...], fmt: str | None, today) -> None:
    """Import order exports (Xiaohongshu, Taobao/Tmall, 千牛, Shopify, or Orders columns).

    Example: shopops import ShopOps.xlsm 订单报表.csv 宝贝报表.csv
    """
    run_on(book, routines.import_orders, _now(today), paths=list(files), fmt=fmt)


@cli.command()
@book_path
@option("--suggest", is_flag=True,
              help="Append a suggested Listings row (closest product name) for each.")
@today_option
@friendly
def listings(book: Path, suggest: bool, today) -> None:
    """Order lines no product is found for (no SKU, or a channel's own code), and what to add.

    A suggested row moves no stock until you set its Status to confirmed.

    Example: shopops listings ShopOps.xlsm --suggest
    """
    run_on(book, routines.listings, _now(today), suggest=suggest)


@cli.command("stock-export")
@book_path
@option("--channel", required=True,
              type=click.Choice(("shopify", "taobao", "xiaohongshu", "generic")),
              help="Whose bulk stock file to write (taobao serves Tmall too).")
@option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: the stock export folder beside the workbook).")
@today_option
@friendly
def stock_export(book: Path, channel: str, out: Path | None, today) -> None:
    """Write the stock each listing may sell, as the channel's bulk inventory file.

    Available = on hand − paid, unshipped units − the Settings stock buffer, per listing
    divided by its Units (a kit: what its parts make).

    Example: shopops stock-export ShopOps.xlsm --channel shopify
    """
    run_on(book, routines.stock_export, _now(today), folder=book.resolve().parent,
           channel=channel, out=out)


@cli.command()
@book_path
@today_option
@friendly
def verify(book: Path, today) -> None:
    """Check payment, address and stock of new orders; raise the red flags.

    Example: shopops verify ShopOps.xlsm
    """
    run_on(book, routines.verify, _now(today))


@cli.command("update-stock")
@book_path
@today_option
@friendly
def update_stock(book: Path, today) -> None:
    """Post sales, cancellations, receipts and returns to the StockLedger; refresh Products.

    Example: shopops update-stock ShopOps.xlsm
    """
    run_on(book, routines.update_stock, _now(today))


@cli.command()
@book_path
@today_option
@friendly
def reorders(book: Path, today) -> None:
    """Flag SKUs at their reorder point and draft purchase orders by supplier.

    Example: shopops reorders ShopOps.xlsm
    """
    run_on(book, routines.reorders, _now(today))


@cli.command("pick-list")
@book_path
@option("--slips", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write packing slips (one page per order) to this .xlsx file.")
@today_option
@friendly
def pick_list(book: Path, slips: Path | None, today) -> None:
    """Write today's batched PickList sheet (and packing slips).

    Example: shopops pick-list ShopOps.xlsm --slips slips.xlsx
    """
    run_on(book, routines.pick_list, _now(today), slips=slips)


@cli.command()
@book_path
@click.argument("po")
@option("--qty", type=click.IntRange(min=1), help="Units that arrived (default: all due).")
@option("--sku", help="The PO line, when the PO has several.")
@option("--over", is_flag=True,
              help="Receive --qty even when it is more than the line has open (noted in the Log).")
@today_option
@friendly
def receive(book: Path, po: str, qty: int | None, sku: str | None, over: bool, today) -> None:
    """Receive a purchase order (or part of one) into stock.

    Example: shopops receive ShopOps.xlsm PO-261121-01 --sku A001 --qty 40
    """
    run_on(book, routines.receive, _now(today), po_no=po, qty=qty, sku=sku, over=over)


@cli.command("send-po")
@book_path
@click.argument("po")
@option("--no-email", is_flag=True,
        help="Write the document and mark the PO ordered; you send it (WeChat, print) yourself.")
@option("--dry-run", is_flag=True,
        help="Write the document (and the e-mail as an .eml); send and mark nothing.")
@today_option
@friendly
def send_po(book: Path, po: str, no_email: bool, dry_run: bool, today) -> None:
    """Send a purchase order to its supplier: the PO as a printable document in
    purchase-orders/, e-mailed to the supplier's Email (SMTP per Settings), and its draft
    lines marked ordered today, due after the lead time.

    Example: shopops send-po ShopOps.xlsm PO-261121-01
    """
    run_on(book, routines.send_po, _now(today), po_no=po, folder=book.resolve().parent,
           email=not no_email, dry_run=dry_run)


@cli.command("count-list")
@book_path
@option("--out", type=click.Path(dir_okay=False, path_type=Path),
        help="Write the count sheet here (default: counts/count-DATE.xlsx beside the workbook).")
@option("--all", "every", is_flag=True,
        help="Every product due for a count, not only today's share.")
@today_option
@friendly
def count_list(book: Path, out: Path | None, every: bool, today) -> None:
    """Today's count sheet: A items weekly, B monthly, C quarterly, a day's share of each,
    walked in Location order, with a blank Counted column.

    Example: shopops count-list ShopOps.xlsm
    """
    run_on(book, routines.count_sheet, _now(today), folder=book.resolve().parent, out=out,
           every=every)


@cli.command()
@book_path
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@today_option
@friendly
def count(book: Path, file: Path, today) -> None:
    """Post a filled count sheet (SKU and Counted columns) as stock counts: the counted level
    replaces what the ledger said; differences are listed and go into the month's shrinkage.

    Example: shopops count ShopOps.xlsm counts/count-2026-11-21.xlsx
    """
    run_on(book, routines.count_import, _now(today), path=file)


@cli.command()
@book_path
@today_option
@friendly
def returns(book: Path, today) -> None:
    """Restock resellable returns; damaged and defective ones stay out of stock.

    Example: shopops returns ShopOps.xlsm
    """
    run_on(book, routines.restock_returns, _now(today))


@cli.command("shipping-costs")
@book_path
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@today_option
@friendly
def shipping_costs(book: Path, file: Path, today) -> None:
    """A carrier's bill (tracking number and cost, optional date and carrier) into Expenses,
    each cost on the order that tracking number shipped, so `profit` takes it off that order.
    A tracking number already billed is not added again.

    Example: shopops shipping-costs ShopOps.xlsm sf-bill-2026-11.csv
    """
    run_on(book, routines.shipping_costs, _now(today), path=file)


@cli.command()
@book_path
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@today_option
@friendly
def settle(book: Path, files: tuple[Path, ...], today) -> None:
    """Record what the platforms paid, refunded and charged: Shopify Payments transactions,
    Alipay 账务明细, WeChat Pay 交易账单 or Xiaohongshu 结算明细 (detected from their headers)
    into the Settlements sheet. A file given twice adds nothing the second time.

    Example: shopops settle ShopOps.xlsm payment_transactions_export_1.csv
    """
    run_on(book, routines.import_settlements, _now(today), paths=list(files))


@cli.command()
@book_path
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@today_option
@friendly
def ship(book: Path, file: Path, today) -> None:
    """Record tracking numbers from a carrier CSV: orders become shipped.

    Example: shopops ship ShopOps.xlsm sf-express-2026-11-21.csv
    """
    run_on(book, routines.ship, _now(today), path=file)


@cli.command()
@book_path
@today_option
@friendly
def daily(book: Path, today) -> None:
    """The morning routine: import the inbox, verify, update stock, reorders, pick list.

    Example: shopops daily ShopOps.xlsm
    """
    from shopsheet.routines.daily import STEPS

    with progress_bar(STEPS, "Daily checklist") as step:
        run_on(book, routines.daily, _now(today), folder=book.resolve().parent, progress=step)


class Month(click.ParamType):
    """A calendar month typed as YYYY-MM (or YYYY/MM), said plainly when it is not one."""

    name = "YYYY-MM"

    def __init__(self, last: bool = False):
        self.last = last  # "--month" alone means the last full month

    def convert(self, value, param, ctx) -> dt.date | str:
        if self.last and value == "last":
            return value
        if isinstance(value, dt.date):
            return value.replace(day=1)
        found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", str(value).strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            self.fail(_("{value!r} is not a month: give it as YYYY-MM, e.g. 2026-12").format(
                value=value), param, ctx)
        return dt.date(int(found.group(1)), int(found.group(2)), 1)


PLAN_AHEAD_MONTHS = 24
MONTH_TEXT = re.compile(r"\d{4}[-/.]\d{1,2}")


class OptionalMonth(SaidCommand):
    """`--month` alone (the last full month) or `--month YYYY-MM`: a word after a bare
    `--month` that is not written as a month is the next argument (`review --month BOOK`)."""

    def parse_args(self, ctx, args):
        given = []
        for i, arg in enumerate(args):
            given.append(arg)
            if arg == "--month" and (i + 1 == len(args) or
                                     not MONTH_TEXT.fullmatch(args[i + 1].strip())):
                given.append("last")
        return super().parse_args(ctx, given)


@cli.command()
@book_path
@option("--month", type=Month(), required=True, help="The month to plan, YYYY-MM.")
@today_option
@friendly
def promotions(book: Path, month: dt.date, today) -> None:
    """Plan a month's promotions: weekly pattern, festivals, margin and stock checks.

    Example: shopops promotions ShopOps.xlsm --month 2026-12
    """
    now = _now(today)
    ahead = (month.year - now.year) * 12 + month.month - now.month
    if not -PLAN_AHEAD_MONTHS <= ahead <= PLAN_AHEAD_MONTHS:
        raise click.BadParameter(_("{month} is {n} months from today: ShopOps plans promotions "
                                   "up to {most} months ahead (or back)").format(
            month=f"{month:%Y-%m}", n=abs(ahead), most=PLAN_AHEAD_MONTHS), param_hint="'--month'")
    run_on(book, routines.promotions, now, month=month)


@cli.command()
@book_path
@today_option
@friendly
def abc(book: Path, today) -> None:
    """Classify products A/B/C by revenue share and set how often to review each.

    Example: shopops abc ShopOps.xlsm
    """
    run_on(book, routines.abc, _now(today))


@cli.command()
@book_path
@option("--month", type=Month(), required=True, help="The month, YYYY-MM.")
@today_option
@friendly
def profit(book: Path, month: dt.date, today) -> None:
    """A month's profit: revenue − refunds − platform fees (settled, else Settings' commission,
    said so) − cost of goods at the moving average of receipts − the month's Expenses; per
    channel, the orders that lost money, and each product's place in the profitability matrix.

    Example: shopops profit ShopOps.xlsm --month 2026-11
    """
    run_on(book, routines.profit, _now(today), month=month)


@cli.command()
@book_path
@option("--month", type=Month(), default=None,
              help="The month to reconcile, YYYY-MM (default: this month so far).")
@today_option
@friendly
def reconcile(book: Path, month: dt.date | None, today) -> None:
    """Check every paid order of a month against what the platforms settled for it (run
    `settle` first): matched, settled short or over, refunded, a refund not settled, not
    settled after Settings' days, settled for an order Orders does not hold. The Reconciliation
    sheet lists each with its amounts and reason, the fees per channel and the settled totals.

    Example: shopops reconcile ShopOps.xlsm --month 2026-11
    """
    run_on(book, routines.reconcile_month, _now(today), month=month)


@cli.command(cls=OptionalMonth)
@book_path
@option("--week", is_flag=True, help="The last full week.")
@option("--month", type=Month(last=True), default=None,
              help="The last full month, or the month given as YYYY-MM.")
@option("--visitors", type=click.IntRange(min=1), help="Visitors in the period, for "
              "conversion.")
@today_option
@friendly
def review(book: Path, week: bool, month, visitors: int | None, today) -> None:
    """KPIs against the previous period, alerts and why-prompts, on the Dashboard.

    \b
    Examples:
      shopops review ShopOps.xlsm --week
      shopops review ShopOps.xlsm --month            (the last full month)
      shopops review ShopOps.xlsm --month 2026-10
    """
    now = _now(today)
    monthly = _monthly(week, month is not None, "--week", "--month")
    if isinstance(month, dt.date):
        if month > now.date():
            raise click.BadParameter(_("{month} has not begun yet (today is {today})").format(
                month=f"{month:%Y-%m}", today=f"{now:%Y-%m-%d}"), param_hint="--month")
        monthly = month
    run_on(book, routines.review, now, month=monthly, visitors=visitors)


def _monthly(week: bool, month: bool, *flags: str) -> bool:
    """Whether the month was asked for; exactly one of the two flags must be given."""
    if week == month:
        raise click.UsageError((_("give {one} or {other}, not both") if week else
                                _("give {one} or {other}")).format(one=flags[0], other=flags[1]))
    return month


@cli.command()
@book_path
@option("--kind", type=click.Choice(["confirmation", "shipping", "follow-up"]),
              required=True)
@today_option
@friendly
def messages(book: Path, kind: str, today) -> None:
    """Write the customer messages due today (Chinese or English) to messages/.

    Example: shopops messages ShopOps.xlsm --kind shipping
    """
    run_on(book, routines.messages, _now(today), kind=kind, folder=book.resolve().parent)


@cli.command()
@book_path
@option("--weekly", is_flag=True, help="The last full week.")
@option("--monthly", is_flag=True, help="The last full month.")
@option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: reports/ beside the workbook).")
@today_option
@friendly
def report(book: Path, weekly: bool, monthly: bool, out: Path | None, today) -> None:
    """Write the formatted report workbook (KPI tiles, charts, stock, ABC, returns, service).

    Example: shopops report ShopOps.xlsm --weekly
    """
    run_on(book, routines.report, _now(today), folder=book.resolve().parent,
           month=_monthly(weekly, monthly, "--weekly", "--monthly"), out=out)


@cli.command()
@book_path
@option("--report", "report_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--dry-run", is_flag=True, help="Write the .eml beside the report, send nothing.")
@today_option
@friendly
def email(book: Path, report_file: Path, dry_run: bool, today) -> None:
    """E-mail a report to the Settings recipients (SMTP per Settings; password from the
    environment variable Settings names, or the OS keyring).

    Example: shopops email ShopOps.xlsm --report reports/report-week-2026-11-09.xlsx
    """
    run_on(book, routines.email_report, _now(today), report_file=report_file,
           folder=book.resolve().parent, dry_run=dry_run)


@cli.command("schedule")
@book_path
@option("--once", is_flag=True, help="Run what is due (missed runs included) and exit: "
              "for cron or Task Scheduler.")
@option("--install", is_flag=True, help="Write a systemd unit / launchd agent / Task "
              "Scheduler task for this workbook and say how to enable it.")
@option("--platform", "kind", type=click.Choice(["linux", "macos", "windows"]),
              help="With --install: the system to write for (default: this one).")
@option("--to", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="With --install: write the file here instead of the system's folder.")
@friendly
def schedule_(book: Path, once: bool, install: bool, kind: str | None, folder: Path | None) -> None:
    """Run the daily routine, the weekly report and next month's promotions unattended.

    Example: shopops schedule ShopOps.xlsm          (runs until stopped: Ctrl+C or SIGTERM)
    """
    from shopsheet import scheduler, service

    if not book.exists():
        raise click.ClickException(_("no workbook at {book}").format(book=book))
    if install:
        path, how = service.install(book, kind or service.current_platform(), folder)
        click.echo(_("Wrote {path}\nTo switch it on:\n  {how}").format(path=path, how=how))
        return
    runner = scheduler.Scheduler(book, log=scheduler.file_logger(book))
    if once:
        ran = runner.catch_up()
        click.echo(counted("Ran {n} due job", "Ran {n} due jobs", ran) + (
            _("; {jobs} wait for the workbook to be closed").format(
                jobs=", ".join(runner.waiting)) if runner.waiting else ""))
        sys.exit(1 if runner.waiting else 0)
    runner.run_forever()


@cli.command("build-workbook")
@option("--sources", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=Path("workbook"), show_default=True, help="The text sources.")
@option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("ShopOps.xlsm"), show_default=True)
@option("--check", is_flag=True, help="Only say whether --out is current; exit 1 if not.")
@today_option
@friendly
def build_workbook(sources: Path, out: Path, check: bool, today) -> None:
    """Build ShopOps.xlsm (sheets, VBA, ribbon) from the sources in workbook/.

    Example: shopops build-workbook --check
    """
    from shopsheet.excel.build import build_workbook as build
    from shopsheet.excel.check import differences

    if check:
        stale = differences(out, sources) if out.exists() else [f"{out} does not exist"]
        for line in stale:
            click.echo(line)
        click.echo(f"{out}: " + (_("stale, run shopops build-workbook") if stale
                                 else _("current")))
        sys.exit(1 if stale else 0)
    build(sources, out, _today(today))
    click.echo(_("Built {out} from {sources}/").format(out=out, sources=sources))


@cli.command()
@option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("shopops-demo"), show_default=True, help="Where to make the demo shop.")
@lang_option
@today_option
@friendly
def demo(folder: Path, lang: str | None, today: dt.datetime | None) -> None:
    """Make a realistic demo shop, run every routine on it, print the summary.

    Example: shopops demo --dir /tmp/shop --lang zh-CN
    """
    from shopsheet.demo import run_demo

    with speaking(lang):
        for line in run_demo(folder, _today(today)):
            click.echo(line)


def main() -> None:
    language = system_language(os.environ, _system_locale())
    use(language)
    _click_speaks(language)
    cli(prog_name="shopops")


def _click_speaks(language: str) -> None:
    """click's own words (`Usage:`, `Error: Missing argument …`) in the command's language:
    click asks the standard gettext for them, so that is pointed at ShopOps' catalogue (which
    holds them: `tools/translations.py` extracts them from click)."""
    import gettext

    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language.replace("-", "_")


def _system_locale() -> str | None:
    """The system's own language where the environment names none (Windows)."""
    import locale

    try:
        return locale.getlocale()[0]
    except ValueError:
        return None

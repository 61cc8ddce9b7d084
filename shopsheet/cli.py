"""The `shopops` command: one subcommand per routine, each parse → one call → show.

Known failures (a busy or changed workbook, a bad file) print `Error: …` and exit 1, never a
traceback. Problems in a workbook print one line each and exit 1.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from pathlib import Path

import click
import python_calamine

from shopsheet import __version__, routines
from shopsheet.book import BookError, FileBook
from shopsheet.book.create import WorkbookExists
from shopsheet.book.package import PackageError
from shopsheet.book.safety import WorkbookBusy, WorkbookChanged
from shopsheet.book.sheetxml import FormulaError
from shopsheet.book.tables import TableError
from shopsheet.book.writer import SelfCheckFailed

KNOWN_ERRORS = (BookError, PackageError, WorkbookBusy, WorkbookChanged, WorkbookExists,
                FormulaError, TableError, SelfCheckFailed, FileNotFoundError, PermissionError,
                python_calamine.CalamineError)


def friendly(command):
    """Turn the errors a user can act on into `Error: …` and exit code 1."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KNOWN_ERRORS as err:
            raise click.ClickException(str(err)) from None
    return wrapper


def show(result: routines.Result, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps({"routine": result.routine, "summary": result.summary,
                               "ok": result.ok, "figures": result.figures,
                               "problems": [p.as_dict() for p in result.problems]},
                              ensure_ascii=False, indent=2, default=str))
    else:
        for problem in result.problems:
            click.echo(str(problem))
        click.echo(result.summary)
    if not result.ok:
        sys.exit(1)


book_path = click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
today_option = click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                            help="Run as if today were this date (YYYY-MM-DD).")


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shopops")
def cli() -> None:
    """ShopOps: run a small shop from its Excel workbook.

    \b
    Start with:  shopops demo           (a demo shop in ./shopops-demo)
    Or:          shopops init ShopOps.xlsm
    """


@cli.command()
@book_path
@today_option
@friendly
def init(book: Path, today: dt.datetime | None) -> None:
    """Create a new workbook with every sheet, default settings and three example products.

    Example: shopops init ShopOps.xlsm
    """
    show(routines.init_workbook(book, _today(today)))


@cli.command()
@book_path
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@friendly
def validate(book: Path, as_json: bool) -> None:
    """Check every sheet; print each problem with its cell; exit 1 if any.

    Example: shopops validate ShopOps.xlsm
    """
    with FileBook.open(book) as fb:
        show(routines.validate(fb), as_json)


@cli.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("shopops-demo"), show_default=True, help="Where to make the demo shop.")
@today_option
@friendly
def demo(folder: Path, today: dt.datetime | None) -> None:
    """Make a realistic demo shop, run every routine on it, print the summary.

    Example: shopops demo --dir /tmp/shop
    """
    from shopsheet.demo import run_demo

    for line in run_demo(folder, _today(today)):
        click.echo(line)


def main() -> None:
    cli(prog_name="shopops")

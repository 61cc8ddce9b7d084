"""Keep the Chinese catalogue in step with the code (Babel):

    .venv/bin/python -m tools.translations          # extract, update shopops.po, compile .mo
    .venv/bin/python -m tools.translations --check  # exit 1 when anything is untranslated

Extraction finds every `_()`, `N_()` and `ngettext()` in `shopsheet/` and `macros/`; new
sentences arrive in `shopsheet/locale/zh_CN/LC_MESSAGES/shopops.po` with an empty translation
for a translator to fill; sentences the code no longer says are dropped. The compiled `.mo` is
what ShopOps reads at run time (committed, so an install needs no Babel).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "shopsheet" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "shopops.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "counted": (1, 2)}
SOURCES = ("shopsheet", "macros")


def extracted() -> Catalog:
    """Every marked sentence of the code, with where it is said."""
    template = Catalog(project="ShopOps", domain="shopops")
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("TRANSLATORS:",)):
            template.add(message, None, [(f"{folder}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    for text in command_help():
        if text not in template:
            template.add(text, None, [("shopsheet/cli.py", 0)],
                         auto_comments=["help of the shopops command"])
    for message, where, lineno in click_words():
        if message not in template:
            template.add(message, None, [(where, lineno)], auto_comments=["click's own words"])
    for text in ribbon_words():
        if text not in template:
            template.add(text, None, [("workbook/customUI14.xml", 0)],
                         auto_comments=["the ShopOps ribbon tab"])
    for name, (_zh, where) in catalogue_names().items():
        if name not in template:
            template.add(name, None, [(where, 0)], auto_comments=["a name from the catalogue"])
    return template


def catalogue_names() -> dict[str, tuple[str, str]]:
    """The sheet catalogue's own names — sheets, column headers, settings — each with the
    Chinese name the catalogue gives it and where: problems name a sheet and a column by these,
    so they are in the catalogue too, their translation filled from `sheets.py`/`settings.py`."""
    from shopsheet.settings import SETTINGS
    from shopsheet.sheets import SHEETS

    names: dict[str, tuple[str, str]] = {}
    for spec in SHEETS.values():
        names.setdefault(spec.name, (spec.zh, "shopsheet/sheets.py"))
    for spec in SHEETS.values():
        for col in spec.columns:
            names.setdefault(col.label, (col.zh, "shopsheet/sheets.py"))
    for setting in SETTINGS:
        names.setdefault(setting.key, (setting.zh, "shopsheet/settings.py"))
    return names


def command_help() -> list[str]:
    """The `shopops` command's help texts — each command's and each option's — as click
    shows them (cli.py says them through the catalogue when it lays the help out)."""
    from shopsheet.cli import cli

    said = [cli.help]
    for command in cli.commands.values():
        said.append(command.help)
        said += [param.help for param in command.params if getattr(param, "help", None)]
    from macros.buttons import BUTTONS, doing

    said += [doing(fn.__wrapped__) for fn in BUTTONS.values()]
    return [text for text in dict.fromkeys(said) if text]


def ribbon_words() -> list[str]:
    """The ribbon's labels, screentips and supertips (`workbook/customUI14.xml`): a Chinese
    workbook gets them translated (`excel/face.ribbon_said`)."""
    from lxml import etree

    from shopsheet.excel.face import RIBBON_WORDS, TAB_ID

    root = etree.parse(str(ROOT / "workbook" / "customUI14.xml")).getroot()
    return list(dict.fromkeys(element.get(a) for element in root.iter() for a in RIBBON_WORDS
                              if element.get(a) and element.get("id") != TAB_ID))


CLICK_MODULES = ("core.py", "types.py", "exceptions.py", "decorators.py", "parser.py",
                 "formatting.py", "termui.py")  # the click words a `shopops` user can meet


def click_words() -> list:
    """click's own words (`Usage:`, `Options:`, `Error: Missing argument …`): the command
    asks the standard gettext for them, and `cli.py` points that at this catalogue."""
    import click

    folder = Path(click.__file__).parent
    return [(message, f"click/{filename}", lineno) for filename, lineno, message, _comments,
            _context in extract_from_dir(folder, method_map=[("**.py", "python")],
                                         keywords=KEYWORDS)
            if filename in CLICK_MODULES]


def current() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN", domain="shopops")


def update() -> Catalog:
    catalog = current() if PO.exists() else Catalog(locale="zh_CN", domain="shopops")
    catalog.fuzzy = False
    catalog.project, catalog.version = "ShopOps", ""
    catalog.copyright_holder = "the ShopOps authors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = "ShopOps <team@shopops.example>"
    catalog.update(extracted(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    for name, (zh, _where) in catalogue_names().items():
        if name in catalog and not catalog[name].string:
            catalog[name].string = zh
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, include_previous=False)
    compile_mo(catalog)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_mo(catalog: Catalog) -> None:
    MO.write_bytes(compiled(catalog))


def untranslated(catalog: Catalog) -> list[str]:
    """Sentences with no translation (or a fuzzy one): each one's id."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str]) -> int:
    if "--check" in argv:
        missing = untranslated(current())
        for sentence in missing:
            print(f"untranslated: {sentence!r}")
        return 1 if missing else 0
    catalog = update()
    missing = untranslated(catalog)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} sentences, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

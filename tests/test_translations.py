"""Every sentence a user can read has its Chinese translation, and the catalogue ShopOps reads
at run time is the one translators edit.

The catalogue is made from the code (Babel extracts every `_()`, `N_()`, `ngettext()`); a
sentence added to the code without a translation fails here, with the command that adds it to
`shopops.po` for translating: `.venv/bin/python -m tools.translations`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.mofile import read_mo

from tools import translations

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def test_the_catalogue_holds_every_sentence_of_the_code():
    said = {m.id for m in translations.extracted() if m.id}
    held = {m.id for m in translations.current() if m.id}
    assert sorted(map(str, said - held)) == [], \
        "run `.venv/bin/python -m tools.translations` and translate the new sentences"


def test_every_sentence_is_translated():
    assert translations.untranslated(translations.current()) == []


def test_translations_keep_their_blanks():
    """`{n} orders` must keep `{n}` in Chinese, or the sentence breaks when said."""
    wrong = []
    for message in translations.current():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        blanks = [set(PLACEHOLDER.findall(i)) for i in ids]
        # Chinese has one form for every count: it may use the plural's blanks (the code
        # passes both forms' blanks), and must keep those the forms share
        wrong += [ids[0] for s in strings
                  if not set.intersection(*blanks) <= set(PLACEHOLDER.findall(s))
                  <= set.union(*blanks)]
    assert wrong == []


def test_the_compiled_catalogue_is_the_edited_one():
    def kept(messages) -> dict:
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
                for m in messages if m.id}

    with translations.MO.open("rb") as fh:
        compiled = kept(read_mo(fh))
    edited = kept(translations.current())
    assert compiled == edited, "run `.venv/bin/python -m tools.translations` to compile it"


def test_no_function_hides_the_translating_underscore():
    """`x, _ = pair` inside a function that also says `_("…")` makes `_` a local there, and
    the sentence a crash: such throwaways are named."""
    hidden = []
    for path in (ROOT / "shopsheet").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == "_"]
            stored = any(isinstance(n.ctx, ast.Store) for n in names)
            called = any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                         and c.func.id == "_" for c in ast.walk(fn))
            if stored and called:
                hidden.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert hidden == []

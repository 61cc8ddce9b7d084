"""The two languages ShopOps speaks — Chinese (zh-CN) and English (en) — and the one it is
speaking now.

Every sentence a user reads is written in English in the code, wrapped in `_()` (or marked
with `N_()` where it is defined before it is said, and `ngettext()` where a count changes it),
and looked up in the gettext catalogue `shopsheet/locale/zh_CN/LC_MESSAGES/shopops.mo` when
ShopOps speaks Chinese. The catalogue is made from `shopops.po` with Babel
(`python -m tools.translations`, see docs/TRANSLATING.md); a test fails when a marked sentence
has no translation.

Which language: a face (the command, the ribbon, the scheduler) says it once per run with
`speaking(...)` — the workbook's own language when there is a workbook, else `SHOPOPS_LANG` or
the system locale (`system_language`). Everything below reads it with `current()`. The words a
sheet stores (statuses, channels, reasons) are not sentences: they live in `core/words.py`,
both languages side by side, so a stored word is read back whichever language wrote it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
from pathlib import Path
from typing import Iterator, Mapping

CHINESE = "zh-CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
DOMAIN = "shopops"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# how people write a language: a setting, an environment variable, a locale name
_SPELLINGS = {
    "zh": CHINESE, "zh-cn": CHINESE, "zh_cn": CHINESE, "zh-hans": CHINESE, "zh_hans": CHINESE,
    "zh-sg": CHINESE, "zh_sg": CHINESE, "chinese": CHINESE, "中文": CHINESE, "简体中文": CHINESE,
    "汉语": CHINESE, "cn": CHINESE,
    "en": ENGLISH, "en-us": ENGLISH, "en_us": ENGLISH, "en-gb": ENGLISH, "en_gb": ENGLISH,
    "english": ENGLISH, "英文": ENGLISH, "英语": ENGLISH, "c": ENGLISH, "posix": ENGLISH,
}

_now: contextvars.ContextVar[str | None] = contextvars.ContextVar("shopops_language",
                                                                 default=None)
_process = ENGLISH  # what `use` set: the language of a run that said nothing itself


def language_of(word: object) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `中文`, `English`… → `zh-CN` or `en`; None for anything else."""
    if not isinstance(word, str) or not word.strip():
        return None
    key = word.strip().split(".")[0].split("@")[0].casefold()
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    return _SPELLINGS.get(key.replace("_", "-").split("-")[0]) if key[:3] in ("zh_", "zh-",
                                                                            "en_", "en-") else None


def system_language(environ: Mapping[str, str], system_locale: str | None = None) -> str:
    """The language of a run with no workbook to ask: `SHOPOPS_LANG`, else the locale the
    environment names (LC_ALL, LC_MESSAGES, LANG — Linux and macOS terminals), else the
    system's own (`system_locale`, e.g. Windows' `Chinese (Simplified)_China`), else English."""
    for name in ("SHOPOPS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        found = language_of(environ.get(name, ""))
        if found:
            return found
    if system_locale and system_locale.casefold().startswith(("chinese", "zh")):
        return CHINESE
    return ENGLISH


def current() -> str:
    """The language ShopOps is speaking now."""
    return _now.get() or _process


def use(language: str) -> None:
    """Speak `language` from now on in this process (a face's default before a book says)."""
    global _process
    _process = language_of(language) or ENGLISH


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Speak `language` inside the block (None: go on as before)."""
    chosen = language_of(language) or current()
    token = _now.set(chosen)
    try:
        yield chosen
    finally:
        _now.reset(token)


@functools.cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (English: the sentences as written)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    code = language.replace("-", "_")
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def _(message: str) -> str:
    """`message` in the language spoken now."""
    return catalogue(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for `n`, in the language spoken now."""
    return catalogue(current()).ngettext(singular, plural, n)


def counted(singular: str, plural: str, n: int) -> str:
    """`{n} order` or `{n} orders` for `n`, said in the language spoken now (`3 个订单`)."""
    return ngettext(singular, plural, n).format(n=n)


def N_(message: str) -> str:
    """Marks a sentence for translation where it is defined; `_()` says it where it is used."""
    return message


def chinese() -> bool:
    return current() == CHINESE

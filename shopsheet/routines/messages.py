"""`shopops messages`: the ready-to-send customer texts for the orders due today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.write.safety import write_private
from shopsheet.core.language import _, counted
from shopsheet.core.messages import due, fill
from shopsheet.core.words import CHANNELS, say
from shopsheet.routines.common import Result, prepare

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def template_texts(kind: str, folder: Path) -> dict[str, str]:
    """zh and en texts for `kind`: the shop's own copy beside the workbook first."""
    texts = {}
    for lang in ("zh", "en"):
        for root in (folder / "templates", DEFAULT_TEMPLATES):
            path = root / "messages" / f"{kind}.{lang}.txt"
            if path.exists():
                texts[lang] = path.read_text(encoding="utf-8")
                break
        else:
            raise FileNotFoundError(_("no template messages/{kind}.{lang}.txt in {shop} or "
                                      "{default}").format(kind=kind, lang=lang,
                                                          shop=folder / "templates",
                                                          default=DEFAULT_TEMPLATES))
    return texts


def messages(book: Book, now: dt.datetime, *, kind: str, folder: Path) -> Result:
    """Write `messages/<kind>-<date>.txt` beside the workbook: one filled text per order."""
    frames, settings, failed = prepare(book, ("Orders",), "messages")
    if failed:
        return failed
    filled = fill(due(frames["Orders"], kind, now), template_texts(kind, folder),
                  settings.shop_name, settings.messages_language())
    out = folder / "messages" / f"{kind}-{now:%Y-%m-%d}.txt"
    blocks = [f"=== {m['order_id']} · {m['customer']} · {say(m['channel'], CHANNELS)} "
              f"({m['language']}) ===\n{m['text']}\n" for m in filled]
    write_private(out, "\n".join(blocks).encode("utf-8"))
    return Result("messages", _("{messages} ready in {file}").format(
        messages=KINDS[kind](len(filled)), file=out),
        figures={"messages": len(filled), "file": str(out)})


# what a batch of each kind of message is called
KINDS = {"confirmation": lambda n: counted("{n} confirmation message",
                                           "{n} confirmation messages", n),
         "shipping": lambda n: counted("{n} shipping message", "{n} shipping messages", n),
         "follow-up": lambda n: counted("{n} follow-up message", "{n} follow-up messages", n)}

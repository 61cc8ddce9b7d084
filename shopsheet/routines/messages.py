"""`shopops messages`: the ready-to-send customer texts for the orders due today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.write.safety import write_private
from shopsheet.core.messages import due, fill
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
            raise FileNotFoundError(f"no template messages/{kind}.{lang}.txt in "
                                    f"{folder / 'templates'} or {DEFAULT_TEMPLATES}")
    return texts


def messages(book: Book, now: dt.datetime, *, kind: str, folder: Path) -> Result:
    """Write `messages/<kind>-<date>.txt` beside the workbook: one filled text per order."""
    frames, settings, failed = prepare(book, ("Orders",), "messages")
    if failed:
        return failed
    filled = fill(due(frames["Orders"], kind, now), template_texts(kind, folder),
                  settings.shop_name, settings.messages_language())
    out = folder / "messages" / f"{kind}-{now:%Y-%m-%d}.txt"
    blocks = [f"=== {m['order_id']} · {m['customer']} · {m['channel']} ({m['language']}) ===\n"
              f"{m['text']}\n" for m in filled]
    write_private(out, "\n".join(blocks).encode("utf-8"))
    return Result("messages", f"{len(filled)} {kind} message{'s' * (len(filled) != 1)} ready "
                              f"in {out}", figures={"messages": len(filled), "file": str(out)})

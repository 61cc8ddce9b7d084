"""The loop to the supplier: a drafted purchase order becomes a document, goes to the
supplier, and is marked ordered — so On Order, the reorder's position and the measured lead
times all start from the day it really left."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from shopsheet.book.base import Book
from shopsheet.book.write.safety import side_file, write_private
from shopsheet.core.language import _, counted
from shopsheet.core.leadtimes import MIN_DELIVERIES
from shopsheet.core.problems import Problem
from shopsheet.core.words import PO_STATUSES, POStatus, say
from shopsheet.reports import email as mail
from shopsheet.reports.purchase_order import po_lines, write_purchase_order, yuan
from shopsheet.routines.common import Result, finish, log_line, prepare
from shopsheet.routines.messages import DEFAULT_TEMPLATES

SENDABLE = (POStatus.DRAFT, POStatus.ORDERED, POStatus.PARTIAL)  # lines a PO document lists


def po_file(folder: Path, po_no: str) -> Path:
    """Where the document of `po_no` goes: purchase-orders/ beside the workbook."""
    safe = re.sub(r"[^\w.\-]+", "_", po_no).strip("._") or "PO"
    return folder / "purchase-orders" / f"{safe}.xlsx"


def send_po(book: Book, now: dt.datetime, *, po_no: str, folder: Path, email: bool = True,
            dry_run: bool = False, log: bool = True) -> Result:
    """Write PO `po_no` as a document for its supplier, e-mail it to the supplier's Email
    (unless `email` is False: the owner sends or prints it), and mark its draft lines ordered
    today, due after their lead time. `dry_run`: the document and the e-mail as an .eml
    beside it, nothing sent, nothing marked. A PO already ordered is sent again unchanged."""
    nothing = _("send-po: nothing done")
    frames, settings, failed = prepare(book, ("PurchaseOrders", "Suppliers", "Products"),
                                       "send-po")
    if failed:
        return failed
    pos, products = frames["PurchaseOrders"], frames["Products"]
    mine = pos[pos["po_no"] == po_no]
    lines = mine[mine["status"].isin(SENDABLE)]
    if lines.empty:
        states = " / ".join(say(s, PO_STATUSES) for s in sorted(set(mine["status"].dropna())))
        why = (_("there is no {po} in PurchaseOrders") if mine.empty else
               _("{po} is {states}: there is nothing on it to send")).format(po=po_no,
                                                                            states=states)
        return Result("send-po", nothing, [Problem("PurchaseOrders", message=why)])
    names = sorted(set(lines["supplier"].dropna()))
    if len(names) != 1:
        return Result("send-po", nothing, [Problem("PurchaseOrders", message=_(
            "{po} has lines for {n} suppliers ({names}); a PO goes to one supplier — give each "
            "its own PO No").format(po=po_no, n=len(names), names=", ".join(names) or "—"))])
    suppliers = frames["Suppliers"]
    found = suppliers[suppliers["supplier"] == names[0]]
    supplier = found.iloc[0].to_dict() if len(found) else {"supplier": names[0]}
    to = mail.addresses(supplier.get("email") if pd.notna(supplier.get("email")) else "")
    if email and not to:
        return Result("send-po", nothing, [Problem("Suppliers", message=_(
            "Suppliers has no Email for {supplier}: add one, or give --no-email to write the "
            "document and send it yourself").format(supplier=names[0]))])
    drafts = lines[lines["status"] == POStatus.DRAFT]
    today = pd.Timestamp(now.date())
    expected = lines["expected"].copy()
    expected[drafts.index] = today + pd.to_timedelta(
        _lead(drafts, products, supplier, settings.measured_lead_times), unit="D")
    ordered = lines["ordered"].where(lines["status"] != POStatus.DRAFT, today)
    delivery = expected.max()
    document = po_file(folder, po_no)
    items = po_lines(lines, products, _pack(supplier))
    with side_file(document) as temp:
        write_purchase_order(temp, po_no, supplier, items, ordered.min().date(),
                             None if pd.isna(delivery) else delivery.date(), settings)
    total = sum(i.total_cents for i in items)
    figures = {"file": str(document), "lines": len(items), "total_cents": total}
    if email:
        values = {"shop_name": str(settings.shop_name), "po_no": po_no,
                  "contact": str(supplier.get("contact") if pd.notna(supplier.get("contact"))
                                 else names[0]),
                  "lines": counted("{n} line", "{n} lines", len(items)),
                  "units": counted("{n} unit", "{n} units", sum(i.qty for i in items)),
                  "total": yuan(total),
                  "delivery": "—" if pd.isna(delivery) else f"{delivery:%Y-%m-%d}",
                  "shop_contact": str(settings.shop_contact or "")}
        templates = next((p for p in (folder / "templates" / "email",
                                      DEFAULT_TEMPLATES / "email")
                          if mail.template(p, "po.subject").exists()), DEFAULT_TEMPLATES / "email")
        try:
            msg = mail.message(settings, to, "po", values, templates, document)
            if dry_run:
                eml = document.with_suffix(".eml")
                write_private(eml, bytes(msg))
                return Result("send-po", _("Dry run: {po} is in {file}, the e-mail to {to} in "
                                           "{eml}; nothing sent or marked").format(
                    po=po_no, file=document, to=msg["To"], eml=eml), figures=figures)
            mail.send(msg, settings, mail.password_for(settings))
        except mail.MailError as err:
            result = Result("send-po", _("{po} not sent: {why}. The document is kept at {file}; "
                                         "nothing was marked ordered").format(
                po=po_no, why=str(err).rstrip("."), file=document),
                [Problem("E-mail", message=str(err))], figures=figures)
            log_line(book, result, now)
            book.save()
            return result
    elif dry_run:
        return Result("send-po", _("Dry run: {po} is in {file}; nothing marked").format(
            po=po_no, file=document), figures=figures)
    how = _("sent to {to} at {time}").format(to=", ".join(to), time=f"{now:%H:%M}") if email \
        else _("written at {time}, to be sent by the owner").format(time=f"{now:%H:%M}")
    if len(drafts):
        notes = [f"{n}; {how}" if isinstance(n, str) and n else how for n in drafts["note"]]
        book.patch("PurchaseOrders", pd.DataFrame({
            "ordered": today, "expected": expected[drafts.index], "status": POStatus.ORDERED,
            "note": notes}, index=drafts.index))
    said = {"po": po_no, "supplier": names[0], "to": ", ".join(to), "file": document.name,
            "lines": counted("{n} line", "{n} lines", len(items)), "total": yuan(total),
            "date": "—" if pd.isna(delivery) else f"{delivery:%Y-%m-%d}"}
    summary = (_("Sent {po} to {supplier} ({to}): {lines}, {total}, due {date}; the document "
                 "is {file}") if email else
               _("{po} for {supplier} written to {file} ({lines}, {total}, due {date}) and "
                 "marked ordered; send it to the supplier yourself")).format(**said)
    if not len(drafts):
        summary += _("; it was already ordered, so nothing else changed")
    result = Result("send-po", summary, figures=figures | {"marked": len(drafts)})
    result.changed = True
    return finish(book, result, now, log)


def _lead(lines: pd.DataFrame, products: pd.DataFrame, supplier: dict,
          measured: bool) -> np.ndarray:
    """Days each line takes: the supplier's measured lead time when Settings say to use it
    and it is measured well enough; else the product's, else the supplier's typed, else 0."""
    delivered = supplier.get("deliveries")
    if measured and delivered is not None and pd.notna(delivered) \
            and delivered >= MIN_DELIVERIES and pd.notna(supplier.get("measured_lead_time")):
        return np.full(len(lines), int(np.ceil(supplier["measured_lead_time"])))
    own = lines["sku"].map(products.drop_duplicates("sku").set_index("sku")["lead_time"])
    theirs = supplier.get("lead_time")
    fallback = 0 if theirs is None or pd.isna(theirs) else int(theirs)
    return own.astype("Float64").fillna(fallback).astype("int64").to_numpy()


def _pack(supplier: dict) -> int:
    size = supplier.get("pack_size")
    return 1 if size is None or pd.isna(size) else max(int(size), 1)

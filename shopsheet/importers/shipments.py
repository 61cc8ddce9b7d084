"""A carrier's or platform's shipment file: order id → tracking number (and carrier, time).

The same contract as the order exports: declared columns (each under the headers carriers and
back ends use, English or Chinese, any case), `matches` and `lines` — here the lines are
shipments. Only the order id and the tracking number are needed; a carrier or a time left out
is simply not known. A carrier's bill (`CarrierInvoice`) gives a cost per tracking number.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.core.words import Channel
from shopsheet.importers.base import Col, Profile, Tables, explained
from shopsheet.importers.conform import long_cell

SHIPMENT_FIELDS = ["order_id", "tracking_no", "carrier", "shipped"]


class _TrackingFile(Profile):
    """A carrier's file read by two columns every row needs (`needed`): the rows missing
    either are named, the others go on to `kept`. Other columns may be left out."""

    needed: ClassVar[tuple[str, str]]
    needs: ClassVar[str]  # "an order id and a tracking number": what the file must have
    either: ClassVar[str]  # "order id or tracking number": what a row may not leave blank
    signature = ()

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        return all(cls.columns[c].header_in(table) for c in cls.needed)

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        found = tables.find(cls)
        if found is None:
            source, table = tables.first()
            return explained(_("needs {columns} column; found {headers}").format(
                columns=_(cls.needs), headers=", ".join(map(str, table.columns)) or _("no headers")),
                source)
        source, table = found
        frame, problems = cls.parse(table, source, None)
        blank = frame[list(cls.needed)].isna().any(axis=1)
        problems = [p for p in problems if "(required)" not in (p.expected or "")]
        problems += [Problem(source, f"row {row}", message=_("{columns} is blank").format(
            columns=_(cls.either)))
                     for row in frame.index[blank]]
        return cls.kept(frame[~blank], table, source, problems)

    @classmethod
    def kept(cls, frame: pd.DataFrame, table: pd.DataFrame, source: str,
             problems: list[Problem]) -> tuple[pd.DataFrame, list[Problem]]:
        raise NotImplementedError


class Shipments(_TrackingFile):
    name = N_("carrier shipment file")
    key = "shipments"
    channel = Channel.OTHER
    columns = {
        "order_id": Col(("Order ID", "Order", "Order No", "Name", "订单号", "订单编号",
                         "主订单编号"), "id", required=True),
        "tracking_no": Col(("Tracking No", "Tracking Number", "Tracking", "运单号", "快递单号",
                            "物流单号"), "id", required=True),
        "carrier": Col(("Carrier", "Courier", "快递公司", "物流公司")),
        "shipped": Col(("Shipped", "Shipped At", "Ship Date", "发货时间"), "time"),
    }
    needed = ("order_id", "tracking_no")
    needs = N_("an order id and a tracking number")
    either = N_("order id or tracking number")

    @classmethod
    def kept(cls, frame, table, source, problems):
        for name in ("order_id", "tracking_no", "carrier"):
            header = cls.columns[name].header_in(table)
            for row, value in frame[name].items():
                problems += long_cell(source, f"row {row}", header, value)
        frame = frame.assign(shipped=pd.to_datetime(frame["shipped"]))
        return frame[SHIPMENT_FIELDS], problems


class CarrierInvoice(_TrackingFile):
    """A carrier's monthly bill (对账单): a cost per tracking number."""
    name = N_("carrier invoice")
    key = "carrier-invoice"
    channel = Channel.OTHER
    columns = {
        "tracking_no": Col(("Tracking No", "Tracking Number", "运单号", "快递单号", "物流单号"),
                           "id", required=True),
        "cost": Col(("Cost", "Amount", "Charge", "运费", "费用", "金额", "应付金额", "结算金额"),
                    "money", required=True),
        "date": Col(("Date", "Ship Date", "寄件日期", "发货日期", "日期", "揽收时间"), "time"),
        "carrier": Col(("Carrier", "Courier", "快递公司", "物流公司")),
    }
    needed = ("tracking_no", "cost")
    needs = N_("a tracking number and a cost")
    either = N_("tracking number or cost")

    @classmethod
    def kept(cls, frame, table, source, problems):
        problems += [Problem(source, f"row {row}", cls.columns["cost"].header_in(table), cost,
                             _("a cost of 0 or more")) for row, cost in frame["cost"].items()
                     if cost < 0]
        frame = frame.assign(date=pd.to_datetime(frame["date"]), source=source)
        return frame[["tracking_no", "cost", "date", "carrier", "source"]], problems

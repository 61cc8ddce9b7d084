"""A local SMTP server (aiosmtpd) that receives what ShopOps sends, and Settings pointing at it."""

from __future__ import annotations

import email
import socket
from pathlib import Path

import pandas as pd
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from shopsheet.book import FileBook


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@nowhere.invalid"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == b"shop" and data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def set_mail(shop: Path, port: int, **extra) -> None:
    values = {"SMTP host": "127.0.0.1", "SMTP port": port, "SMTP security": "none",
              "SMTP user": "shop", "SMTP from": "reports@littlegarden.example",
              "Report recipients": "owner@littlegarden.example, partner@littlegarden.example"}
    values.update(extra)
    with FileBook.open(shop, keep_backups=0) as book:
        settings = book.read("Settings").frame
        rows = {k: settings.index[settings["key"] == k][0] for k in values}
        book.patch("Settings", pd.DataFrame({"value": list(values.values())},
                                            index=list(rows.values())))
        book.save()

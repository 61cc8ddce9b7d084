"""The report workbook opened by LibreOffice (charts, pages, masked phones, text as text), and
the e-mail received by a local SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import re
import shutil
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.reports.period_report import mask_phone
from tests.mailserver import Controller, Inbox, authenticator, free_port, set_mail

NOW = dt.datetime(2026, 11, 21, 8, 0)


@pytest.fixture
def shop(demo_shop, tmp_path) -> Path:
    shutil.copytree(demo_shop, tmp_path / "shop")
    book = tmp_path / "shop" / "ShopOps.xlsm"
    with FileBook.open(book, keep_backups=0) as fb:  # a customer who types formulas
        orders = fb.read("Orders").frame
        held = orders.index[(orders["verified"] == False)][0]  # noqa: E712
        fb.patch("Orders", pd.DataFrame({"customer": ["=HYPERLINK(\"http://x\",\"hi\")"]},
                                        index=[held]))
        fb.save()
    return book


def weekly(shop: Path) -> Path:
    with FileBook.open(shop) as book:
        result = routines.report(book, NOW, folder=shop.parent)
    assert result.ok
    return Path(result.figures["file"])


def test_mask_phone():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("+86 138-1234-1234") == "138****1234"
    assert mask_phone(None) == ""


def test_a_phone_typed_into_any_field_is_masked_in_the_report(shop):
    """A buyer who put a number in the name field, another in the flags: the report shows
    neither in full (order ids, long runs of digits, stay as they are)."""
    import python_calamine

    with FileBook.open(shop, keep_backups=0) as fb:
        orders = fb.read("Orders").frame
        held = orders.index[(orders["verified"] == False)][:2]  # noqa: E712
        fb.patch("Orders", pd.DataFrame({"customer": ["李娜 13912345678", "Wang +86 139 1234 5678"],
                                         "flags": ["call 139-1234-5678 first", "ok"]},
                                        index=held))
        fb.save()
        ids = list(orders.loc[held, "order_id"])
    path = weekly(shop)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = [str(v) for name in book.sheet_names
             for row in book.get_sheet_by_name(name).to_python() for v in row]
    text = " ".join(cells)
    assert "13912345678" not in text and "139 1234 5678" not in text
    assert "139-1234-5678" not in text
    assert "李娜 139****5678" in text and "call 139****5678 first" in text
    assert all(i in cells for i in ids)  # the held orders' ids, whole


def test_report_holds_charts_masked_phones_and_text_as_text(shop):
    path = weekly(shop)
    assert path.name == "report-week-2026-11-09.xlsx"
    zf = zipfile.ZipFile(path)
    charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    kinds = {re.search(rb"<c:(barChart|lineChart)>", zf.read(n)).group(1) for n in charts}
    assert kinds == {b"barChart", b"lineChart"}
    every = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    texts = zf.read("xl/sharedStrings.xml").decode()
    with FileBook.open(shop) as book:
        phones = set(book.read("Orders").frame["phone"].dropna())
    assert phones and not any(p in texts for p in phones)  # no customer's full number
    assert re.search(r"1\d\d\*\*\*\*\d{4}", texts)  # masked ones, 138****1234
    assert b"HYPERLINK" in every and b"<f>" not in every  # customer text stayed text
    setup = zf.read("xl/worksheets/sheet1.xml")
    assert b'orientation="landscape"' in setup and b'fitToHeight="0"' in setup
    assert b"&amp;L" in setup and b"Page &amp;P of &amp;N" in setup


@pytest.mark.libreoffice
def test_libreoffice_opens_the_report_with_both_charts_and_renders_pages(shop, libreoffice,
                                                                          tmp_path):
    path = weekly(shop)
    libreoffice.run(path, "ods", tmp_path / "ods")
    ods = zipfile.ZipFile(tmp_path / "ods" / path.with_suffix(".ods").name)
    objects = {n.split("/")[0] for n in ods.namelist() if n.startswith("Object ")}
    assert len(objects) == 2  # both charts survived LibreOffice's import
    libreoffice.run(path, "pdf", tmp_path / "pdf")
    pdf = (tmp_path / "pdf" / path.with_suffix(".pdf").name).read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) >= 7  # one sheet at least one page each
    drawn = 0
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(raw)
        except zlib.error:
            continue
        drawn += bool(re.search(rb"\bTJ\b|\bTj\b", text))
    assert drawn >= len(pages)  # every page draws text: none is empty


def test_the_report_arrives_with_its_attachment(shop, smtp, monkeypatch):
    inbox, port = smtp
    set_mail(shop, port)
    monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "s3cret")
    path = weekly(shop)
    result = CliRunner().invoke(cli, ["email", str(shop), "--report", str(path)])
    assert result.exit_code == 0, result.output
    (msg,) = inbox.messages
    assert msg["To"] == "owner@littlegarden.example, partner@littlegarden.example"
    assert "week of 2026-11-09" in str(email.header.make_header(
        email.header.decode_header(msg["Subject"])))
    (attachment,) = [p for p in msg.walk() if p.get_filename()]
    assert attachment.get_filename() == path.name
    assert attachment.get_payload(decode=True) == path.read_bytes()
    assert "s3cret" not in shop.read_bytes().decode("latin-1")  # never stored in the workbook


@pytest.mark.parametrize("case,expected", [
    ("refused", "connection refused"),
    ("bad login", "refused the login for shop"),
    ("bad address", "refused the recipient(s) ghost@nowhere.invalid"),
])
def test_failures_are_plain_logged_and_keep_the_report(shop, smtp, monkeypatch, case,
                                                       expected):
    inbox, port = smtp
    if case == "refused":
        port = free_port()  # nothing listens there
    set_mail(shop, port, **({"Report recipients": "ghost@nowhere.invalid"}
                            if case == "bad address" else {}))
    monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "wrong" if case == "bad login" else "s3cret")
    path = weekly(shop)
    result = CliRunner().invoke(cli, ["email", str(shop), "--report", str(path)])
    assert result.exit_code == 1 and expected in result.output
    assert path.exists() and not inbox.messages
    with FileBook.open(shop) as book:
        log = book.read("Log").frame
    assert log.iloc[-1]["routine"] == "email" and expected in log.iloc[-1]["summary"]


def test_dry_run_writes_the_eml(shop):
    path = weekly(shop)
    result = CliRunner().invoke(cli, ["email", str(shop), "--report", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes(path.with_suffix(".eml").read_bytes())
    assert msg["To"] == "owner@littlegarden.example"
    assert [p.get_filename() for p in msg.walk() if p.get_filename()] == [path.name]


@pytest.fixture
def certificate(tmp_path) -> Path:
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_starttls_and_ssl_with_a_verified_certificate(shop, certificate, monkeypatch, security):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    inbox, port = Inbox(), free_port()
    options = {"tls_context": context, "require_starttls": True} if security == "starttls" \
        else {"ssl_context": context, "auth_require_tls": False}  # the socket itself is TLS
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=authenticator, **options)
    controller.start()
    try:
        set_mail(shop, port, **{"SMTP security": security})
        monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "s3cret")
        monkeypatch.setenv("SHOPOPS_SMTP_CAFILE", str(certificate))  # trust the test's CA
        path = weekly(shop)
        result = CliRunner().invoke(cli, ["email", str(shop), "--report", str(path)])
        assert result.exit_code == 0, result.output
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_the_password_can_come_from_the_os_keyring(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    from shopsheet.reports.email import password_for
    from shopsheet.settings import Settings

    class Memory(KeyringBackend):
        priority = 1
        store = {("shopops", "shop"): "from-keyring"}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        monkeypatch.delenv("SHOPOPS_SMTP_PASSWORD", raising=False)
        assert password_for(Settings({"smtp_user": "shop"})) == "from-keyring"
        monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "from-env")
        assert password_for(Settings({"smtp_user": "shop"})) == "from-env"  # env wins
    finally:
        keyring.set_keyring(previous)

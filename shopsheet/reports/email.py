"""E-mail a report: SMTP with STARTTLS or SSL as Settings say, the password from the
environment variable Settings name (or the OS keyring), never from the workbook."""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from string import Template

from shopsheet.core.errors import SetupProblem
from shopsheet.core.language import _, chinese


class MailError(SetupProblem):
    """Sending failed; the message says why in plain words."""


def password_for(settings) -> str | None:
    """From the environment variable named in Settings, else the OS keyring if installed."""
    secret = os.environ.get(settings.smtp_password_env or "")
    if secret:
        return secret
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password("shopops", settings.smtp_user or settings.smtp_from)
    except Exception:  # no keyring backend on this machine
        return None


def template(folder: Path, name: str) -> Path:
    """`name.zh.txt` or `name.en.txt` in `folder` as ShopOps speaks now, else `name.txt` (an
    owner's copy from before the two languages)."""
    said = folder / f"{name}.{'zh' if chinese() else 'en'}.txt"
    return said if said.exists() else folder / f"{name}.txt"


def addresses(text: object) -> list[str]:
    """The addresses of a cell, separated by commas or semicolons."""
    return [a.strip() for a in str(text or "").replace(";", ",").replace("，", ",").split(",")
            if a.strip()]


def compose(settings, report: Path, values: dict[str, str], templates: Path) -> EmailMessage:
    recipients = addresses(settings.report_recipients)
    if not recipients:
        raise MailError(_("no recipients: fill 'Report recipients' in Settings"))
    return message(settings, recipients, "report", values, templates, report)


def message(settings, recipients: list[str], name: str, values: dict[str, str],
            templates: Path, attachment: Path) -> EmailMessage:
    """An e-mail from Settings' sender to `recipients`: subject and body from the `name`
    templates in `templates` (in the language spoken now), `attachment` attached."""
    sender = settings.smtp_from or settings.smtp_user
    if not sender:
        raise MailError(_("no sender: fill 'SMTP from' in Settings"))
    subject = Template(template(templates, f"{name}.subject").read_text("utf-8")) \
        .safe_substitute(values)
    body = Template(template(templates, f"{name}.body").read_text("utf-8")) \
        .safe_substitute(values)
    msg = EmailMessage()
    msg["Subject"] = subject.strip()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    msg.set_content(body)
    kind = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    maintype, subtype = kind.split("/", 1)
    msg.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype,
                       filename=attachment.name)
    return msg


def send(msg: EmailMessage, settings, password: str | None, timeout: float = 30) -> None:
    host, port = settings.smtp_host, int(settings.smtp_port)
    if not host:
        raise MailError(_("no SMTP host: fill 'SMTP host' in Settings"))
    context = ssl.create_default_context(cafile=os.environ.get("SHOPOPS_SMTP_CAFILE") or None)
    security = settings.smtp_security
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if security == "starttls":
                server.starttls(context=context)
            if settings.smtp_user:
                if not password:
                    raise MailError(_("no password: set the environment variable {name} (or "
                                      "store it in the keyring)").format(
                        name=settings.smtp_password_env))
                server.login(settings.smtp_user, password)
            server.send_message(msg)
    except MailError:
        raise
    except ConnectionRefusedError:
        raise MailError(_("could not connect to {host}:{port} (connection refused)").format(
            host=host, port=port)) from None
    except smtplib.SMTPAuthenticationError:
        raise MailError(_("{host} refused the login for {user}: check the user and the "
                          "password in {name}").format(host=host, user=settings.smtp_user,
                                                       name=settings.smtp_password_env)) from None
    except smtplib.SMTPRecipientsRefused as err:
        raise MailError(_("the server refused the recipient(s) {to}").format(
            to=", ".join(err.recipients))) from None
    except (smtplib.SMTPException, OSError) as err:
        raise MailError(_("sending through {host}:{port} failed: {error}").format(
            host=host, port=port, error=err)) from None

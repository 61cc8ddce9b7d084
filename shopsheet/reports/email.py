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


def compose(settings, report: Path, values: dict[str, str], templates: Path) -> EmailMessage:
    recipients = [a.strip() for a in str(settings.report_recipients or "").replace(";", ",")
                  .split(",") if a.strip()]
    if not recipients:
        raise MailError("no recipients: fill 'Report recipients' in Settings")
    sender = settings.smtp_from or settings.smtp_user
    if not sender:
        raise MailError("no sender: fill 'SMTP from' in Settings")
    subject = Template((templates / "report.subject.txt").read_text("utf-8")).safe_substitute(values)
    body = Template((templates / "report.body.txt").read_text("utf-8")).safe_substitute(values)
    msg = EmailMessage()
    msg["Subject"] = subject.strip()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    msg.set_content(body)
    kind = mimetypes.guess_type(report.name)[0] or "application/octet-stream"
    maintype, subtype = kind.split("/", 1)
    msg.add_attachment(report.read_bytes(), maintype=maintype, subtype=subtype,
                       filename=report.name)
    return msg


def send(msg: EmailMessage, settings, password: str | None, timeout: float = 30) -> None:
    host, port = settings.smtp_host, int(settings.smtp_port)
    if not host:
        raise MailError("no SMTP host: fill 'SMTP host' in Settings")
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
                    raise MailError(f"no password: set the environment variable "
                                    f"{settings.smtp_password_env} (or store it in the keyring)")
                server.login(settings.smtp_user, password)
            server.send_message(msg)
    except MailError:
        raise
    except ConnectionRefusedError:
        raise MailError(f"could not connect to {host}:{port} (connection refused)") from None
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"{host} refused the login for {settings.smtp_user}: check the user "
                        f"and the password in {settings.smtp_password_env}") from None
    except smtplib.SMTPRecipientsRefused as err:
        raise MailError("the server refused the recipient(s) "
                        + ", ".join(err.recipients)) from None
    except (smtplib.SMTPException, OSError) as err:
        raise MailError(f"sending through {host}:{port} failed: {err}") from None

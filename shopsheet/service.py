"""`shopops schedule --install`: the operating system's own way to keep the scheduler running —
a systemd user unit (Linux), a launchd agent (macOS) or a Task Scheduler task (Windows) —
written for this workbook and this Python, with the commands that switch it on."""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from xml.sax.saxutils import escape


def current_platform() -> str:
    return {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}.get(platform.system(),
                                                                           "linux")


def _name(book: Path) -> str:
    return "shopops-" + "".join(c if c.isalnum() else "-" for c in book.stem).lower()


def default_folder(kind: str) -> Path:
    home = Path.home()
    return {"linux": home / ".config" / "systemd" / "user",
            "macos": home / "Library" / "LaunchAgents",
            "windows": home / ".shopops"}[kind]


def service_file(book: Path, kind: str, python: str = sys.executable) -> tuple[str, str, str]:
    """(file name, contents, how to enable it) for `kind` (linux, macos, windows)."""
    book = book.resolve()
    name = _name(book)
    args = [python, "-m", "shopsheet", "schedule", str(book)]
    if kind == "linux":
        quoted = " ".join(f'"{a}"' if " " in a else a for a in args)
        text = (f"[Unit]\nDescription=ShopOps scheduler for {book.name}\n"
                "After=network-online.target\n\n[Service]\nType=simple\n"
                f"WorkingDirectory={book.parent}\nExecStart={quoted}\nRestart=on-failure\n"
                "RestartSec=60\nKillSignal=SIGTERM\n\n[Install]\nWantedBy=default.target\n")
        how = (f"systemctl --user daemon-reload && systemctl --user enable --now {name}.service"
               f"\n(to keep it running while you are logged out: loginctl enable-linger $USER)")
        return f"{name}.service", text, how
    if kind == "macos":
        label = f"org.shopops.{name}"
        items = "".join(f"\n    <string>{escape(a)}</string>" for a in args)
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD '
                'PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
                f'<plist version="1.0">\n<dict>\n  <key>Label</key><string>{label}</string>\n'
                f"  <key>ProgramArguments</key>\n  <array>{items}\n  </array>\n"
                f"  <key>WorkingDirectory</key><string>{escape(str(book.parent))}</string>\n"
                "  <key>RunAtLoad</key><true/>\n  <key>KeepAlive</key><true/>\n"
                f"  <key>StandardErrorPath</key><string>{escape(str(book.parent))}"
                "/shopops-schedule.err</string>\n</dict>\n</plist>\n")
        return f"{label}.plist", text, f"launchctl load -w ~/Library/LaunchAgents/{label}.plist"
    if kind == "windows":
        command = escape(args[0])
        arguments = escape(" ".join(f'"{a}"' for a in args[1:]))
        text = ('<?xml version="1.0" encoding="UTF-16"?>\n<Task version="1.2" xmlns='
                '"http://schemas.microsoft.com/windows/2004/02/mit/task">\n  <RegistrationInfo>'
                f"<Description>ShopOps scheduler for {escape(book.name)}</Description>"
                "</RegistrationInfo>\n  <Triggers><LogonTrigger><Enabled>true</Enabled>"
                "</LogonTrigger></Triggers>\n  <Settings><MultipleInstancesPolicy>IgnoreNew"
                "</MultipleInstancesPolicy><DisallowStartIfOnBatteries>false"
                "</DisallowStartIfOnBatteries><ExecutionTimeLimit>PT0S</ExecutionTimeLimit>"
                "<RestartOnFailure><Interval>PT5M</Interval><Count>999</Count>"
                "</RestartOnFailure></Settings>\n  <Actions><Exec>"
                f"<Command>{command}</Command><Arguments>{arguments}</Arguments>"
                f"<WorkingDirectory>{escape(str(book.parent))}</WorkingDirectory>"
                "</Exec></Actions>\n</Task>\n")
        return f"{name}.xml", text, f'schtasks /Create /TN "{name}" /XML "%USERPROFILE%\\.shopops\\{name}.xml"'
    raise ValueError(f"unknown platform {kind!r}")


def install(book: Path, kind: str, folder: Path | None = None) -> tuple[Path, str]:
    name, text, how = service_file(book, kind)
    folder = folder or default_folder(kind)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if kind == "windows":
        path.write_text(text, encoding="utf-16")
    else:
        path.write_text(text, encoding="utf-8")
    return path, how

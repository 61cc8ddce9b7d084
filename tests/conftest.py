"""Shared fixtures: a new ShopOps workbook, a rich one full of things a writer could lose, and
LibreOffice headless to open what the tests write."""

from __future__ import annotations

import os

# xlwings' remote engine (used to run the ribbon macros without Excel) registers at import and
# needs a license key; the noncommercial key is for these tests only — ShopOps never needs it.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# Frames and piece maps of the workbooks tests make never go to the user's cache folder: module
# and session fixtures use this one, each test its own (the `frame_cache` fixture).
os.environ["SHOPOPS_CACHE"] = __import__("tempfile").mkdtemp(prefix="shopops-test-cache-")

import csv  # noqa: E402
import datetime as dt  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from shopsheet.core.language import ENGLISH, use  # noqa: E402
from shopsheet.routines import init_workbook  # noqa: E402
from tests.rich import build_rich_workbook  # noqa: E402

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Tests speak English unless they say otherwise, whatever the machine's locale (the
    commands they run as subprocesses too)."""
    monkeypatch.setenv("SHOPOPS_LANG", "en")
    use(ENGLISH)


@pytest.fixture(autouse=True)
def frame_cache(tmp_path_factory, monkeypatch) -> Path:
    """Every test keeps frames and piece maps in its own cache folder, so the whole suite
    runs through the caches and no test sees another's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SHOPOPS_CACHE", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_bugs(tmp_path_factory, monkeypatch, request):
    """A bug (anything but a ShopOps or system error) reaching a face is told as one line with
    its traceback in the error log: so the log must stay empty, or the test fails with it —
    unless the test is marked `bug_expected`."""
    log = tmp_path_factory.mktemp("log") / "errors.log"
    monkeypatch.setenv("SHOPOPS_LOG", str(log))
    yield log
    if log.exists() and not request.node.get_closest_marker("bug_expected"):
        pytest.fail("a face met a bug:\n" + log.read_text(encoding="utf-8"), pytrace=False)


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def new_book(tmp_path: Path) -> Path:
    path = tmp_path / "ShopOps.xlsm"
    init_workbook(path, TODAY)
    return path


@pytest.fixture(scope="session")
def demo_shop(tmp_path_factory) -> Path:
    """The demo shop after `shopops demo` (made once per test run; tests copy it)."""
    from click.testing import CliRunner

    from shopsheet.cli import cli

    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def rich_book(tmp_path: Path) -> Path:
    path = tmp_path / "Rich.xlsm"
    build_rich_workbook(path, TODAY)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


class LibreOffice:
    """soffice headless with a private profile, so runs never share or lock one."""

    def __init__(self, exe: str, profile: Path):
        self.exe, self.profile = exe, profile

    def run(self, path: Path, convert_to: str, outdir: Path) -> subprocess.CompletedProcess:
        outdir.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [self.exe, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
             "--norestore", "--convert-to", convert_to, "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=240)

    def sheets_as_csv(self, path: Path, outdir: Path) -> dict[str, list[list[str]]]:
        """Every sheet as LibreOffice sees it (cells formatted as shown), by sheet name."""
        result = self.run(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,"
                                "false,false,-1", outdir)
        found = {}
        for file in outdir.glob(f"{path.stem}-*.csv"):
            with file.open(encoding="utf-8") as fh:
                found[file.stem[len(path.stem) + 1:]] = list(csv.reader(fh))
        assert found, f"LibreOffice could not open {path.name}: {result.stdout} {result.stderr}"
        return found


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> LibreOffice:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-calc-nogui)")
    return LibreOffice(exe, tmp_path_factory.mktemp("lo-profile"))


@pytest.fixture
def smtp():
    """A local SMTP server: (its inbox, its port); login shop / s3cret."""
    from tests.mailserver import local_smtp

    yield from local_smtp()

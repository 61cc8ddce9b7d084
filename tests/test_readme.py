"""The README as the owner reads it: its manual table is one table naming every command, its
two set-up commands are the ones CI runs, and nothing in it or docs/ points outside the repo."""

from __future__ import annotations

import re
from pathlib import Path

from shopsheet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_ZH = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def manual_table(readme: str = README, heading: str = "## Manual") -> list[str]:
    section = readme.split(heading, 1)[1]
    lines = section.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(("| command", "| 命令")))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_manual_is_one_table_naming_every_command():
    rows = manual_table()
    assert rows[1].startswith("|---")
    named = {m.group(1) for row in rows[2:] if (m := re.match(r"\| `shopops ([\w-]+)", row))}
    assert named == set(cli.commands), set(cli.commands) ^ named
    for row in rows:  # a row is whole: it ends its last cell
        assert row.rstrip().endswith("|") and row.count("|") - row.count("\\|") >= 3, row
    after = README.split("## Manual", 1)[1].split("\n")
    rest = "\n".join(after[after.index(rows[-1]) + 1:]).split("\n###")[0]
    assert "`shopops " not in rest.split("\n\n", 1)[0]  # no row stranded below the table


def test_the_two_commands_are_those_ci_runs():
    block = README.split("## The two commands", 1)[1].split("```", 2)[1]
    assert ".venv/bin/shopops demo" in block and "bash .ci/run" in block
    assert (ROOT / ".ci" / "run").exists()


def test_the_chinese_readme_keeps_in_step():
    """README.zh-CN.md names the same commands, written the same way, in the same order, and
    gives the same two set-up commands."""
    def commands(rows: list[str]) -> list[str]:
        return [re.match(r"\| (`shopops [^`]*`)", row).group(1) for row in rows[2:]]

    chinese = manual_table(README_ZH, "## 命令手册")
    assert chinese[1].startswith("|---")
    assert commands(chinese) == commands(manual_table())
    assert all(row.rstrip().endswith("|") for row in chinese)
    block = README.split("## The two commands", 1)[1].split("```", 2)[1]
    block_zh = README_ZH.split("## 两条命令", 1)[1].split("```", 2)[1]
    def code(text: str) -> list[str]:
        return [line for line in text.splitlines() if line and not line.startswith("#")]
    assert code(block_zh) == code(block)
    for part in ("### Windows 上的设置", "### macOS 上的设置", "## 每天的流程"):
        assert part in README_ZH
    assert "README.zh-CN.md" in README


def test_nothing_points_outside_the_repo():
    for path in [ROOT / "README.md", ROOT / "README.zh-CN.md", *(ROOT / "docs").glob("*.md"),
                 ROOT / "workbook" / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "../" not in text.replace("`../ShopOps.xlsm`", ""), path
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            assert not target.startswith("http"), (path, target)
            assert (path.parent / target).exists(), (path, target)
        assert "DESIGN.md" not in text and "shared/" not in text, path

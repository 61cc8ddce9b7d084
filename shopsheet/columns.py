"""How a sheet's column is declared: header label, Chinese aliases, kind, Excel format, checks.

Each sheet model in `sheets.py` declares its columns with the helpers here, e.g.
`sku: Series[str] = text("SKU", "商品编码", required=True, unique=True)`. The helpers return a
pandera Field whose metadata carries what Excel needs (label, aliases, number format, width,
drop-down words), so the schema that validates a sheet is also the one that lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandera.pandas as pa

from shopsheet.core.language import N_, _, chinese
from shopsheet.core.words import shown_words


@dataclass(frozen=True)
class Kind:
    """What a column holds: how cells are coerced, formatted and described to the user."""

    name: str
    excel_format: str
    expected: str
    width: float = 12


KINDS = {
    k.name: k
    for k in (
        Kind("text", "@", N_("text"), 18),
        Kind("whole", "#,##0", N_("a whole number"), 10),
        Kind("number", "#,##0.00", N_("a number"), 10),
        Kind("money", '"¥"#,##0.00', N_("an amount of money"), 11),
        Kind("percent", "0.0%", N_("a percentage"), 9),
        Kind("date", "yyyy-mm-dd", N_("a date"), 12),
        Kind("datetime", "yyyy-mm-dd hh:mm", N_("a date and time"), 17),
        Kind("yesno", "General", N_("yes or no"), 9),
        Kind("any", "General", N_("a value"), 16),
    )
}


@dataclass(frozen=True)
class ColumnMeta:
    """The Excel side of one column; `name` is the snake_case field name it is read into."""

    label: str
    zh: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    width: float | None = None
    computed: bool = False
    bounds: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text this column is recognised by (compared case-insensitively)."""
        return (self.label, self.zh, *self.aliases)

    @property
    def excel_format(self) -> str:
        return self.kind.excel_format

    @property
    def col_width(self) -> float:
        return self.width or max(self.kind.width, len(self.label) + 3)

    def expectation(self) -> str:
        """Plain words for what a cell of this column must hold, e.g. `a whole number ≥ 0`
        (`≥ 0 的整数`), in the language spoken now."""
        if self.choices:
            return _("one of {words}").format(
                words=", ".join(shown_words(self.choices, chinese())))
        limits = " ".join(f"{sign} {self._show(self.bounds[key])}"
                          for key, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
                          if key in self.bounds)
        kind = _(self.kind.expected)
        return _("{kind} {limits}").format(kind=kind, limits=limits) if limits else kind

    def _show(self, bound: Any) -> str:
        if self.kind.name == "percent":
            return f"{bound:.0%}"
        return f"{bound:g}" if isinstance(bound, float) else str(bound)


def _field(label: str, zh: str, kind: str, *, required: bool = False, unique: bool = False,
           choices: tuple[str, ...] = (), aliases: tuple[str, ...] = (), width: float | None = None,
           computed: bool = False, **bounds: Any) -> Any:
    meta = ColumnMeta(label, zh, KINDS[kind], required, tuple(choices), tuple(aliases), width,
                      computed, dict(bounds))
    checks: dict[str, Any] = dict(bounds)
    if choices:
        checks["isin"] = list(choices)
    return pa.Field(nullable=not required, unique=unique, metadata={"shopops": meta}, **checks)


def text(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "text", **kw)


def any_value(label: str, zh: str, **kw: Any) -> Any:
    """A column whose cells differ in kind row by row (Settings values, Dashboard figures)."""
    return _field(label, zh, "any", **kw)


def choice(label: str, zh: str, choices: tuple[str, ...], **kw: Any) -> Any:
    """A text column whose cells must be one of `choices`; Excel gets a drop-down of them."""
    return _field(label, zh, "text", choices=choices, width=kw.pop("width", 14), **kw)


def whole(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "whole", **kw)


def number(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "number", **kw)


def money(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "money", **kw)


def percent(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "percent", **kw)


def date(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "date", **kw)


def datetime(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "datetime", **kw)


def yesno(label: str, zh: str, **kw: Any) -> Any:
    return _field(label, zh, "yesno", **kw)


def column_metas(model: type[pa.DataFrameModel]) -> list[ColumnMeta]:
    """The model's columns in sheet order, each with its field name filled in."""
    metas = []
    for name, column in model.to_schema().columns.items():
        meta: ColumnMeta = column.metadata["shopops"]
        metas.append(ColumnMeta(**{**meta.__dict__, "name": name}))
    return metas

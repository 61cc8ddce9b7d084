"""The Settings sheet: every setting's key, kind, default and note, and typed access to them.

The sheet holds one row per setting (Setting, Value, Note). Keys are matched by their English or
Chinese label, case-insensitively; a key missing from the sheet takes its default, so an older
workbook keeps working when a new setting is added. Passwords are never settings: the SMTP
password comes from the environment variable named here, or the OS keyring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from shopsheet.columns import KINDS
from shopsheet.core.language import N_, _, language_of
from shopsheet.core.problems import Problem
from shopsheet.validation import coerce_value


@dataclass(frozen=True)
class SettingSpec:
    name: str
    key: str
    zh: str
    kind: str
    default: Any
    note: str
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None  # (lowest, highest) a number may be
    fill: tuple[tuple[str, str], ...] = ()  # the note's {blanks}, each said in the language

    def explained(self) -> str:
        """The note in the language spoken now."""
        return _(self.note).format(**{k: _(v) for k, v in self.fill})


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("shop_name", "Shop name", "店铺名称", "text", "My Shop",
                N_("Shown on reports, packing slips and e-mails.")),
    SettingSpec("shop_address", "Delivery address", "收货地址", "text", "",
                N_("Where suppliers deliver; printed on purchase orders.")),
    SettingSpec("shop_contact", "Purchasing contact", "采购联系人", "text", "",
                N_("Name and phone suppliers reach about an order; printed on purchase orders.")),
    SettingSpec("currency", "Currency", "币种", "text", "CNY", N_("ISO code of the shop's money.")),
    SettingSpec("commission", "Platform commission %", "平台佣金比例", "percent", 0.05,
                N_("Share of each sale the platform keeps; used in margins."), bounds=(0, 1)),
    SettingSpec("free_shipping_threshold", "Free shipping threshold", "包邮门槛", "money", 199,
                N_("Orders at or above this amount ship free.")),
    SettingSpec("service_level", "Service level", "服务水平", "percent", 0.95,
                N_("Chance of not running out during a lead time; sets safety stock."),
                bounds=(0.5, 0.9999)),
    SettingSpec("sales_window_days", "Sales window days", "销量统计天数", "whole", 30,
                N_("Days of sales behind Avg Daily Sales and ABC.")),
    SettingSpec("review_period_days", "Review period days", "盘点周期天数", "whole", 7,
                N_("Days between reorder reviews; orders cover lead time plus this.")),
    SettingSpec("measured_lead_times", "Use measured lead times", "采用实测交货周期", "yesno",
                False, N_("yes: reorders use each supplier's lead time and spread as measured "
                          "on 3 or more deliveries instead of the typed ones.")),
    SettingSpec("abc_window_days", "ABC window days", "ABC统计天数", "whole", 90,
                N_("Days of revenue behind the ABC classes.")),
    SettingSpec("abc_a", "ABC cut-off A", "A类占比", "percent", 0.80,
                N_("Top share of revenue that makes a product class A."), bounds=(0, 1)),
    SettingSpec("abc_b", "ABC cut-off B", "B类占比", "percent", 0.15,
                N_("Next share of revenue: class B; the rest is C."), bounds=(0, 1)),
    SettingSpec("gift_cost", "Free gift cost", "赠品成本", "money", 49,
                N_("What the week-3 free gift costs the shop (it is worth ¥49 to the buyer).")),
    SettingSpec("gift_threshold", "Free gift threshold", "赠品门槛", "money", 199,
                N_("Spend that earns the week-3 free gift.")),
    SettingSpec("margin_floor", "Margin floor", "最低毛利率", "percent", 0.20,
                N_("Promotions whose margin falls below this are flagged."), bounds=(0, 1)),
    SettingSpec("large_first_order", "Large first order", "新客大额订单", "money", 1000,
                N_("A new customer's first order above this is a red flag.")),
    SettingSpec("response_sla_hours", "Response SLA hours", "客服响应目标(小时)", "number", 2,
                N_("Target time to answer a customer.")),
    SettingSpec("response_max_hours", "Response max hours", "客服响应上限(小时)", "number", 24,
                N_("Longest acceptable time to answer a customer.")),
    SettingSpec("inbox_folder", "Inbox folder", "订单导入文件夹", "folder", "inbox",
                N_("Order exports dropped here are imported by the daily routine.")),
    SettingSpec("done_folder", "Done folder", "已导入文件夹", "folder", "inbox/done",
                N_("Imported files are moved here.")),
    SettingSpec("report_recipients", "Report recipients", "报表收件人", "emails", "",
                N_("E-mail addresses, separated by commas.")),
    SettingSpec("smtp_host", "SMTP host", "SMTP服务器", "text", "", N_("Outgoing mail server.")),
    SettingSpec("smtp_port", "SMTP port", "SMTP端口", "whole", 587, N_("587 for STARTTLS, 465 for SSL."),
                bounds=(1, 65535)),
    SettingSpec("smtp_security", "SMTP security", "SMTP加密", "text", "starttls",
                N_("starttls, ssl or none."), ("starttls", "ssl", "none")),
    SettingSpec("smtp_user", "SMTP user", "SMTP用户名", "text", "", N_("Login for the mail server.")),
    SettingSpec("smtp_from", "SMTP from", "发件人", "emails", "", N_("Sender address of reports.")),
    SettingSpec("smtp_password_env", "SMTP password variable", "SMTP密码环境变量", "text",
                "SHOPOPS_SMTP_PASSWORD",
                N_("Name of the environment variable holding the password (never stored here).")),
    SettingSpec("daily_time", "Daily routine time", "每日任务时间", "time", "07:30",
                N_("When the scheduler runs the daily routine (HH:MM).")),
    SettingSpec("weekly_day", "Weekly report day", "周报日", "text", "monday",
                N_("Day the weekly report is made and e-mailed."),
                ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")),
    SettingSpec("weekly_time", "Weekly report time", "周报时间", "time", "08:00",
                N_("Time of day for the weekly report (HH:MM).")),
    SettingSpec("time_zone", "Time zone", "时区", "text", "Asia/Shanghai",
                N_("Shop's time zone for schedules and order times.")),
    SettingSpec("language", "Language", "语言", "language", "zh",
                N_("zh-CN or en: the workbook's, the reports' and the messages' language.")),
    SettingSpec("stock_buffer", "Stock buffer", "安全库存预留", "whole", 0,
                N_("Units of each product held back from the stock told to the channels.")),
    SettingSpec("stock_export_daily", "Stock export in daily", "每日导出库存", "yesno", False,
                N_("yes: the daily routine writes each channel's stock file into the stock "
                "export folder.")),
    SettingSpec("stock_export_folder", "Stock export folder", "库存导出文件夹", "folder",
                "stock-export", N_("Where stock files for the channels are written.")),
    SettingSpec("shopify_location", "Shopify location", "Shopify库存地点", "text",
                "Shop location", N_("The Shopify location whose stock the Shopify file sets.")),
    SettingSpec("import_limit_mb", "Import limit MB", "导入上限(MB)", "whole", 200,
                N_("Largest export an import reads (its cells, unpacked); bigger ones are refused."),
                bounds=(1, 2000)),
    SettingSpec("packaging_per_order", "Packaging per order", "每单包装成本", "money", 0,
                N_("What box, tape and filler cost per order sent: profit takes it off each order "
                "that shipped.")),
    SettingSpec("settle_wait_days", "Settlement wait days", "结算等待天数", "whole", 15,
                N_("Days after payment by which an order should be settled; later, reconcile "
                "names it."), bounds=(1, 120)),
    SettingSpec("backups", "Backups to keep", "保留备份数", "whole", 5,
                N_("Copies of the workbook kept before each write (0 turns backups off).")),
    *(SettingSpec(f"thanks_{channel}", f"Packing slip thanks ({label})", f"装箱单致谢（{zh}）",
                  "text", line, N_("The thank-you line on packing slips of {channel} orders."),
                  fill=(("channel", label),))
      for channel, label, zh, line in (
          ("xiaohongshu", N_("Xiaohongshu"), "小红书",
           "感谢您的惠顾！喜欢的话，欢迎在小红书分享笔记～  Thank you for shopping with us!"),
          ("taobao", N_("Taobao"), "淘宝",
           "感谢您的惠顾！满意的话，请在淘宝给我们五星好评～  Thank you for shopping with us!"),
          ("tmall", N_("Tmall"), "天猫",
           "感谢您的惠顾！满意的话，请在天猫给我们五星好评～  Thank you for shopping with us!"),
          ("shopify", "Shopify", "Shopify",
           "Thank you for shopping with us! We would love a review on our shop.  感谢您的惠顾！"),
          ("wechat", N_("WeChat"), "微信",
           "感谢您的惠顾！喜欢的话，欢迎推荐给微信好友～  Thank you for shopping with us!"),
          ("other", N_("other channels"), "其他渠道",
           "感谢您的惠顾！  Thank you for shopping with us!"))),
)
SPECS = {s.name: s for s in SETTINGS}


class Settings:
    """Typed settings: `settings.sales_window_days` → 30. Unknown names raise AttributeError."""

    def __init__(self, values: dict[str, Any]):
        self._values = {s.name: values.get(s.name, s.default) for s in SETTINGS}

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"no setting named {name!r}") from None

    def thanks(self, channel: object) -> str:
        """The thank-you line for an order of `channel` (an unknown one: other channels')."""
        key = f"thanks_{channel}" if f"thanks_{channel}" in self._values else "thanks_other"
        return str(self._values[key] or "")

    def book_language(self) -> str | None:
        """The language the owner chose for the book (`zh-CN`/`en`), or None when the
        Language row predates that choice: `zh`, the old default, chose only the customer
        messages (every book `init` made before had it, English ones included)."""
        value = self._values["language"]
        return None if value == "zh" else language_of(value)

    def messages_language(self) -> str:
        """`zh`: the customer messages' templates on the Chinese channels (Shopify's buyers
        get English). Buyers on Xiaohongshu, Taobao, Tmall and WeChat read Chinese whatever
        language the owner reads the workbook in."""
        return "zh"

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @classmethod
    def defaults(cls) -> Settings:
        return cls({})


_TIME = re.compile(r"^(\d{1,2})(?:[:.：](\d{2}))?\s*(am|pm|上午|下午)?$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
EXPECTED = {"time": N_("a time of day such as 07:30 or 7.30am"), "emails": N_("e-mail addresses "
            "separated by commas, such as owner@shop.example"),
            "folder": N_("a folder, beside the workbook (inbox) or a full path (D:\\Shop\\inbox), "
                      "without < > \" | ? *"),
            "language": N_("zh-CN (中文) or en (English)")}
_NOT_IN_PATHS = re.compile(r'[<>"|?*\x00-\x1f]')


def time_of_day(value: object) -> str | None:
    """`07:30`, `7:30`, `7.30am`, `7pm`, `下午3:00` → "HH:MM"; None when it is not a time."""
    if hasattr(value, "hour") and hasattr(value, "minute"):  # a time cell
        return f"{value.hour:02d}:{value.minute:02d}"
    text = str(value).strip().replace(" ", "")
    match = _TIME.match(text) or _TIME.match(text[2:] + text[:2]) if text else None
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "")
    if half.lower() in ("pm", "下午") and hour < 12:
        hour += 12
    elif half.lower() in ("am", "上午") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def emails(value: object) -> str | None:
    """Addresses separated by commas (or ；/;): each must look like an address."""
    found = [a.strip() for a in re.split(r"[,，;；]", str(value)) if a.strip()]
    return ", ".join(found) if found and all(_EMAIL.match(a) for a in found) else None


def folder(value: object) -> str | None:
    """A folder name or path any of Windows, macOS and Linux can hold (a drive's colon
    allowed, `D:\\Shop`), trimmed; None when it cannot be one."""
    text = str(value).strip()
    rest = text[2:] if re.match(r"^[A-Za-z]:[\\/]", text) else text
    return text if text and not _NOT_IN_PATHS.search(text) and ":" not in rest else None


def _setting(raw: object, spec: SettingSpec) -> tuple[Any, str | None]:
    """A setting's value, or why it cannot be: the plain words a problem carries."""
    if spec.kind == "language":
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, None
        found = language_of(str(raw))
        if found is None:
            return None, _(EXPECTED["language"])
        # `zh`, the default of books made before the setting chose the book's language, only
        # ever chose the customer messages: such a book keeps the language it is headed in
        return ("zh" if str(raw).strip().lower() == "zh" else found), None
    if spec.kind in ("time", "emails", "folder"):
        if raw is None or (isinstance(raw, str) and not raw.strip()) or \
                (isinstance(raw, float) and raw != raw):
            return None, None
        value = {"time": time_of_day, "emails": emails, "folder": folder}[spec.kind](raw)
        return value, None if value is not None else _(EXPECTED[spec.kind])
    value, ok = coerce_value(raw, spec.kind)
    if isinstance(value, str):
        value = value.strip()
    if not ok or (spec.choices and value is not None and value.lower() not in spec.choices):
        return None, _("one of {words}").format(words=", ".join(spec.choices)) \
            if spec.choices else _(KINDS[spec.kind].expected)
    if spec.bounds and value is not None and not spec.bounds[0] <= value <= spec.bounds[1]:
        low, high = spec.bounds
        if spec.kind == "percent":
            low_text, high_text = f"{low:.0%}", f"{high:.2%}".replace(".00%", "%")
            if 1 < value <= 100 and (value / 100) <= high:
                return None, _("a percentage from {low} to {high} — did you mean {value} %? "
                               "type {value}% or {fraction}").format(
                    low=low_text, high=high_text, value=f"{value:g}", fraction=f"{value / 100:g}")
            return None, _("a percentage from {low} to {high}").format(low=low_text,
                                                                        high=high_text)
        return None, _("a number from {low} to {high}").format(low=f"{low:g}", high=f"{high:g}")
    return value, None


def read_settings(frame: pd.DataFrame, letters: dict[str, str]) -> tuple[Settings, list[Problem]]:
    """Settings from the sheet's rows (keys in `key`, values raw as read), with bad values named
    by cell and setting: `Settings!B4 (Platform commission %): got 5, expected …`."""
    by_key = {}
    for spec in SETTINGS:
        by_key[spec.key.casefold()] = spec
        by_key[spec.zh.casefold()] = spec
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for row, key, raw in zip(frame.index, frame["key"], frame["value"]):
        spec = by_key.get(str(key).strip().casefold()) if isinstance(key, str) else None
        if spec is None:
            continue  # the user's own notes and settings are kept, not judged
        value, wrong = _setting(raw, spec)
        if wrong:
            problems.append(Problem("Settings", f"{letters['value']}{row}", spec.key, raw, wrong))
            continue
        if value is not None:
            values[spec.name] = value.lower() if spec.choices else value
    return Settings(values), problems

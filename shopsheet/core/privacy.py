"""Phone numbers in what a report shows: masked (`138****1234`), enough to recognise a customer,
not enough to misuse — in the Phone column and wherever one was typed into other text (a
buyer who put their number in the name field)."""

from __future__ import annotations

import re

# a Chinese mobile (11 digits from 13…19), with or without +86, spaces or dashes between
# digits; or any number written with +86. Never part of a longer run of digits (order ids).
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d){8}(?![\d])"
                    r"|(?<![\d+])(?:\+|00)86[-\s]?\d(?:[-\s]?\d){6,10}(?!\d)")


def mask_phone(value) -> str:
    """`13812341234` → `138****1234`."""
    digits = re.sub(r"\D", "", str(value or ""))
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    if len(digits) < 7:
        return "****" if digits else ""
    return f"{digits[:3]}****{digits[-4:]}"


def mask_phones_in(text: str) -> str:
    """`text` with every phone number in it masked."""
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)

"""Phone numbers masked wherever a report shows one; order ids and prices left alone."""

from __future__ import annotations

from shopsheet.core.privacy import mask_phone, mask_phones_in


def test_a_phone_cell_is_masked():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("+86 138-1234-1234") == "138****1234"
    assert mask_phone("") == "" and mask_phone(None) == ""
    assert mask_phone("12345") == "****"


def test_phones_inside_text_are_masked_and_nothing_else():
    text = "李娜 13812341234 (order 202611201234567890, ¥1380) call +86 21 5555 1234"
    assert mask_phones_in(text) == ("李娜 138****1234 (order 202611201234567890, ¥1380) "
                                    "call 215****1234")
    assert mask_phones_in("SKU 1381234") == "SKU 1381234"

"""What each channel may sell: on hand less what is promised and the buffer, per listing in
its pack size, a kit by its parts."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.availability import available, channel_rows
from shopsheet.core.listings import shelf
from tests.core.test_listings import KITS, LISTINGS, PRODUCTS, T, orders, plain


def test_what_the_channels_may_sell():
    o = orders()
    s = shelf(o, PRODUCTS, LISTINGS, KITS)
    ledger = pd.DataFrame({"time": [T("2026-11-01")] * 2, "sku": ["A001", "B001"],
                           "change": [20, 10], "reason": ["opening"] * 2,
                           "reference": [None, None]})
    free = available(ledger, s, pd.Index(["A001", "B001", "K1"]), buffer=1)
    # nothing posted yet: on hand 20 and 10; committed 10 and 6; minus the buffer of 1
    assert free.to_dict() == {"A001": 9, "B001": 3, "K1": 1}
    rows = channel_rows(("xiaohongshu",), PRODUCTS, LISTINGS, o, s, free)
    got = rows[["channel_sku", "sku", "units", "available", "committed_here"]]
    assert [plain(r) for _, r in got.iterrows()] == [["RT-2", "A001", 2, 4, 3],
                                                      [None, "B001", 1, 3, 0]]

"""Making workbooks: a new ShopOps book, and what a newer ShopOps adds to an older one
(sheets, print set-up)."""

"""Tests of the Book machinery, grouped by the room of `shopsheet/book/` they test."""

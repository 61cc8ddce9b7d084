"""Raw deflate for sheet parts: ISA-L's (python-isal) where it is installed, else zlib's.

A cold morning repacks the year of Orders and the ledger that Excel deflated whole
(`pieces.repack`): it inflates all of them and deflates all of them again, in pieces. Measured
on a year of Orders (135 MB of XML), ISA-L at level 1 against zlib at level 1: inflating the
whole part 0.12 s against 0.41, deflating it as 1 MB pieces 0.15 s against 0.57 (to 19.2 MB
against 19.5), its CRC 0.01 s against 0.03; both let go of Python's lock while they work. The
streams are plain deflate, which every zip reader inflates. zlib remains the fallback (where
isal has no wheel) and the self-check's second opinion: `writer.check` inflates with zlib
what was deflated here.
"""

from __future__ import annotations

import zlib

try:
    from isal import isal_zlib as codec
except ImportError:  # pragma: no cover - isal has wheels for the platforms ShopOps runs on
    codec = zlib

LEVEL = 1  # zlib's 1 is five times faster than its 6 on sheet XML; ISA-L's 1 packs as tight
# as zlib's 1 (above)
ERRORS = (zlib.error, codec.error)  # what a stream that is not whole raises, by either
crc32 = codec.crc32


def packer():
    """A raw deflate stream (no zlib header: zip entries hold raw deflate)."""
    return codec.compressobj(LEVEL, codec.DEFLATED, -15)


def unpacker(implementation=codec):
    """A raw inflate stream, by ISA-L unless told (`zlib`, for a second opinion)."""
    return implementation.decompressobj(-15)


SYNC_FLUSH, FINISH = codec.Z_SYNC_FLUSH, codec.Z_FINISH

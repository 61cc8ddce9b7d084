"""Write a zip whose untouched entries are copied as their original compressed bytes.

Python's zipfile can only re-compress what it copies; for a workbook with a year of orders that
is most of the write time, and it is needless: an entry ShopOps does not own must come out
byte-identical anyway. Here each untouched entry's local record (header, compressed data, data
descriptor) is copied as it is, replaced entries are deflated anew (sheet parts piece by
piece, copying the pieces that did not change: `pieces.py`), and a fresh central
directory points at the new offsets. Entry order, names, times, flags and attributes are kept.
"""

from __future__ import annotations

import os
import struct
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from shopsheet.book.write import deflate, pieces
from shopsheet.book.write.pieces import Pieced, combine

LOCAL = struct.Struct("<4s5H3L2H")  # signature … file name length, extra length
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")


CHUNK = 4 << 20  # bytes of a part deflated per thread


def stored_data(source: bytes, info: zipfile.ZipInfo) -> memoryview:
    """An entry's compressed bytes as stored (no header), without copying them."""
    head = LOCAL.unpack_from(source, info.header_offset)
    start = info.header_offset + LOCAL.size + head[9] + head[10]
    return memoryview(source)[start:start + info.compress_size]


def _deflate(data: bytes) -> bytes:
    """Raw deflate at level 1, in 4 MB pieces compressed on every core, as pigz does: each
    piece but the last ends in a sync flush, so the pieces joined are one valid stream. The
    deflater (`deflate.py`) lets go of the GIL while it compresses, so threads are enough.
    (Sheet parts are cut at rows instead, so a later write can copy pieces: see `pieces.py`.)"""
    view = memoryview(data)
    chunks = [view[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [view]
    if len(chunks) == 1:
        return pieces.deflate_piece(view, True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return b"".join(pool.map(lambda k: pieces.deflate_piece(chunks[k], k == len(chunks) - 1),
                                 range(len(chunks))))


def raw_record(source: bytes, info: zipfile.ZipInfo) -> bytes:
    """An entry's local record as stored: header, compressed data, data descriptor."""
    start = info.header_offset
    head = LOCAL.unpack_from(source, start)
    length = LOCAL.size + head[9] + head[10] + info.compress_size
    if info.flag_bits & 0x08:  # a data descriptor follows the data
        signed = source[start + length:start + length + 4] == b"PK\x07\x08"
        length += 16 if signed else 12
    return source[start:start + length]


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def new_entry(name: str) -> zipfile.ZipInfo:
    """The entry of a part ShopOps adds to a package: deflated, UTF-8 name, fixed time."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.flag_bits = 0x800 if not name.isascii() else 0
    return info


def write_zip(source: bytes, infos: list[zipfile.ZipInfo], out: BinaryIO,
              replaced: dict[str, bytes], removed: set[str],
              added: dict[str, bytes] | None = None) -> None:
    """Copy `infos` from `source` to `out`, swapping in `replaced`, leaving out `removed` and
    appending the new parts `added` at the end."""
    central, offset = [], 0
    added = added or {}
    replaced = {**replaced, **added}
    for info in [*infos, *map(new_entry, added)]:
        name = info.filename
        if name in removed:
            continue
        encoded = name.encode("utf-8") if info.flag_bits & 0x800 else name.encode("cp437")
        if name in replaced:
            data = replaced[name]
            method = zipfile.ZIP_DEFLATED if info.compress_type == zipfile.ZIP_DEFLATED \
                or isinstance(data, Pieced) else zipfile.ZIP_STORED
            if isinstance(data, Pieced):  # a sheet part in pieces: copy or deflate each
                made = data.pack()
                body = b"".join(s.packed for s in data.segments)
                crc, size = combine(made), sum(p.raw for p in made)
            else:
                body = _deflate(data) if method == zipfile.ZIP_DEFLATED else data
                crc, size = deflate.crc32(data), len(data)
            csize, flags = len(body), info.flag_bits & 0x800
            dtime, ddate = _dos_time(info)
            record = LOCAL.pack(b"PK\x03\x04", 20, flags, method, dtime, ddate, crc, csize,
                                size, len(encoded), 0) + encoded + body
        else:
            record = raw_record(source, info)
            method, crc, size, csize, flags = info.compress_type, info.CRC, info.file_size, \
                info.compress_size, info.flag_bits
            dtime, ddate = _dos_time(info)
        out.write(record)
        central.append(CENTRAL.pack(
            b"PK\x01\x02", (info.create_system << 8) | info.create_version,
            max(info.extract_version, 20), flags, method, dtime, ddate, crc, csize, size,
            len(encoded), len(info.extra), len(info.comment), 0, info.internal_attr,
            info.external_attr, offset) + encoded + info.extra + info.comment)
        offset += len(record)
    directory = b"".join(central)
    out.write(directory)
    out.write(END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset,
                       0))

"""Sheet parts deflated as independent pieces, so the next write copies what it did not change.

A zip entry is one deflate stream, so adding 600 rows to a year of orders would mean inflating
and deflating the whole 130 MB part. ShopOps deflates the sheet parts it writes in pieces
instead: the head (everything before the first row), the rows in ~1 MB pieces that each begin
at a row, and the tail (`</sheetData>` onwards). Each piece is deflated on its own — no
back-reference reaches into another piece — and all but the last end in a sync flush (a
byte-aligned empty block), so the pieces joined are one valid stream that any zip reader
inflates, and each piece can also be inflated alone.

The piece map (first row, inflated and deflated length, CRC of each piece) is kept beside the
frame cache, keyed by the deflated bytes of the part. The next run that edits the sheet
inflates only the head, the tail and the pieces holding rows it edits (`window`), edits that
window as if it were the sheet (rows stand in order, so a sheet with pieces left out is still
a sheet), then cuts the result back at the same rows (`reassemble`): unchanged pieces are
copied as stored, changed ones deflated anew, and the entry's CRC is combined from the pieces'.
A map that does not add up to the entry's sizes and CRC is not used.
"""

from __future__ import annotations

import bisect
import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from shopsheet.book.write import deflate

PIECE = 1 << 20  # bytes of row XML per piece, about (a piece ends where a row begins)
HEAD, TAIL = 0, 1 << 40  # the "first row" of the head and of the tail
_ROW_R = re.compile(rb'<row\b[^>]*?\br="(\d+)"')


@dataclass(frozen=True)
class Piece:
    first_row: int  # number of the first row in it (HEAD, TAIL for those)
    raw: int  # length inflated
    packed: int  # length deflated
    crc: int  # CRC-32 of the inflated bytes


@dataclass
class Segment:
    """One piece of a part about to be written: `packed` (copied as stored) or `raw` (to be
    deflated); after packing both are known, with the piece's CRC."""
    first_row: int
    raw: bytes | memoryview | None
    packed: bytes | memoryview | None = None
    crc: int | None = None
    raw_len: int = 0
    copied: bool = False


@dataclass
class Pieced:
    """A sheet part written as pieces. `window` is the XML the run edited (the whole part, or
    the pieces it inflated): written cells are read back from it."""
    segments: list[Segment]
    window: bytes
    map: list[Piece] | None = None  # known once packed

    def pack(self) -> list[Piece]:
        """Deflate the new segments on every core; return the part's piece map."""
        new = [s for s in self.segments if not s.copied]
        last = self.segments[-1]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            packed = list(pool.map(lambda s: deflate_piece(s.raw, s is last), new))
        for segment, body in zip(new, packed):
            segment.packed, segment.crc, segment.raw_len = body, deflate.crc32(segment.raw), \
                len(segment.raw)
        self.map = [Piece(s.first_row, s.raw_len, len(s.packed), s.crc) for s in self.segments]
        return self.map


def deflate_piece(raw: bytes | memoryview, last: bool) -> bytes:
    """Raw deflate at level 1 (`deflate.py`), ending in a sync flush unless it is the stream's
    last piece."""
    packer = deflate.packer()
    return packer.compress(raw) + packer.flush(deflate.FINISH if last else deflate.SYNC_FLUSH)


def inflate_piece(packed: bytes | memoryview, last: bool, implementation=deflate.codec) -> bytes:
    """A piece inflated on its own (by ISA-L unless told: `zlib` for a second opinion); one of
    `deflate.ERRORS` if it is not a whole piece."""
    unpacker = deflate.unpacker(implementation)
    raw = unpacker.decompress(packed)
    if unpacker.unused_data or (last and not unpacker.eof) or (not last and unpacker.eof):
        raise zlib.error("not one whole piece")
    return raw


def body_bounds(data: bytes) -> tuple[int, int] | None:
    """Where the rows of a sheet part begin (its first `<row`) and end (`</sheetData>`)."""
    start = data.find(b"<sheetData>")
    if start < 0:
        return None
    end = data.rfind(b"</sheetData>")
    if end < start:
        return None
    first = data.find(b"<row", start, end)
    return (first if first >= 0 else end), end


def cut(data: bytes) -> list[tuple[int, int, int]] | None:
    """(start, end, first row) of each piece of a sheet part; None when the part has no rows
    element to cut at or a piece would begin at a row without its number (such parts are
    deflated whole)."""
    bounds = body_bounds(data)
    if bounds is None:
        return None
    start, end = bounds
    pieces = [(0, start, HEAD)]
    pos = start
    while pos < end:
        nxt = data.find(b"<row", pos + PIECE, end) if pos + PIECE < end else -1
        stop = nxt if nxt > 0 else end
        number = _ROW_R.match(data, pos)
        if number is None:
            return None
        pieces.append((pos, stop, int(number.group(1))))
        pos = stop
    pieces.append((end, len(data), TAIL))
    return pieces


def fresh(data: bytes) -> Pieced | None:
    """The whole part as new pieces (its first write by ShopOps, or a sheet rewritten whole)."""
    cuts = cut(data)
    if cuts is None:
        return None
    view = memoryview(data)
    return Pieced([Segment(first, view[a:b]) for a, b, first in cuts], data)


STEP = 1 << 20  # deflated bytes inflated at a time by `repack`


def repack(stored: bytes | memoryview, size: int, crc: int) -> tuple[list[Piece], bytes] | None:
    """A part deflated whole (as Excel, or any other writer, stores it) cut into pieces as
    `cut` would and deflated anew: the map and the pieces joined, which stand in for the stored
    entry, so the run's write of the part is piece by piece. Inflated a slice at a time, so
    the part is never held whole. None if the part has nothing to cut at, or does not inflate
    to the entry's `size` and `crc`."""
    unpacker = deflate.unpacker()
    made: list[Piece] = []
    packed: list[bytes] = []

    def emit(first_row: int, raw: bytes, last: bool = False) -> None:
        body = deflate_piece(raw, last)
        packed.append(body)
        made.append(Piece(first_row, len(raw), len(body), deflate.crc32(raw)))

    buf, state, seen, pos = bytearray(), "head", 0, 0
    view = memoryview(stored)
    while True:
        final = pos >= len(view)
        if not final:
            buf += unpacker.decompress(view[pos:pos + STEP])
            pos += STEP
        while state != "tail":  # cut what the buffer holds
            end = buf.find(b"</sheetData>", seen)
            if state == "head":
                start = buf.find(b"<sheetData>")
                first = buf.find(b"<row", start, end if end >= 0 else len(buf)) \
                    if start >= 0 else -1
                if first < 0 and end < 0:
                    break  # the first row or the end of the rows is still to come
                stop, state = (first, "rows") if first >= 0 else (end, "tail")
                emit(HEAD, bytes(buf[:stop]))
            else:
                number = _ROW_R.match(buf)
                if number is None:
                    if buf.find(b">") < 0 and not final:
                        break  # the row's opening tag is not whole yet
                    return None  # a piece would begin at a row without its number
                limit = end if end >= 0 else len(buf)
                nxt = buf.find(b"<row", PIECE, limit) if limit > PIECE else -1
                if nxt < 0 and end < 0:
                    break
                stop = nxt if nxt >= 0 else end
                emit(int(number.group(1)), bytes(buf[:stop]))
                state = state if nxt >= 0 else "tail"
            del buf[:stop]
            seen = max(0, len(buf) - len(b"</sheetData>")) if end < 0 else 0
        seen = max(0, len(buf) - len(b"</sheetData>"))
        if final:
            break
    if state != "tail" or not unpacker.eof or unpacker.unused_data:
        return None
    emit(TAIL, bytes(buf), last=True)
    if sum(p.raw for p in made) != size or combine(made) != crc:
        return None
    return made, b"".join(packed)


def valid(pieces: list[Piece], size: int, packed: int, crc: int) -> bool:
    """Whether a remembered map adds up to the entry: sizes, and the CRC combined."""
    if not pieces or pieces[0].first_row != HEAD or pieces[-1].first_row != TAIL:
        return False
    if sum(p.raw for p in pieces) != size or sum(p.packed for p in pieces) != packed:
        return False
    return combine(pieces) == crc


def window(stored: memoryview, pieces: list[Piece], rows: set[int]) -> tuple[bytes, list[int]]:
    """The head, the tail and the row pieces holding any of `rows`, inflated and joined
    (in order: a valid sheet with the other rows left out); and which pieces those are."""
    starts = [p.first_row for p in pieces]
    wanted = {0, len(pieces) - 1}
    for row in rows:
        k = max(1, bisect.bisect_right(starts, row) - 1)
        wanted.add(min(k, len(pieces) - 2))
    loaded = sorted(wanted)
    offsets = _offsets(pieces)
    last = len(pieces) - 1
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        raws = list(pool.map(lambda k: inflate_piece(
            stored[offsets[k]:offsets[k] + pieces[k].packed], k == last), loaded))
    return b"".join(raws), loaded


def reassemble(out: bytes, stored: memoryview, pieces: list[Piece], loaded: list[int],
               window_in: bytes) -> Pieced | None:
    """The part after editing the window: each loaded piece cut back out of `out` at the
    same first rows, copied as stored if unchanged, else new (and cut again if it grew past
    a piece); every other piece copied. None if the edit does not fit back (then the caller
    writes the part whole)."""
    bounds = body_bounds(out)
    if bounds is None:
        return None
    body_end = bounds[1]
    row_starts = [(m.start(), int(m.group(1))) for m in _ROW_R.finditer(out, bounds[0], body_end)]
    numbers = [n for _unused, n in row_starts]

    def position(row: int) -> int:  # where the first row numbered `row` or more begins
        i = bisect.bisect_left(numbers, row)
        return row_starts[i][0] if i < len(row_starts) else body_end

    offsets = _offsets(pieces)
    old = _window_pieces(window_in, pieces, loaded)
    segments: list[Segment] = []
    view = memoryview(out)
    for k, piece in enumerate(pieces):
        if k == 0:
            a, b = 0, position(pieces[1].first_row) if len(pieces) > 2 else body_end
        elif k == len(pieces) - 1:
            a, b = body_end, len(out)
        else:
            a = position(piece.first_row)
            b = position(pieces[k + 1].first_row) if k + 1 < len(pieces) - 1 else body_end
        if k not in old:
            if a != b:
                return None  # rows landed where no piece was inflated
            segments.append(Segment(piece.first_row, None, stored[offsets[k]:offsets[k] +
                                    piece.packed], piece.crc, piece.raw, copied=True))
        elif view[a:b].tobytes() == old[k].tobytes():  # memcmp (memoryview == is slow)
            segments.append(Segment(piece.first_row, None, stored[offsets[k]:offsets[k] +
                                    piece.packed], piece.crc, piece.raw, copied=True))
        else:
            segments += _new_segments(out, a, b, piece.first_row)
    return Pieced([s for s in segments if s.copied or len(s.raw) or s is segments[-1]], out)


def _window_pieces(window_in: bytes, pieces: list[Piece],
                   loaded: list[int]) -> dict[int, memoryview]:
    """The loaded pieces' bytes as they were, by piece number."""
    view, pos, found = memoryview(window_in), 0, {}
    for k in loaded:
        found[k] = view[pos:pos + pieces[k].raw]
        pos += pieces[k].raw
    return found


def _new_segments(out: bytes, a: int, b: int, first_row: int) -> list[Segment]:
    """Bytes out[a:b] as new segments of about a piece each, cut where a row begins."""
    view, segments = memoryview(out), []
    while True:
        nxt = out.find(b"<row", a + PIECE, b) if first_row not in (HEAD, TAIL) and \
            a + PIECE < b else -1
        stop = nxt if nxt > 0 else b
        segments.append(Segment(first_row, view[a:stop]))
        if stop >= b:
            return segments
        a, first_row = stop, int(_ROW_R.match(out, stop).group(1))


def _offsets(pieces: list[Piece]) -> list[int]:
    offsets, pos = [], 0
    for p in pieces:
        offsets.append(pos)
        pos += p.packed
    return offsets


# CRC-32 of joined pieces from the pieces' CRCs (zlib's crc32_combine, which Python's zlib
# does not offer): multiply in GF(2) modulo the CRC polynomial by x^(8·length).
_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    m, p = 1 << 31, 0
    while m:
        if a & m:
            p ^= b
            if not a & (m - 1):
                break
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _x2n_table() -> list[int]:
    p, table = 1 << 30, []
    for _unused in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _x2n_table()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from crc1 = CRC(A), crc2 = CRC(B) and len(B)."""
    p, k, n = 1 << 31, 3, len2
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


def combine(pieces: list[Piece]) -> int:
    crc = 0
    for p in pieces:
        crc = crc32_combine(crc, p.crc, p.raw)
    return crc

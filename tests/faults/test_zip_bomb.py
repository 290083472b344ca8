"""Issue 9.5: a zip bomb is refused with a clear ParseError before it is expanded — in the TSO
FY zip reader and the .xlsx (legacy) reader — instead of being read into memory."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from extract.core.errors import ParseError
from extract.core.safezip import MAX_MEMBER_BYTES, open_zip
from extract.sources.tso import common, legacy

pytestmark = pytest.mark.faults

GIB = 1024 ** 3
MEMBER = "eria_jukyu_202304_04.csv"


def _forged(expanded: int, *, declared: int | None = None, payload: bytes = b"\0",
            member: str = MEMBER) -> bytes:
    """A zip whose member deflates ``expanded`` bytes (``payload`` repeated, streamed: never
    held in memory) and whose headers declare ``declared`` (default: the truth)."""
    comp = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = payload * max(1, (1 << 20) // len(payload))
    crc, parts, left = 0, [], expanded
    while left > 0:
        piece = block[:left]
        parts.append(comp.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(comp.flush())
    body = b"".join(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zi = zipfile.ZipInfo(member, date_time=(2024, 4, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.file_size = declared if declared is not None else expanded
        zi.compress_size, zi.CRC, zi.header_offset = len(body), crc, 0
        zf.fp.write(zi.FileHeader(zip64=zi.file_size > zipfile.ZIP64_LIMIT))
        zf.fp.write(body)
        zf.filelist.append(zi)
        zf.NameToInfo[zi.filename] = zi
        zf.start_dir = zf.fp.tell()
        zf._didModify = True  # write the central directory on close
    return out.getvalue()


def test_a_member_declaring_10_gib_is_refused_before_reading():
    data = _forged(10_000, declared=10 * GIB, payload=b"DATE,TIME\n")  # 10 MB-style zip
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(MEMBER).file_size == 10 * GIB
    with pytest.raises(ParseError, match=r"declares 10,737,418,240 bytes uncompressed .* "
                                         r"refusing a zip bomb") as err:
        common.parse_file(data, "tso/area_supply_demand/eria_jukyu_2023@x.zip")
    assert f"eria_jukyu_2023@x.zip!{MEMBER}" in str(err.value)


def test_a_real_bomb_over_the_limit_is_refused_by_the_tso_zip_reader():
    data = _forged(MAX_MEMBER_BYTES + (16 << 20))  # 272 MiB of zeros in ~0.3 MB
    assert len(data) < 2 << 20
    with pytest.raises(ParseError, match="refusing a zip bomb"):
        common.parse_file(data, "eria_jukyu_2023.zip")


def test_a_member_expanding_beyond_its_declared_size_is_refused():
    data = _forged(64 << 20, declared=1000)  # says 1000 bytes, holds 64 MiB
    safe = open_zip(data, source="tso", file="eria_jukyu_2023.zip")
    with pytest.raises(ParseError, match=f"eria_jukyu_2023.zip!{MEMBER}: member"):
        safe.read(MEMBER)


def test_the_xlsx_reader_refuses_a_bomb():
    data = _forged(1000, declared=10 * GIB, payload=b"<x/>", member="xl/worksheets/sheet1.xml")
    with pytest.raises(ParseError, match="refusing a zip bomb"):
        legacy.parse_legacy(data, "tso/area_supply_demand_legacy/jukyu2023@20240414T030000Z-ff8f0760.xlsx")

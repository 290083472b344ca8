"""Read zip archives (and zip-based formats such as .xlsx) without trusting their headers.

A zip's central directory declares each member's uncompressed size; a "zip bomb" declares (or
hides) gigabytes behind a few compressed megabytes. :func:`open_zip` refuses an archive whose
declared sizes exceed the limits before anything is expanded, and :meth:`SafeZip.read` reads a
member in chunks, never past its declared size nor the limit (a member that expands beyond its
declared size, or fails its CRC, is refused too). :func:`check_zip` runs the declared-size check
alone, for a library (openpyxl) that opens the zip itself. Every refusal is a
:class:`~extract.core.errors.ParseError` naming the source, the file and the member.
"""

from __future__ import annotations

import io
import zipfile

from .errors import ParseError

MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one expanded member (a monthly CSV is ~0.3 MB)
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all members together
_CHUNK = 1 << 20


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MiB"


class SafeZip:
    """A zip opened by :func:`open_zip`: ``namelist()`` and a bounded ``read(name)``."""

    def __init__(self, zf: zipfile.ZipFile, *, source: str, file: str, max_member: int):
        self._zf = zf
        self.source = source
        self.file = file
        self.max_member = max_member

    def namelist(self) -> list[str]:
        return self._zf.namelist()

    def read(self, name: str) -> bytes:
        info = self._zf.getinfo(name)
        limit = min(info.file_size, self.max_member)
        where = f"{self.file}!{name}"
        out = bytearray()
        try:
            with self._zf.open(info) as fh:
                while True:
                    chunk = fh.read(min(_CHUNK, limit + 1 - len(out)))
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limit:
                        raise ParseError(self.source, where, f"member expands beyond "
                                         f"{_mib(limit)} (declared {info.file_size:,} bytes): "
                                         "refusing a zip bomb")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise ParseError(self.source, where, f"member cannot be read ({exc}); a damaged "
                             "or forged zip") from None
        return bytes(out)


def check_zip(data: bytes, *, source: str, file: str, max_member: int = MAX_MEMBER_BYTES,
              max_total: int = MAX_TOTAL_BYTES) -> zipfile.ZipFile:
    """Open ``data`` as a zip and refuse it when a member, or all together, declare more than
    the limits. Returns the open :class:`zipfile.ZipFile`."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ParseError(source, file, f"not a readable zip ({exc}); truncated download?") \
            from None
    total = 0
    for info in infos:
        if info.file_size > max_member:
            raise ParseError(source, f"{file}!{info.filename}",
                             f"member declares {info.file_size:,} bytes uncompressed "
                             f"({info.compress_size:,} compressed), over the {_mib(max_member)} "
                             "limit: refusing a zip bomb")
        total += info.file_size
    if total > max_total:
        raise ParseError(source, file, f"members declare {total:,} bytes uncompressed in all, "
                         f"over the {_mib(max_total)} limit: refusing a zip bomb")
    return zf


def open_zip(data: bytes, *, source: str, file: str, max_member: int = MAX_MEMBER_BYTES,
             max_total: int = MAX_TOTAL_BYTES) -> SafeZip:
    """:func:`check_zip`, then a :class:`SafeZip` to read members with the same limit."""
    zf = check_zip(data, source=source, file=file, max_member=max_member, max_total=max_total)
    return SafeZip(zf, source=source, file=file, max_member=max_member)

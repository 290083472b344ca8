"""Byte-level helpers shared by every parser: decoding, HTML detection, header normalisation.

Japanese public files come as UTF-8 (with or without BOM) or cp932 (Shift_JIS), with LF or CRLF
line ends, and with full-width or half-width brackets in their headers. Parsers decode with
:func:`decode`, refuse error pages with :func:`reject_html`, and look columns up by
:func:`normalise_name`, never by position.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ParseError

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<\?xml[^>]*>\s*<html|<head|<body|<title)", re.I)


def looks_like_html(data: bytes) -> bool:
    """True when the bytes are an HTML page (an error page served with HTTP 200, a login page)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or b"<html" in head.lower()[:512]


def reject_html(data: bytes, *, source: str, file: str) -> None:
    """Raise :class:`ParseError` when ``data`` is an HTML page rather than the expected data."""
    if looks_like_html(data):
        title = re.search(rb"<title>(.*?)</title>", data[:4096], re.I | re.S)
        hint = ""
        if title:
            hint = f" (page title: {decode_lenient(title.group(1)).strip()[:80]!r})"
        raise ParseError(
            source, file, f"got an HTML page where a data file was expected{hint}", line=1
        )


# magic bytes of binary formats people download by mistake (or that a publisher switched to)
BINARY_KINDS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97–2003 workbook (.xls) or another OLE2 file"),
    (b"PK\x03\x04", "a zip archive (or an .xlsx workbook)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip file"),
)


def binary_kind(data: bytes) -> str | None:
    """What a binary body is (``"a PDF document"`` …), or None for anything else."""
    for magic, kind in BINARY_KINDS:
        if data.startswith(magic):
            return kind
    return None


def decode(data: bytes, *, source: str, file: str, encodings: tuple[str, ...] = ("utf-8", "cp932")) -> str:
    """Decode ``data`` trying each encoding in turn (a UTF-8 BOM is dropped).

    UTF-8 is tried first because it is strict: cp932 bytes almost never decode as UTF-8, while
    UTF-8 bytes often decode as (wrong) cp932. When nothing fits, the error names the line and
    the byte offset of the first undecodable byte under the first encoding.
    """
    kind = binary_kind(data)
    if kind is not None:
        raise ParseError(source, file, f"this is {kind}, not a CSV/text file", line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    first_error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:  # try the next encoding
            first_error = first_error or exc
    assert first_error is not None
    pos = first_error.start
    line = data.count(b"\n", 0, pos) + 1
    raise ParseError(
        source,
        file,
        f"cannot decode as {' or '.join(encodings)} (byte 0x{data[pos]:02x} at offset {pos}); "
        "the file is mis-encoded or truncated inside a character",
        line=line,
    )


def decode_lenient(data: bytes) -> str:
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def normalise_name(name: str) -> str:
    """Normalise a header cell for lookup: NFKC (full-width → half-width), no spaces, no quotes.

    ``FIP参照価格（卸電力取引市場分）`` and ``FIP参照価格(卸電力取引市場分)`` compare equal.
    """
    text = unicodedata.normalize("NFKC", name)
    text = text.replace('"', "").replace("\ufeff", "")
    return re.sub(r"\s+", "", text)


def split_lines(text: str) -> list[str]:
    """Split on LF or CRLF (or CR), keeping no line terminators."""
    return text.splitlines()


def require_final_newline(data: bytes, *, source: str, file: str) -> None:
    """Raise :class:`ParseError` when the last line lacks its newline — for formats whose
    publisher always ends the file with one, a missing newline means the transfer was cut
    (possibly inside the last number, which would otherwise load as a wrong value)."""
    if data and not data.endswith(b"\n"):
        line = data.count(b"\n") + 1
        tail = decode_lenient(data[-40:]).splitlines()[-1] if data.strip() else ""
        raise ParseError(source, file, f"the file is truncated: its last line does not end "
                         f"with a newline (it ends {tail!r}), and this publisher always ends its "
                         "files with one", line=line)

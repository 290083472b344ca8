"""Parsers for JMA hourly observations: the obsdl CSV (system of record) and etrn HTML pages.

Both return :data:`SCHEMA`: one row per station and hour, labelled as JMA labels it, by the hour's
END (``observed_label_jst``; JMA's hour 24 is the next day's 00:00), with each element's value and
its quality flags. Staging turns the label into the hour's start.

obsdl (``../shared/reference/jma.md`` §2.4): cp932, CRLF; line 1 ``ダウンロードした時刻：…``, an
empty line, then header rows: station names, element labels with units (``気温(℃)``,
``相対湿度(％)``, ``日射量(MJ/㎡)``), an optional sub-label row (``風向`` under wind) and the flag
labels (``品質情報``, ``現象なし情報``, ``均質番号``). Columns are mapped by (element, sub-label, flag
label), never by position: staffed and AMeDAS stations have different column sets.

Quality (品質情報): 8 normal, 5 quasi-normal, 4 insufficient data, 2 questionable, 1 missing,
0 not observed. 現象なし情報 1 = no phenomenon (a true zero). An empty value is NULL, never 0.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache

import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.tabular import (
    WS,
    Cells,
    blank_rows,
    constant,
    first_duplicate,
    py_strip,
    read_cells,
    rescue,
)
from ...core.textio import decode, normalise_name

pc = lazy_module("pyarrow.compute")

SOURCE = "jma"

# element → (output prefix, has a no-phenomenon flag)
ELEMENTS = {
    "temperature": "temperature_degc",
    "relative_humidity": "relative_humidity_pct",
    "precipitation": "precipitation_mm",
    "sunshine": "sunshine_h",
    "solar_radiation": "solar_radiation_mj_m2",
    "wind_speed": "wind_speed_m_s",
}
_FIELDS: list[tuple[str, pa.DataType]] = [
    ("station_id", pa.string()),  # obsdl id: s47662 (staffed) / a0371 (AMeDAS)
    ("station_name", pa.string()),
    ("observed_label_jst", pa.timestamp("us")),  # hour END as JMA labels it (24:00 → next 00:00)
    ("interface", pa.string()),  # obsdl | etrn
]
for _el, _col in ELEMENTS.items():
    _FIELDS += [(_col, pa.float64()), (f"{_el}_quality", pa.int8())]
    if _el in ("precipitation", "sunshine"):
        _FIELDS.append((f"{_el}_no_phenomenon", pa.bool_()))
    _FIELDS.append((f"{_el}_homogeneity", pa.int16()))
_FIELDS += [("wind_direction", pa.string()), ("wind_direction_quality", pa.int8())]
SCHEMA = pa.schema(_FIELDS)

_STATION_IN_NAME = re.compile(r"(?:^|[_-])([as]\d{4,5})(?=[_.-]|$)", re.I)


def _element(label: str) -> str | None:
    """NFKC element label → element key (substring match, as the labels carry units)."""
    text = normalise_name(label)
    if text.startswith("気温"):
        return "temperature"
    if "湿度" in text:
        return "relative_humidity"
    if text.startswith("降水量"):
        return "precipitation"
    if text.startswith("日照時間"):
        return "sunshine"
    if "日射量" in text:
        return "solar_radiation"
    if text.startswith("風速") or text.startswith("風向・風速") or text.startswith("平均風速"):
        return "wind_speed"
    return None


def station_of(name: str) -> str | None:
    m = _STATION_IN_NAME.search(name.rsplit("/", 1)[-1])
    return m.group(1).lower() if m else None


def _parse_label(text: str) -> datetime | None:
    text = text.strip()
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _empty_columns() -> dict[str, list]:
    return {f.name: [] for f in SCHEMA}


# ------------------------------------------------------------------------------------ obsdl
def check_obsdl_body(data: bytes, file: str) -> str:
    """Decode an obsdl response; an error page (HTTP 200) becomes a clear :class:`ParseError`."""
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
    if text.lstrip("\ufeff").startswith("ダウンロードした時刻"):
        return text
    plain = re.sub(r"<[^>]+>", " ", text)
    reason = "the response is not an obsdl CSV (it must start with ダウンロードした時刻)"
    for marker, why in (("メンテナンス", "obsdl is under maintenance"),
                        ("データがありません", "JMA has no data for the request"),
                        ("データ量", "the request exceeds obsdl's data-volume limit"),
                        ("期間", "the requested period is not available (ask up to yesterday)")):
        if marker in plain:
            reason = f"obsdl returned an error page: {why}"
            break
    snippet = " ".join(plain.split())[:120]
    raise ParseError(SOURCE, file, f"{reason}; page text: {snippet!r}", line=1)


def parse_obsdl(data: bytes, file: str) -> pa.Table:
    """Parse an hourly obsdl CSV (one station) into :data:`SCHEMA`."""
    text = check_obsdl_body(data, file)
    station_id = station_of(file)
    if station_id is None:
        raise ParseError(SOURCE, file, "no obsdl station id (s47662, a0371, ...) in the file name")
    # the header records, up to the first data row (read one by one: a handful of rows)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    ends: list[int] = []  # the physical line each record ends on
    label_row = first_data = None
    for row in reader:
        rows.append(row)
        ends.append(reader.line_num)
        i = len(rows) - 1
        if label_row is None:
            if row and normalise_name(row[0]) in ("年月日時", "年月日"):
                label_row = i
                if normalise_name(row[0]) == "年月日":
                    raise ParseError(SOURCE, file, "daily values (年月日), not hourly: request "
                                     "aggrgPeriod=9", line=label_row + 1)
            elif i >= 7:
                break
        elif row and _parse_label(row[0]):
            first_data = i
            break
    if label_row is None:
        raise ParseError(SOURCE, file, "no 年月日時 header row in the first 8 lines", line=1)
    if first_data is None:
        raise ParseError(SOURCE, file, "header but no data rows (truncated?)", line=len(rows))
    names_row = rows[label_row - 1] if label_row > 0 else []
    labels = rows[label_row]
    below = rows[label_row + 1:first_data]
    flag_row = below[-1] if below else []
    sub_row = below[-2] if len(below) >= 2 else []
    stations = {n.strip() for n in names_row[1:] if n.strip()}
    if len(stations) > 1:
        raise ParseError(SOURCE, file, f"one station per file expected, found {sorted(stations)}",
                         line=label_row)
    station_name = next(iter(stations), "")

    def cell(row: list[str], i: int) -> str:
        return normalise_name(row[i]) if i < len(row) else ""

    # (element, sub, flag) → column index
    where: dict[tuple[str, str, str], int] = {}
    for i in range(1, len(labels)):
        element = _element(labels[i])
        if element is None:
            continue
        sub = "direction" if cell(sub_row, i) == "風向" else ""
        if element == "wind_speed" and sub:
            element = "wind_direction"
        flag = {"": "value", "品質情報": "quality", "現象なし情報": "no_phenomenon",
                "均質番号": "homogeneity"}.get(cell(flag_row, i))
        if flag is None:
            raise ParseError(SOURCE, file, f"unknown flag label {flag_row[i]!r}",
                             line=label_row + len(below) + 1, column=i + 1)
        where.setdefault((element, flag), i)
    if ("temperature", "value") not in where:
        raise ParseError(SOURCE, file, "no 気温 column: the header changed or temperature was "
                         "not requested", line=label_row + 1)
    # wind: 風速, 品質, 風向, 品質, 均質番号 — the homogeneity number sits in the direction group
    if ("wind_direction", "homogeneity") in where and ("wind_speed", "homogeneity") not in where:
        where[("wind_speed", "homogeneity")] = where.pop(("wind_direction", "homogeneity"))
    cells = read_cells(text, ends[first_data - 1], len(rows[first_data]), source=SOURCE,
                       file=file, count="records", offset=first_data)
    return _obsdl_table(cells, where, station_id, station_name, file)


# the order a row's values are read in (an error names the first that does not read)
_READS: list[tuple[str, str, str]] = []
for _el in ELEMENTS:
    _READS += [(_el, "value", "float"), (_el, "quality", "int")]
    if _el in ("precipitation", "sunshine"):
        _READS.append((_el, "no_phenomenon", "int"))
    _READS.append((_el, "homogeneity", "int"))
_READS += [("wind_direction", "value", "str"), ("wind_direction", "quality", "int")]
_NUMBER = {"float": (r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", pa.float64(), float),
           "int": (r"^-?\d+$", pa.int64(), int)}
_LABEL = (r"^(?P<Y>\d{4})/(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])"
          f"{WS}+" r"(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d)(?::(?P<S>6[0-1]|[0-5]\d|\d))?$")


def _labels_of(cells: pa.Array) -> pa.Array:
    """Vectorised :func:`_parse_label` (``%Y/%m/%d %H:%M[:%S]`` as strptime reads them)."""
    if len(cells) == 0:
        return pa.array([], pa.timestamp("us"))
    parts = pc.extract_regex(py_strip(cells), _LABEL)

    def field(name: str) -> pa.Array:
        text = pc.struct_field(parts, name)
        text = pc.if_else(pc.equal(text, ""), "0", pc.replace_substring(text, " ", ""))
        return pc.utf8_lpad(text, 2, "0")

    iso = pc.binary_join_element_wise(
        pc.struct_field(parts, "Y"), "-", field("m"), "-", field("d"), " ", field("H"), ":",
        field("M"), ":", field("S"), "")
    stamp = pc.strptime(iso, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    # a real time formats back to the same text (2/30 and second 60 roll over); no year 0
    real = pc.and_(pc.equal(pc.strftime(stamp, format="%Y-%m-%d %H:%M:%S"), iso),
                   pc.not_equal(pc.struct_field(parts, "Y"), "0000"))
    return pc.if_else(real, pc.cast(stamp, pa.timestamp("us")),
                      pa.scalar(None, pa.timestamp("us")))


def _obsdl_table(cells: Cells, where: dict, station_id: str, station_name: str,
                 file: str) -> pa.Table:
    """Every data row checked and converted at once; an error names the first offending row
    (and in it the first value in reading order), as reading row by row would."""
    filled = pc.invert(blank_rows(cells.columns, cells.num_rows))
    first = cells.column(0)
    labels, bad_label = rescue(first, _labels_of(first), filled, _parse_label)
    errors: list[tuple[int, int, Callable[[int], ParseError]]] = []
    if bad_label is not None:
        errors.append((bad_label, 0, lambda i: ParseError(
            SOURCE, file, f"cannot read the time {first[i].as_py()!r}", line=cells.line(i),
            column=1)))
    key = pc.if_else(filled, labels.cast(pa.int64()), pa.scalar(None, pa.int64()))
    dup = first_duplicate(key)
    if dup is not None:
        errors.append((dup, 1, lambda i: ParseError(
            SOURCE, file, f"{labels[i].as_py()} appears twice (line "
            f"{cells.line(pc.index(key, key[i]).as_py())})", line=cells.line(i))))
    got: dict[tuple[str, str], pa.Array] = {}
    for order, (element, flag, kind) in enumerate(_READS, start=2):
        i = where.get((element, flag))
        arrow_type = pa.string() if kind == "str" else _NUMBER[kind][1]
        if i is None:
            got[(element, flag)] = pa.nulls(cells.num_rows, arrow_type)
            continue
        raw = cells.column(i)
        text = py_strip(raw)
        present = pc.not_equal(text, "")
        if kind == "str":
            got[(element, flag)] = pc.if_else(present, text, pa.scalar(None, pa.string()))
            continue
        pattern, _, scalar = _NUMBER[kind]

        def read(t: str, scalar=scalar):
            try:
                return scalar(t)
            except ValueError:
                return None

        value = pc.cast(pc.if_else(pc.match_substring_regex(text, pattern), text,
                                   pa.scalar(None, pa.string())), arrow_type)
        value, bad = rescue(text, value, pc.and_(filled, present), read)
        if bad is not None:
            errors.append((bad, order, lambda r, raw=raw, i=i, element=element, flag=flag:
                           ParseError(SOURCE, file, f"{element} {flag}: cannot read "
                                      f"{raw[r].as_py()!r}", line=cells.line(r), column=i + 1)))
        got[(element, flag)] = value
    if errors:
        row, _, error = min(errors, key=lambda e: (e[0], e[1]))
        raise error(row)
    take = pc.indices_nonzero(filled)
    n = len(take)
    out: dict[str, pa.Array] = {
        "station_id": constant(station_id, n, pa.string()),
        "station_name": constant(station_name, n, pa.string()),
        "observed_label_jst": labels.take(take),
        "interface": constant("obsdl", n, pa.string()),
    }
    for element, col in ELEMENTS.items():
        out[col] = got[(element, "value")].take(take)
        out[f"{element}_quality"] = got[(element, "quality")].take(take)
        if element in ("precipitation", "sunshine"):
            flag = got[(element, "no_phenomenon")].take(take)
            out[f"{element}_no_phenomenon"] = pc.equal(flag, 1)
        out[f"{element}_homogeneity"] = got[(element, "homogeneity")].take(take)
    out["wind_direction"] = got[("wind_direction", "value")].take(take)
    out["wind_direction_quality"] = got[("wind_direction", "quality")].take(take)
    return pa.table(out).cast(SCHEMA)


# ------------------------------------------------------------------------------------ etrn
@cache
def _table_class() -> type:
    """The etrn table parser (html.parser imported by the first etrn page parsed, not by
    the import of the source)."""
    from html.parser import HTMLParser

    class _Table(HTMLParser):
        """Collect the rows (cells with colspan/rowspan) of ``<table id="tablefix1">``."""

        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.depth = 0
            # (text, is_header, colspan, rowspan)
            self.rows: list[list[tuple[str, bool, int, int]]] = []
            self._cell: list[str] | None = None
            self._attrs: tuple[bool, int, int] = (False, 1, 1)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "table" and (self.depth or a.get("id") == "tablefix1"):
                self.depth += 1
            elif self.depth and tag == "tr":
                self.rows.append([])
            elif self.depth and tag in ("td", "th"):
                self._cell = []
                self._attrs = (tag == "th", int(a.get("colspan") or 1), int(a.get("rowspan") or 1))

        def handle_endtag(self, tag):
            if tag == "table" and self.depth:
                self.depth -= 1
            elif self.depth and tag in ("td", "th") and self._cell is not None and self.rows:
                self.rows[-1].append(("".join(self._cell).strip(), *self._attrs))
                self._cell = None

        def handle_data(self, data):
            if self._cell is not None:
                self._cell.append(data)

    return _Table


_ETRN_NAME = re.compile(r"etrn_hourly_s1_(s\d{5})_(\d{8})", re.I)
# symbol → quality (obsdl codes): ')' quasi-normal 5, ']' insufficient 4, '#' questionable 2,
# '×' / '///' missing 1, blank not observed 0
_SYMBOL_QUALITY = {")": 5, "]": 4}


def etrn_value(cell: str) -> tuple[float | None, int, bool | None]:
    """An etrn cell → (value, quality, no_phenomenon). Symbols never reach a numeric column."""
    text = unicodedata.normalize("NFKC", cell).strip()
    if text == "":
        return None, 0, None
    if text == "--":
        return 0.0, 8, True
    if text in ("×", "///"):
        return None, 1, None
    if text == "#":
        return None, 2, None
    quality = 8
    if text[-1] in _SYMBOL_QUALITY:
        quality = _SYMBOL_QUALITY[text[-1]]
        text = text[:-1].strip()
    text = text.replace("+", "").replace("-", "") if text in ("0+", "10-") else text
    return float(text), quality, (False if quality else None)


def parse_etrn(data: bytes, file: str) -> pa.Table:
    """Parse one etrn ``hourly_s1.php`` station-day page (24 rows, hour 1..24) into :data:`SCHEMA`."""
    m = _ETRN_NAME.search(file)
    if not m:
        raise ParseError(SOURCE, file, "etrn page name must be etrn_hourly_s1_<obsdl id>_<YYYYMMDD>.html")
    station_id, day = m.group(1).lower(), datetime.strptime(m.group(2), "%Y%m%d").date()
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
    table = _table_class()()
    table.feed(text)
    header = [r for r in table.rows if r and all(h for _, h, _, _ in r)]
    body = [r for r in table.rows if r and not any(h for _, h, _, _ in r)]
    if not header or not body:
        raise ParseError(SOURCE, file, "no hourly table (table#tablefix1 with th header rows) on "
                         "the page: JMA changed the page or served an error page")
    # expand the header rows (colspan/rowspan) into one label per column: "group/sub"
    width = sum(c for _, _, c, _ in body[0])
    grid = [[""] * width for _ in header]
    for r, row in enumerate(header):
        col = 0
        for text_, _, colspan, rowspan in row:
            while col < width and grid[r][col]:
                col += 1
            for rr in range(r, min(len(header), r + rowspan)):
                for cc in range(col, min(width, col + colspan)):
                    grid[rr][cc] = text_ or " "
            col += colspan
    names = ["/".join(dict.fromkeys(normalise_name(grid[r][c]) for r in range(len(header)))) for c in range(width)]

    def find(*words: str, exclude: str = "") -> int | None:
        for i, n in enumerate(names):
            if all(w in n for w in words) and not (exclude and exclude in n):
                return i
        return None

    speed = [i for i, n in enumerate(names) if n.endswith("風速")]
    direction = [i for i, n in enumerate(names) if n.endswith("風向")]
    idx = {
        "temperature": find("気温", exclude="露点"),
        "relative_humidity": find("湿度"),
        "precipitation": find("降水量"),
        "sunshine": find("日照"),
        "solar_radiation": find("日射"),
        "wind_speed": speed[0] if speed else None,
        "wind_direction": direction[0] if direction else None,
    }
    if idx["temperature"] is None:
        raise ParseError(SOURCE, file, f"no 気温 column in the etrn table header ({names[:6]}...)")
    out = _empty_columns()
    for n, row in enumerate(body, start=1):
        cells = [t for t, _, _, _ in row]
        try:
            hour = int(cells[0])
        except ValueError:
            raise ParseError(SOURCE, file, f"row {n}: hour cell {cells[0]!r} is not 1..24") from None
        if not 1 <= hour <= 24:
            raise ParseError(SOURCE, file, f"row {n}: hour {hour} outside 1..24")
        label = datetime(day.year, day.month, day.day) + timedelta(hours=hour)  # 24 → next 00:00
        out["station_id"].append(station_id)
        out["station_name"].append("")
        out["observed_label_jst"].append(label)
        out["interface"].append("etrn")
        for element, col in ELEMENTS.items():
            i = idx[element]
            try:
                value, quality, none = etrn_value(cells[i]) if i is not None and i < len(cells) else (None, 0, None)
            except ValueError:
                raise ParseError(SOURCE, file, f"row {n}: {element} cell {cells[i]!r} is not a "
                                 "number or a JMA symbol") from None
            out[col].append(value)
            out[f"{element}_quality"].append(quality)
            if element in ("precipitation", "sunshine"):
                out[f"{element}_no_phenomenon"].append(none)
            out[f"{element}_homogeneity"].append(None)
        i = idx["wind_direction"]
        direction_text = normalise_name(cells[i]) if i is not None and i < len(cells) else ""
        symbol = direction_text in ("", "×", "///", "#")
        mark = direction_text[-1:] if direction_text[-1:] in _SYMBOL_QUALITY else ""
        out["wind_direction"].append(None if symbol else direction_text.rstrip(")]"))
        out["wind_direction_quality"].append(
            etrn_value(direction_text)[1] if symbol else _SYMBOL_QUALITY.get(mark, 8))
    return pa.table(out, schema=SCHEMA)


def first_and_last(table: pa.Table) -> tuple[date, date]:
    bounds = pc.min_max(table.column("observed_label_jst"))
    first, last = (bounds[k].as_py() - timedelta(hours=1) for k in ("min", "max"))
    return first.date(), last.date()

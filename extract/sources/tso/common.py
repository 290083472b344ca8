"""TSO common-format area supply-demand files: ``eria_jukyu_YYYYMM_NN.csv`` (30-minute, MW).

Every TSO publishes the same monthly file since FY2024 at the latest (``../shared/reference/
tso.md`` §2): line 1 a unit preamble (``単位[MW平均]``), line 2 the header, then one row per
30-minute slot. The columns are found by NFKC name (Kansai and Kyushu write ``火力（ＬＮＧ）``);
20- and 22-column variants exist (``火力出力制御量``, ``バイオマス出力制御量``). Quirks handled:
TEPCO is UTF-8, the others cp932; Kyushu quotes every field from 2025-10, writes ``YYYYMMDD``
dates and labels slots by their END (``0:30`` … ``24:00``/``24:00:00``) and counts
interconnection exports as positive; Okinawa mixes ``H:MM:SS`` and ``H:MM`` in one file;
Hokkaido pads the current month with blank rows; Tohoku's daily ``realtime_jukyu_YYYYMMDD_02.csv``
has future slots with a time but no values. Chubu's past months come only inside
``eria_jukyu_<FY>.zip``.

The raw table keeps the file's own labels and signs (``time_minutes`` is the published label,
``interconnection_mw`` the published sign); staging shifts Kyushu to interval start and flips
its sign, so the raw rows always match the archived bytes.
"""

from __future__ import annotations

import re
from datetime import date

import pyarrow as pa

from ...core.archive import logical_name
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.safezip import open_zip
from ...core.tabular import (
    Col,
    constant,
    first_duplicate,
    first_true,
    parse_dates,
    read_csv_named,
    rescue,
)
from ...core.textio import decode, normalise_name, reject_html
from ...core.timeutil import parse_date_cell
from .settings import MONTHLY, REALTIME, SOURCE, conventions

pc = lazy_module("pyarrow.compute")

VALUE_COLUMNS = {  # header name (NFKC-matched) → column; MW (30-minute mean)
    "エリア需要": "demand_mw",
    "原子力": "nuclear_mw",
    "火力(LNG)": "thermal_lng_mw",
    "火力(石炭)": "thermal_coal_mw",
    "火力(石油)": "thermal_oil_mw",
    "火力(その他)": "thermal_other_mw",
    "火力出力制御量": "thermal_curtailment_mw",
    "水力": "hydro_mw",
    "地熱": "geothermal_mw",
    "バイオマス": "biomass_mw",
    "バイオマス出力制御量": "biomass_curtailment_mw",
    "太陽光発電実績": "solar_mw",
    "太陽光出力制御量": "solar_curtailment_mw",
    "風力発電実績": "wind_mw",
    "風力出力制御量": "wind_curtailment_mw",
    "揚水": "pumped_storage_mw",
    "蓄電池": "battery_mw",
    "連系線": "interconnection_mw",
    "その他": "other_mw",
    "合計": "total_mw",
}
OPTIONAL = {"火力出力制御量", "バイオマス出力制御量"}  # only in the 22-column variant
COLUMNS = {
    "DATE": Col("date_text"),
    "TIME": Col("time_text"),
    **{name: Col(out, "float", required=name not in OPTIONAL, thousands=True)
       for name, out in VALUE_COLUMNS.items()},
}
NULLS = ("", "-", "－", "−", "ー", "―")

SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("slot_date", pa.date32()),  # the DATE cell
        ("time_minutes", pa.int32()),  # the TIME label in minutes after midnight (24:00 → 1440)
        ("time_label", pa.string()),  # the TIME cell as published
        ("year_month", pa.string()),  # 'YYYY-MM' of `date`: merge key with area_code
        *[(out, pa.float64()) for out in VALUE_COLUMNS.values()],
    ]
)

_MONTHLY_NAME = re.compile(r"^eria_jukyu_(\d{4})(\d{2})_(\d{2})(?=$|[._])", re.I)
_REALTIME_NAME = re.compile(r"^realtime_jukyu_(\d{4})(\d{2})(\d{2})_(\d{2})(?=$|[._])", re.I)
ZIP_NAME = re.compile(r"^eria_jukyu_(\d{4})(?=$|[._])", re.I)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def file_kind(name: str) -> tuple[str, str, date] | None:
    """(dataset, area code, first day) for a common-format file name, else None."""
    stem = logical_name(name)
    m = _MONTHLY_NAME.match(stem)
    if m:
        return MONTHLY, m.group(3), date(int(m.group(1)), int(m.group(2)), 1)
    m = _REALTIME_NAME.match(stem)
    if m:
        return REALTIME, m.group(4), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _minutes(text: str) -> int | None:
    m = _TIME.match(text)
    if not m or (m.group(3) not in (None, "00")):
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    if mi not in (0, 30) or h > 24 or (h == 24 and mi):
        return None
    return h * 60 + mi


def _header_line(text: str, file: str) -> int:
    for i, line in enumerate(text.splitlines()[:5], start=1):
        first = normalise_name(line.split(",", 1)[0])
        if first == "DATE":
            return i
    raise ParseError(
        SOURCE, file, "no DATE,TIME header in the first 5 lines: not a TSO area supply-demand "
        "(エリア需給実績) file; でんき予報 and imbalance files are other datasets", line=1,
    )


def parse_csv(data: bytes, file: str, area: str, expected: tuple[str, date]) -> pa.Table:
    """Parse one common-format CSV of ``area``; ``expected`` = (dataset, first day) from its name."""
    reject_html(data, source=SOURCE, file=file)
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
    header = _header_line(text, file)
    preamble = normalise_name(" ".join(text.splitlines()[: header - 1]))
    if preamble and "単位" in preamble and "MW" not in preamble:
        raise ParseError(SOURCE, file, f"unit changed: preamble says {preamble[:40]!r}, "
                         "expected 単位[MW平均]", line=1)
    raw = read_csv_named(data, COLUMNS, source=SOURCE, file=file, header_line=header, text=text,
                         null_values=NULLS)
    dataset, first_day = expected
    end_labelled = conventions()[area].time_label == "end"  # Kyushu: 0:30 … 24:00
    lo, hi = (30, 1440) if end_labelled else (0, 1410)
    # rows without any value are skipped: Hokkaido's blank padding, Tohoku realtime's future slots
    has_value = None
    for out in VALUE_COLUMNS.values():
        valid = pc.is_valid(raw.column(out))
        has_value = valid if has_value is None else pc.or_(has_value, valid)
    kept = pc.indices_nonzero(has_value)
    rows = raw.take(kept)
    dtext = rows.column("date_text").combine_chunks()
    ttext = rows.column("time_text").combine_chunks()
    everything = constant(True, rows.num_rows, pa.bool_())
    days, bad_date = rescue(dtext, parse_dates(dtext), everything,
                            lambda t: parse_date_cell(t or ""))
    minutes, bad_time = rescue(ttext, _minutes_of(ttext), everything, lambda t: _minutes(t or ""))
    minutes = minutes.cast(pa.int32())
    bad_time = _earliest(bad_time, first_true(pc.or_(pc.less(minutes, lo),
                                                     pc.greater(minutes, hi))))
    if dataset == REALTIME:
        outside = pc.not_equal(days, pa.scalar(first_day, pa.date32()))
    else:
        outside = pc.or_(pc.not_equal(pc.year(days), first_day.year),
                         pc.not_equal(pc.month(days), first_day.month))
    bad_period = first_true(outside)
    key = pc.add(pc.multiply(days.cast(pa.int32()).cast(pa.int64()), 2000),
                 minutes.cast(pa.int64()))
    bad_dup = first_duplicate(key)
    # the first offending row, checked in the order a row-by-row reading meets them
    first = min(((i, k) for k, i in enumerate((bad_date, bad_time, bad_period, bad_dup))
                 if i is not None), default=None)
    if first is not None:
        i, check = first
        line = _line(text, header, kept[i].as_py())
        if check == 0:
            raise ParseError(SOURCE, file, f"cannot read DATE {dtext[i].as_py()!r}", line=line,
                             column="DATE")
        if check == 1:
            why = ("this area labels slots by their end (0:30 … 24:00)" if end_labelled
                   else "slots are labelled by their start (0:00 … 23:30)")
            raise ParseError(SOURCE, file, f"TIME {ttext[i].as_py()!r} is not a 30-minute label; "
                             f"{why}", line=line, column="TIME")
        day = days[i].as_py()
        if check == 2:
            period = f"{first_day:%Y-%m}" if dataset == MONTHLY else str(first_day)
            raise ParseError(SOURCE, file, f"row dated {day} is outside the file's period {period}",
                             line=line, column="DATE")
        raise ParseError(SOURCE, file, f"{day} {ttext[i].as_py()} appears twice", line=line,
                         column="TIME")
    n = rows.num_rows
    columns = {
        "area_code": constant(area, n, pa.string()),
        "slot_date": days,
        "time_minutes": minutes,
        "time_label": ttext,
        "year_month": constant(f"{first_day:%Y-%m}", n, pa.string()),
        **{out: rows.column(out) for out in VALUE_COLUMNS.values()},
    }
    return pa.table(columns, schema=SCHEMA)


def _minutes_of(labels: pa.Array) -> pa.Array:
    """Vectorised :func:`_minutes`: minutes after midnight of a 30-minute label, else null."""
    parts = pc.extract_regex(labels, r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
    if len(labels) == 0:
        return pa.array([], pa.int64())
    h = pc.cast(pc.if_else(pc.is_valid(parts), pc.struct_field(parts, "h"), "0"), pa.int64())
    m = pc.cast(pc.if_else(pc.is_valid(parts), pc.struct_field(parts, "m"), "0"), pa.int64())
    s = pc.struct_field(parts, "s")
    ok = pc.and_(pc.is_valid(parts), pc.is_in(s, pa.array(["", "00"])))
    ok = pc.and_(ok, pc.is_in(m, pa.array([0, 30])))
    ok = pc.and_(ok, pc.or_(pc.less(h, 24), pc.and_(pc.equal(h, 24), pc.equal(m, 0))))
    return pc.if_else(ok, pc.add(pc.multiply(h, 60), m), pa.scalar(None, pa.int64()))


def _earliest(*indices: int | None) -> int | None:
    return min((i for i in indices if i is not None), default=None)


def _line(text: str, header: int, row: int) -> int | None:
    """The file line of data row ``row`` (Arrow drops fully blank lines); error path only."""
    lines = [header + 1 + i for i, t in enumerate(text.splitlines()[header:]) if t.strip()]
    return lines[row] if row < len(lines) else None


def parse_file(data: bytes, file: str) -> pa.Table:
    """Parse an archived common-format file: a monthly/realtime CSV, or Chubu's FY zip."""
    name = logical_name(file)
    if data[:2] == b"PK":
        return _parse_zip(data, file)
    kind = file_kind(name)
    if kind is None:
        raise ParseError(SOURCE, file, "not a common-format file name (eria_jukyu_YYYYMM_NN.csv "
                         "or realtime_jukyu_YYYYMMDD_NN.csv)")
    dataset, area, first = kind
    if area not in conventions():
        raise ParseError(SOURCE, file, f"area code {area!r} in the file name is not 01..10")
    return parse_csv(data, file, area, (dataset, first))


def _parse_zip(data: bytes, file: str) -> pa.Table:
    archive = open_zip(data, source=SOURCE, file=file)  # sizes checked: no zip bomb
    members = [m for m in archive.namelist() if not m.endswith("/")]
    wanted = [m for m in members if (k := file_kind(m.rsplit("/", 1)[-1])) and k[0] == MONTHLY]
    if not wanted:
        raise ParseError(
            SOURCE, file, f"zip holds no eria_jukyu_YYYYMM_NN.csv member (found {members[:3]}...): "
            "not an area supply-demand archive (imbalance or でんき予報 files are other datasets)",
        )
    tables = []
    for member in sorted(wanted):
        _, area, first = file_kind(member.rsplit("/", 1)[-1])
        tables.append(parse_csv(archive.read(member), f"{file}!{member}", area, (MONTHLY, first)))
    return pa.concat_tables(tables)

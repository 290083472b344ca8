"""The operator's report: ``<data>/exports/report/index.html`` plus one PNG per chart.

    python -m extract.report [--data-dir DIR] [--out DIR] [--days N]

Run after ``dbt build``. Charts are declared with Altair (Vega-Lite) and rendered to PNG by
vl-convert (no browser, no network); the HTML page only shows those PNGs, so it opens offline.
Panels: day-ahead area prices as a period × day heat map, price vs residual load, demand vs
temperature per area, interconnector utilisation, the forward curve by trade date, and data
coverage over time. A panel whose marts are missing or empty (a source not loaded yet) says
"no data yet (source not loaded)" with the reason instead of failing.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd

from .core.config import OptionError, data_dir, exports_dir, warehouse_path

alt.data_transformers.disable_max_rows()
NO_DATA = "no data yet (source not loaded)"


class NoData(Exception):
    """A panel has nothing to draw (its marts are missing or empty); the message says why."""


class PanelError(Exception):
    """A panel's query failed on marts that exist (a changed column...): a bug to report."""


@dataclass(frozen=True)
class Panel:
    slug: str
    title: str
    caption: str
    build: Callable[[duckdb.DuckDBPyConnection, int], alt.TopLevelMixin]


def _tables(con) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


def _query(con, needs: list[str], sql: str, params=None) -> pd.DataFrame:
    missing = [t for t in needs if t not in _tables(con)]
    if missing:
        raise NoData(f"{', '.join(missing)} not in the warehouse")
    try:
        df = con.execute(sql, params or []).df()
    except duckdb.Error as exc:  # a mart without the columns this chart reads
        raise PanelError(f"cannot read {', '.join(needs) or 'the extents'}: "
                         f"{str(exc).splitlines()[0]}") from None
    if df.empty:
        raise NoData(f"{', '.join(needs)} has no rows")
    return df


def _window(con, table: str, column: str, days: int) -> str:
    """SQL condition: the last ``days`` days of ``table.column`` present (``column`` may be
    qualified by the query's alias: ``p.delivery_date``)."""
    bare = column.rsplit(".", 1)[-1]
    return f"{column} > (select max({bare}) from {table}) - interval {int(days)} day"


# -- panels ---------------------------------------------------------------------------------
def price_heatmap(con, days: int):
    t = "marts.fct_jepx_spot_area_prices"
    df = _query(con, [t], f"""
        select strftime(p.delivery_date, '%Y-%m-%d') as delivery_date, p.delivery_period,
               a.area_slug as area,
               p.area_price_jpy_kwh as price
        from {t} p join marts.dim_area a using (area_code)
        where {_window(con, t, 'p.delivery_date', days)}""")
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("delivery_date:O", title="delivery day", axis=alt.Axis(labelAngle=-60,
                                                                      labelOverlap=True)),
        y=alt.Y("delivery_period:O", title="period (1 = 00:00 JST)",
                axis=alt.Axis(values=[1, 13, 25, 37, 48])),
        color=alt.Color("price:Q", title="JPY/kWh", scale=alt.Scale(scheme="inferno")),
        tooltip=["area", "delivery_date", "delivery_period", "price"],
    ).properties(width=260, height=150).facet(facet="area:N", columns=3)


def price_vs_residual_load(con, days: int):
    t = "marts.fct_area_demand_halfhourly"
    df = _query(con, [t, "marts.fct_jepx_spot_area_prices"], f"""
        select a.area_slug as area, d.residual_load_mw, p.area_price_jpy_kwh as price
        from {t} d
        join marts.fct_jepx_spot_area_prices p using (area_code, delivery_date, delivery_period)
        join marts.dim_area a using (area_code)
        where d.residual_load_mw is not null and {_window(con, t, 'd.delivery_date', days)}""")
    return alt.Chart(df).mark_circle(size=8, opacity=0.4).encode(
        x=alt.X("residual_load_mw:Q", title="residual load (demand − solar − wind), MW"),
        y=alt.Y("price:Q", title="area price, JPY/kWh"),
        color=alt.Color("area:N", title="area"),
    ).properties(width=720, height=380)


def demand_vs_temperature(con, days: int):
    d, w = "marts.fct_area_demand_halfhourly", "marts.fct_area_weather_hourly"
    df = _query(con, [d, w], f"""
        with hourly as (
            select area_code, date_trunc('hour', delivery_start_jst) as hour_jst,
                   avg(demand_mw) as demand_mw
            from {d} where demand_mw is not null and {_window(con, d, 'delivery_date', days)}
            group by 1, 2)
        select a.area_slug as area, h.demand_mw, w.temperature_degc
        from hourly h
        join {w} w on w.area_code = h.area_code and w.observed_start_jst = h.hour_jst
        join marts.dim_area a on a.area_code = h.area_code
        where w.temperature_degc is not null""")
    return alt.Chart(df).mark_circle(size=10, opacity=0.5).encode(
        x=alt.X("temperature_degc:Q", title="temperature, °C"),
        y=alt.Y("demand_mw:Q", title="demand, MW"),
        color=alt.Color("area:N", legend=None),
    ).properties(width=200, height=150).facet(facet="area:N", columns=5).resolve_scale(
        y="independent")


def interconnector_utilisation(con, days: int):
    t = "marts.fct_interconnector_flows_5min"
    df = _query(con, [t], f"""
        select line_name, strftime(cast(interval_start_jst as date), '%Y-%m-%d') as day,
               avg(abs(actual_flow_mw) / nullif(case when actual_flow_mw >= 0
                   then fwd_operating_capacity_mw else rev_operating_capacity_mw end, 0))
                   * 100 as utilisation_pct
        from {t}
        where actual_flow_mw is not null and {_window(con, t, 'interval_start_jst', days)}
        group by 1, 2 having utilisation_pct is not null""")
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("day:O", title="day", axis=alt.Axis(labelAngle=-60, labelOverlap=True)),
        y=alt.Y("line_name:N", title="interconnector"),
        color=alt.Color("utilisation_pct:Q", title="mean |flow| / capacity, %",
                        scale=alt.Scale(scheme="blues", domain=[0, 100])),
    ).properties(width=720, height=260)


def forward_curve(con, days: int):
    t = "marts.fct_futures_curve_daily"
    df = _query(con, [t], f"""
        with power as (
            select * from {t} where price_jpy_kwh is not null),
        pick as (  -- the (exchange, area, profile) with most points
            select exchange, area_code, load_profile from power
            group by all order by count(*) desc limit 1),
        dates as (
            select distinct trade_date from power join pick using (exchange, area_code,
                                                                   load_profile)
            order by trade_date desc limit 8)
        select power.exchange || ' ' || coalesce(power.area_code, '') || ' '
                   || coalesce(power.load_profile, '') as curve,
               power.trade_date, power.delivery_start, power.price_jpy_kwh
        from power join pick using (exchange, area_code, load_profile)
        join dates using (trade_date)""")
    return alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("delivery_start:T", title="delivery start"),
        y=alt.Y("price_jpy_kwh:Q", title="settlement, JPY/kWh"),
        color=alt.Color("trade_date:O", title="trade date", scale=alt.Scale(scheme="viridis")),
    ).properties(width=720, height=320, title=str(df["curve"].iloc[0]))


def coverage(con, days: int):
    if "marts.dq_coverage" in _tables(con):
        df = _query(con, ["marts.dq_coverage"], """
            select source_name as dataset, strftime(coverage_month, '%Y-%m') as period,
                   sum(present_intervals) * 100.0 / nullif(sum(expected_intervals), 0)
                   as coverage_pct
            from marts.dq_coverage group by 1, 2""")
        x_title = "month"
    else:  # per archived file version's data extent: parts (areas/stations) with data per day
        parts = []
        for (schema,) in con.execute(
                "select table_schema from information_schema.tables where table_name = "
                "'pmd_file_extents' and table_schema like 'raw\\_%' escape '\\'").fetchall():
            parts.append(f"""select '{schema[4:]}.' || dataset as dataset, part,
                cast(first_data as date) as d0, cast(last_data as date) as d1
                from {schema}.pmd_file_extents where first_data is not null""")
        if not parts:
            raise NoData("no raw_<source>.pmd_file_extents in the warehouse")
        df = _query(con, [], f"""
            with ext as ({' union all '.join(parts)}),
            days as (select dataset, part, unnest(generate_series(d0, d1, interval 1 day))
                         as day from ext),
            per_day as (select dataset, cast(day as date) as period,
                               count(distinct part) as parts from days group by 1, 2)
            select dataset, strftime(period, '%Y-%m-%d') as period,
                   parts * 100.0 / max(parts) over (partition by dataset) as coverage_pct
            from per_day
            where period > (select max(period) from per_day) - interval {int(days)} day""")
        x_title = "day (share of the dataset's areas/stations with data)"
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("period:O", title=x_title, axis=alt.Axis(labelAngle=-60, labelOverlap=True)),
        y=alt.Y("dataset:N", title=None),
        color=alt.Color("coverage_pct:Q", title="coverage, %",
                        scale=alt.Scale(scheme="redyellowgreen", domain=[0, 100])),
    ).properties(width=720, height=alt.Step(18))


PANELS = (
    Panel("area_prices_heatmap", "Day-ahead area prices", "JEPX area price by delivery "
          "period and day, one heat map per area", price_heatmap),
    Panel("price_vs_residual_load", "Price vs residual load", "Half-hourly area price "
          "against the TSO's residual load (demand − solar − wind)", price_vs_residual_load),
    Panel("demand_vs_temperature", "Demand vs temperature", "Hourly demand against the "
          "area's station-weighted temperature, per area", demand_vs_temperature),
    Panel("interconnector_utilisation", "Interconnector utilisation", "Mean |flow| / "
          "operating capacity per line and day (OCCTO)", interconnector_utilisation),
    Panel("forward_curve", "Forward curve", "Futures settlements by delivery period, one "
          "line per trade date", forward_curve),
    Panel("data_coverage", "Data coverage over time", "How complete each dataset is, from "
          "marts.dq_coverage when built, else from the archived files' extents", coverage),
)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>powermarketdata report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }}
figure.panel {{ border: 1px solid #ddd; border-radius: 6px; padding: 1rem; margin: 0 0 1.5rem; }}
figure.panel img {{ max-width: 100%; height: auto; }}
figure.panel .empty {{ background: #f6f6f6; color: #555; padding: 2rem; text-align: center; }}
figure.panel .error {{ background: #fde8e8; color: #8a1f1f; }}
figcaption {{ color: #666; font-size: .9rem; }}
</style></head>
<body data-panels="{count}">
<h1>powermarketdata report</h1>
<p>Warehouse <code>{warehouse}</code>, built {built} UTC. Charts show the last {days} days
of each mart. Regenerate with <code>python -m extract.report</code> after <code>dbt build</code>.</p>
{panels}
<script>
// mark every panel once the page has loaded: rendered (its PNG decoded), empty (no data yet)
// or broken — the report test reads these marks from a headless browser
window.addEventListener("load", function () {{
  document.querySelectorAll("figure.panel").forEach(function (f) {{
    var img = f.querySelector("img");
    f.dataset.state = img ? (img.complete && img.naturalWidth > 0 ? "rendered" : "broken")
                          : (f.querySelector(".error") ? "error"
                             : (f.querySelector(".empty") ? "empty" : "broken"));
  }});
  document.body.dataset.ready = "yes";
}});
</script>
</body></html>
"""


def write_report(data: Path, out: Path | None = None, days: int = 60) -> tuple[Path, list[dict]]:
    wh = warehouse_path(data)
    if not wh.exists():
        raise FileNotFoundError(f"no warehouse at {wh}: run extract.run and dbt build first")
    out = out or exports_dir(data) / "report"
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(wh), read_only=True)
    results, blocks = [], []
    try:
        for panel in PANELS:
            try:
                chart = panel.build(con, days)
                png = out / f"{panel.slug}.png"
                chart.save(str(png), format="png", scale_factor=1.5)
                body = (f'<img src="{png.name}" alt="{html.escape(panel.title)}">')
                results.append({"panel": panel.slug, "state": "chart", "png": png.name})
            except NoData as exc:
                body = (f'<div class="empty"><strong>{NO_DATA}</strong><br>'
                        f'{html.escape(str(exc))}</div>')
                results.append({"panel": panel.slug, "state": "empty", "reason": str(exc)})
            except PanelError as exc:
                body = (f'<div class="empty error"><strong>could not draw this chart</strong>'
                        f'<br>{html.escape(str(exc))}</div>')
                results.append({"panel": panel.slug, "state": "error", "reason": str(exc)})
            blocks.append(f'<figure class="panel" id="{panel.slug}"><h2>'
                          f'{html.escape(panel.title)}</h2>{body}<figcaption>'
                          f'{html.escape(panel.caption)}</figcaption></figure>')
    finally:
        con.close()
    index = out / "index.html"
    index.write_text(PAGE.format(count=len(PANELS), warehouse=html.escape(str(wh)),
                                 built=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), days=days,
                                 panels="\n".join(blocks)), encoding="utf-8")
    (out / "report.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return index, results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m extract.report",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", help="data directory (default $PMD_DATA_DIR, [pmd] data_dir)")
    p.add_argument("--out", type=Path, help="output folder (default <data>/exports/report)")
    p.add_argument("--days", type=int, default=60, help="days of each mart to show (default 60)")
    args = p.parse_args(argv)
    try:
        index, results = write_report(data_dir(args.data_dir), args.out, args.days)
    except (FileNotFoundError, OptionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for r in results:
        print(f"  {r['panel']:28s} {r['state']}" + (f" — {r['reason']}" if "reason" in r else ""))
    print(f"report: {index}")
    return 1 if any(r["state"] == "error" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

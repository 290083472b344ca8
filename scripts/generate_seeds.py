"""Regenerate the generated dbt seeds: Japanese public holidays, exchange holidays and the 48
delivery periods.

    python scripts/generate_seeds.py [--first-year 2005] [--last-year 2030]

Japanese holidays come from the maintained ``jpholiday`` library (Cabinet Office list,
substitute holidays and national holidays included), exchange holidays from the financial
calendars of the maintained ``holidays`` library (``exchange_holidays.csv``, one row per
calendar and day; a publication rule names its calendar), so nothing is typed by hand.
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, timedelta
from pathlib import Path

import holidays
import jpholiday

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def write_holidays(first_year: int, last_year: int, out: Path) -> int:
    rows = []
    day = date(first_year, 1, 1)
    while day <= date(last_year, 12, 31):
        name = jpholiday.is_holiday_name(day)
        if name:
            rows.append((day.isoformat(), name))
        day += timedelta(days=1)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["holiday_date", "holiday_name_ja"])
        w.writerows(rows)
    return len(rows)


# financial calendars of the ``holidays`` library that publication rules may name
EXCHANGE_CALENDARS = ("IFEU", "XECB")


def write_exchange_holidays(first_year: int, last_year: int, out: Path,
                            calendars: tuple[str, ...] = EXCHANGE_CALENDARS) -> int:
    rows = []
    years = range(first_year, last_year + 1)
    for code in calendars:
        cal = holidays.financial_holidays(code, years=years)
        rows += [(code, day.isoformat(), name) for day, name in sorted(cal.items())]
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["calendar", "holiday_date", "holiday_name"])
        w.writerows(rows)
    return len(rows)


def write_periods(out: Path) -> int:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["delivery_period", "start_time_jst", "end_time_jst", "start_minute_of_day",
                    "hour_of_day", "period_label"])
        for p in range(1, 49):
            start = (p - 1) * 30
            end = start + 30
            s = f"{start // 60:02d}:{start % 60:02d}"
            e = f"{end // 60:02d}:{end % 60:02d}"
            w.writerow([p, s + ":00", e + ":00" if end < 1440 else "24:00:00", start, start // 60,
                        f"{s}-{e}"])
    return 48


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--first-year", type=int, default=2005)
    p.add_argument("--last-year", type=int, default=2030)
    args = p.parse_args()
    n = write_holidays(args.first_year, args.last_year, SEEDS / "jp_holidays.csv")
    x = write_exchange_holidays(args.first_year, args.last_year, SEEDS / "exchange_holidays.csv")
    write_periods(SEEDS / "delivery_periods.csv")
    print(f"wrote {n} Japanese and {x} exchange holidays ({args.first_year}-{args.last_year}) and "
          f"48 delivery periods to {SEEDS}")


if __name__ == "__main__":
    main()

"""Counts over time as bars: the search page's hits per year, an entity's
or a source's coverage per month or year.

Bar heights are one of 21 classes (`h-0` to `h-20`, 5 % steps) rather than
inline styles, which the Content-Security-Policy forbids.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format

LEVELS = 20
# Coverage longer than this many months is shown per year.
MONTHS_MAX = 36


@dataclass(frozen=True)
class Bar:
    label: str  # in the interface language ("2019", "juin 2023")
    count: int
    href: str | None  # where a click narrows to this period
    level: int  # 0..LEVELS, the bar's height class
    current: bool = False


def bars(points: Iterable[tuple[str, int, str | None, bool]]) -> list[Bar]:
    """Bars from (label, count, href, current) points, in order.

    >>> [b.level for b in bars([("2019", 5, None, False), ("2020", 20, None, False)])]
    [5, 20]
    """
    points = list(points)
    top = max((count for _, count, _, _ in points), default=0)
    return [
        Bar(label, count, href, max(1, round(LEVELS * count / top)) if count else 0, current)
        for label, count, href, current in points
    ]


def coverage(
    months: Iterable[tuple[datetime.date, int]], link=lambda start, end: None
) -> list[Bar]:
    """Bars of (first day of month, count) rows, oldest first: one per month
    when they span at most MONTHS_MAX months (empty months included), else
    one per year. `link(start, end)` gives each bar's link."""
    months = sorted(months)
    if not months:
        return []
    first, last = months[0][0], months[-1][0]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    counts: dict[datetime.date, int] = {}
    if span <= MONTHS_MAX:
        for month, count in months:
            counts[month] = counts.get(month, 0) + count
        points = []
        year, month = first.year, first.month
        for _ in range(span):
            start = datetime.date(year, month, 1)
            end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
            label = date_format(start, "YEAR_MONTH_FORMAT")
            points.append((label, counts.get(start, 0), link(start, end), False))
            year, month = year + month // 12, month % 12 + 1
        return bars(points)
    for month, count in months:
        key = datetime.date(month.year, 1, 1)
        counts[key] = counts.get(key, 0) + count
    return bars(
        (
            str(year),
            counts.get(datetime.date(year, 1, 1), 0),
            link(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            False,
        )
        for year in range(first.year, last.year + 1)
    )

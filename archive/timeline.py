"""Counts over time as bars: the search page's hits per year or month, an
entity's or a source's coverage per month or year.

Every period between the first and the last is a bar, empty ones included,
so that bars side by side are always consecutive periods (a trend is not
misread across a gap). Bar heights are one of 21 classes (`h-0` to `h-20`,
5 % steps) rather than inline styles, which the Content-Security-Policy
forbids. Each bar carries three labels, because twelve month names do not
fit under twelve bars on a phone: the full one (the table, screen readers),
a short one (wide screens) and a tiny one (phones: the month's number).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import date_format

LEVELS = 20
# Coverage longer than this many months is shown per year.
MONTHS_MAX = 36

Link = Callable[[datetime.date, datetime.date], str | None]


@dataclass(frozen=True)
class Bar:
    label: str  # in the interface language, whole: "2019", "septembre 2019"
    count: int
    href: str | None  # where a click narrows to this period
    level: int  # 0..LEVELS, the bar's height class
    current: bool = False
    short: str = ""  # under the bar on wide screens: "2019", "sept."
    tiny: str = ""  # under the bar on phones: "2019", "9"
    year_mark: str = ""  # months of several years: the year, under each January and the first


@dataclass(frozen=True)
class Point:
    label: str
    count: int
    href: str | None = None
    current: bool = False
    short: str = ""
    tiny: str = ""
    year_mark: str = ""


def bars(points: Iterable[Point]) -> list[Bar]:
    """Bars from points, in order; the highest count is the tallest bar.

    >>> [b.level for b in bars([Point("2019", 5), Point("2020", 20), Point("2021", 0)])]
    [5, 20, 0]
    """
    points = list(points)
    top = max((point.count for point in points), default=0)
    return [
        Bar(
            point.label,
            point.count,
            point.href if point.count else None,
            max(1, round(LEVELS * point.count / top)) if point.count else 0,
            point.current,
            point.short or point.label,
            point.tiny or point.short or point.label,
            point.year_mark,
        )
        for point in points
    ]


def month_end(first: datetime.date) -> datetime.date:
    """The last day of `first`'s month.

    >>> month_end(datetime.date(2024, 2, 1))
    datetime.date(2024, 2, 29)
    """
    return datetime.date(
        first.year + first.month // 12, first.month % 12 + 1, 1
    ) - datetime.timedelta(days=1)


def month_bars(
    counts: Mapping[datetime.date, int],
    first: datetime.date,
    last: datetime.date,
    link: Link = lambda start, end: None,
    current: tuple[datetime.date | None, datetime.date | None] = (None, None),
) -> list[Bar]:
    """One bar per month from `first`'s month to `last`'s, empty months
    included; `counts` is keyed by the first day of each month. A bar is
    current when `current` is exactly its month's (first, last) day."""
    points: list[Point] = []
    several_years = first.year != last.year
    month = first.replace(day=1)
    while month <= last:
        end = month_end(month)
        points.append(
            Point(
                date_format(month, "YEAR_MONTH_FORMAT"),
                counts.get(month, 0),
                link(month, end),
                current == (month, end),
                short=date_format(month, "N"),
                tiny=str(month.month),
                year_mark=str(month.year)
                if several_years and (month.month == 1 or not points)
                else "",
            )
        )
        month = end + datetime.timedelta(days=1)
    return bars(points)


def year_bars(counts: Mapping[int, int], link: Link = lambda start, end: None) -> list[Bar]:
    """One bar per year from the first year counted to the last, empty years
    included."""
    if not counts:
        return []
    return bars(
        Point(
            str(year),
            counts.get(year, 0),
            link(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        )
        for year in range(min(counts), max(counts) + 1)
    )


def coverage(
    months: Iterable[tuple[datetime.date, int]], link: Link = lambda s, e: None
) -> list[Bar]:
    """Bars of (first day of month, count) rows: one per month when they
    span at most MONTHS_MAX months, else one per year. `link(start, end)`
    gives each bar's link."""
    months = sorted(months)
    if not months:
        return []
    first, last = months[0][0], months[-1][0]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if span <= MONTHS_MAX:
        counts: dict[datetime.date, int] = {}
        for month, count in months:
            counts[month] = counts.get(month, 0) + count
        return month_bars(counts, first, last, link)
    years: dict[int, int] = {}
    for month, count in months:
        years[month.year] = years.get(month.year, 0) + count
    return year_bars(years, link)

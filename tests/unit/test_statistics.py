"""The figures' rules (workflows/statistics.py, STAT-1) without a database: periods, verdicts,
handling times and percentiles, on the official 2026 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflows.calendar import WorkCalendar
from workflows.periods import Unit
from workflows.statistics import (
    CaseFacts,
    ClockFacts,
    PeriodError,
    figures,
    late_run,
    late_workdays,
    median,
    parse_period,
    per_week,
    percentile,
    verdict,
    week_label,
    week_text,
    weeks_of,
)

CALENDAR = WorkCalendar()
NOW = datetime(2026, 4, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
        ("2026-03-05..2026-03-05", date(2026, 3, 5), date(2026, 3, 5), "2026-03-05至2026-03-05"),
    ],
)
def test_a_period_text_names_its_first_and_last_day(text, first, last, label):
    """Do a month, a quarter, a year and a one-day range each cover exactly their Beijing dates?"""
    period = parse_period(text)
    assert (period.first, period.last, period.label) == (first, last, label)


@pytest.mark.parametrize(
    "text", ["2026-00", "2026-Q0", "2101", "2026-02-30..2026-03-01", "2020-01-01..2026-01-02"]
)
def test_a_text_that_names_no_period_is_refused(text):
    """Are impossible months, quarters, years, dates and ranges over five years refused?"""
    with pytest.raises(PeriodError):
        parse_period(text)


def test_stat1_a_case_is_late_by_its_latest_case_clock_and_neither_without_a_met_one():
    """Is a case late by the largest lateness of its met case clocks, on time when all were kept, and neither with none met?"""
    kept = ClockFacts("met", None, True, None)
    late = [ClockFacts("met", None, False, 2), ClockFacts("met", None, False, 5)]
    received = date(2026, 3, 2)
    assert verdict(CaseFacts(received, received, False, (kept, *late))) == 5
    assert verdict(CaseFacts(received, received, False, (kept,))) == 0
    assert verdict(CaseFacts(received, received, False, (ClockFacts("withdrawn", None),))) is None
    assert verdict(CaseFacts(received, received, False)) is None


def test_stat1_a_petition_late_in_calendar_days_counts_in_working_days():
    """Is a calendar-day clock due Mon 30 Mar and met Tue 7 Apr (8 days) 5 working days late, 4-6 Apr being 清明?"""
    closed = datetime(2026, 4, 7, 2, tzinfo=UTC)  # 31 Mar, 1, 2, 3 Apr are worked, 4-6 Apr not, 7 Apr is
    assert late_workdays(CALENDAR, Unit.DAY, 8, date(2026, 3, 30), closed) == 5
    assert late_workdays(CALENDAR, Unit.WORKDAY, 3, date(2026, 3, 30), closed) == 3


def test_stat1_open_overdue_and_handling_time():
    """Is a running case with a passed running clock overdue (a paused one not), and handling counted in working days?"""
    period = parse_period("2026-03")
    due = datetime(2026, 3, 30, 16, tzinfo=UTC)
    cases = [
        CaseFacts(date(2026, 3, 2), None, True, (ClockFacts("running", due),)),
        CaseFacts(date(2026, 3, 2), None, True, (ClockFacts("paused", due),)),
        CaseFacts(date(2026, 3, 6), date(2026, 3, 9), False),  # Fri to Mon: 1 working day, no clock
    ]
    found = figures(cases, 2, period, NOW, CALENDAR)
    assert (found.received, found.finished, found.on_time, found.late) == (3, 1, 0, 0)
    assert (found.open_now, found.overdue_now, found.escalations) == (2, 1, 2)
    assert (found.median_days, found.p90_days) == (1.0, 1)


def test_median_and_nearest_rank_percentile():
    """Is the median the mean of the two middle values, and the 90th percentile the ceil(0.9n)-th value?"""
    assert median([]) is None and percentile([], 90) is None
    assert median([3, 1, 2, 10]) == 2.5
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile(list(range(1, 12)), 90) == 10
    assert percentile([7], 90) == 7


def test_stat2_march_2026_overlaps_six_iso_weeks_cut_at_both_ends():
    """Does March 2026 (Sun 1 Mar to Tue 31 Mar) span the six ISO weeks from Mon 23 Feb to Mon 30 Mar (STAT-2)?"""
    weeks = weeks_of(parse_period("2026-03"))
    assert weeks == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 3, 23),
        date(2026, 3, 30),
    ]
    assert [week_text(w) for w in (weeks[0], weeks[-1])] == ["2026-W09", "2026-W14"]
    assert week_label(weeks[1]) == "第10周（03-02至03-08）"


def test_stat2_a_year_ending_midweek_names_the_iso_week_of_the_next_year():
    """Is Mon 28 Dec 2026 week 2026-W53, and 2027-01-04 the first Monday of 2027 (ISO weeks)?"""
    weeks = weeks_of(parse_period("2026-12-28..2027-01-04"))
    assert [week_text(w) for w in weeks] == ["2026-W53", "2027-W01"]


def test_stat2_items_count_in_their_monday_to_sunday_week_and_others_are_left_out():
    """Are Sun 8 Mar and Mon 2 Mar the same week, Mon 9 Mar the next, and a day outside every week dropped (STAT-2)?"""
    weeks = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    days = [date(2026, 3, 2), date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 23), date(2026, 3, 1)]
    assert per_week(days, weeks) == (2, 1, 0)


def _at(hour: int) -> datetime:
    return datetime(2026, 3, 6, hour, tzinfo=UTC)


def test_stat2_a_run_needs_the_latest_submissions_all_late_and_after_the_last_request():
    """Are three late in a row a run, but not two, not one on time among them, nor ones already explained?"""
    late3 = [(_at(3), False), (_at(2), False), (_at(1), False)]
    assert late_run(late3, 3, None)
    assert not late_run(late3[:2], 3, None)
    assert not late_run([(_at(4), True), *late3], 3, None)  # the latest was on time
    assert late_run([(_at(4), False), *late3], 3, None)  # four late in a row: the latest three
    assert not late_run([(_at(4), False), *late3], 3, _at(3))  # two of them explained already
    assert late_run([(_at(6), False), (_at(5), False), (_at(4), False), *late3], 3, _at(3))

"""The official working-day calendar (ESC-2, NAT-5, NAT-6, NAT-8).

Every expected date below was counted by hand on a printed calendar from the State Council
holiday notices, as the chinesecalendar data carries them:
  2025  Spring Festival Jan 28 - Feb 4, make-up Sun Jan 26 and Sat Feb 8;
        National Day + Mid-Autumn Oct 1 - Oct 8, make-up Sun Sep 28 and Sat Oct 11.
  2026  New Year Jan 1 - Jan 3, make-up Sun Jan 4;
        Spring Festival Feb 15 (Sun) - Feb 23 (Mon), make-up Sat Feb 14 and Sat Feb 28;
        Qingming Apr 4 - Apr 6; Labour Day May 1 - May 5, make-up Sat May 9;
        Dragon Boat Jun 19 - Jun 21; Mid-Autumn Sep 25 - Sep 27;
        National Day Oct 1 (Thu) - Oct 7 (Wed), make-up Sun Sep 20 and Sat Oct 10.
  2022  Labour Day Apr 30 (Sat) - May 4, make-up Sun Apr 24 and Sat May 7.
  2027  no notice yet: the statutory days of the 放假办法 (2025 text, Art. 2), a holiday on a weekend
        made up on the next weekday (Art. 6): 元旦 Fri Jan 1; 春节 除夕 Fri Feb 5, Feb 6-8, made up
        Tue Feb 9 and Wed Feb 10; 清明 Mon Apr 5; 劳动节 Sat May 1 - Sun May 2, made up Mon May 3
        and Tue May 4; 端午 Wed Jun 9; 中秋 Wed Sep 15; 国庆 Fri Oct 1 - Sun Oct 3, made up Mon Oct 4
        and Tue Oct 5. No make-up workdays: only the notice sets those.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar
import holidays
import pytest

from workflows.calendar import (
    CALENDAR_YEARS,
    SHIPPED_YEARS,
    DueDay,
    EstimatedDay,
    WorkCalendar,
    estimated_days,
    shift,
)
from workflows.periods import Period, Unit

CAL = WorkCalendar()


def workdays(n: int) -> Period:
    return Period(n, Unit.WORKDAY)


def test_nat8_shipped_years_are_the_years_the_package_answers_for():
    """Does the covered range read from the package match what the package itself accepts?"""
    assert (SHIPPED_YEARS.start, SHIPPED_YEARS.stop - 1) == (2004, 2026)
    chinese_calendar.is_workday(date(2004, 1, 1))
    chinese_calendar.is_workday(date(2026, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2003, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 4), True),  # Sunday, make-up for New Year
        (date(2026, 2, 14), True),  # Saturday, make-up for Spring Festival
        (date(2026, 2, 28), True),  # Saturday, make-up for Spring Festival
        (date(2026, 5, 9), True),  # Saturday, make-up for Labour Day
        (date(2026, 9, 20), True),  # Sunday, make-up for National Day
        (date(2026, 10, 10), True),  # Saturday, make-up for National Day
        (date(2025, 1, 26), True),  # Sunday, make-up for Spring Festival
        (date(2025, 10, 11), True),  # Saturday, make-up for National Day
        (date(2026, 1, 2), False),  # Friday inside New Year
        (date(2026, 2, 18), False),  # Wednesday inside Spring Festival
        (date(2026, 2, 23), False),  # Monday, last day of Spring Festival
        (date(2026, 10, 1), False),  # Thursday, National Day
        (date(2026, 10, 7), False),  # Wednesday, last day of National Day
        (date(2025, 10, 8), False),  # Wednesday, last day of National Day 2025
        (date(2026, 3, 2), True),  # ordinary Monday
        (date(2026, 3, 7), False),  # ordinary Saturday
    ],
)
def test_esc2_make_up_days_work_and_holiday_weekdays_do_not(day, working):
    """Does a make-up weekend day count as a working day, and a weekday inside a holiday not?"""
    assert CAL.is_workday(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Fri Feb 6 2026: Feb 9-13 (5), make-up Sat Feb 14 (6), holiday Feb 15-23,
        # Feb 24-27 (10), make-up Sat Feb 28 (11), Mar 2-5 (15), Mar 6, 9-12 (20).
        (date(2026, 2, 6), 15, date(2026, 3, 5)),
        (date(2026, 2, 6), 20, date(2026, 3, 12)),
        # Received on the make-up Saturday Feb 14: Feb 24-27 (4), Sat Feb 28 (5), Mar 2-6 (10),
        # Mar 9-13 (15), Mar 16-20 (20).
        (date(2026, 2, 14), 15, date(2026, 3, 13)),
        (date(2026, 2, 14), 20, date(2026, 3, 20)),
        # Fri Sep 18 2026: make-up Sun Sep 20 (1), Sep 21-24 (5), Mid-Autumn Sep 25-27,
        # Sep 28-30 (8), National Day Oct 1-7, Oct 8-9 (10), make-up Sat Oct 10 (11),
        # Oct 12-15 (15), Oct 16, 19-22 (20).
        (date(2026, 9, 18), 15, date(2026, 10, 15)),
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        # Fri Jan 24 2025: make-up Sun Jan 26 (1), Jan 27 (2), holiday Jan 28 - Feb 4,
        # Feb 5-7 (5), make-up Sat Feb 8 (6), Feb 10-14 (11), Feb 17-20 (15).
        (date(2025, 1, 24), 15, date(2025, 2, 20)),
        # Fri Sep 26 2025: make-up Sun Sep 28 (1), Sep 29-30 (3), holiday Oct 1-8, Oct 9-10 (5),
        # make-up Sat Oct 11 (6), Oct 13-17 (11), Oct 20-23 (15), Oct 24, 27-30 (20).
        (date(2025, 9, 26), 15, date(2025, 10, 23)),
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
    ],
)
def test_esc2_req2_nat1_working_day_deadlines_across_holidays(start, n, due):
    """Does an n-working-day reply received before a holiday skip it and count its make-up days?"""
    assert CAL.add(start, workdays(n)) == DueDay(due, provisional=False)


def test_esc2_the_day_of_receipt_is_not_counted():
    """Does a 1-working-day task received on Friday end on Monday, not on Friday?"""
    assert CAL.add(date(2026, 3, 6), workdays(1)).day == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # a working Monday ends on itself
        (date(2026, 2, 14), date(2026, 2, 14)),  # so does a make-up Saturday
        (date(2026, 2, 21), date(2026, 2, 24)),  # a Saturday inside Spring Festival rolls to Tuesday
    ],
)
def test_esc2_zero_working_days_end_on_the_start_or_the_next_working_day(start, due):
    """Does a zero-working-day period end on the start day when it is a working day, else the next one?"""
    assert CAL.add(start, workdays(0)).day == due


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 8, 3), 60, date(2026, 10, 8)),  # Oct 2 is in National Day; Oct 8 is the next working day
        (date(2026, 3, 2), 60, date(2026, 5, 6)),  # May 1 is Labour Day (May 1-5)
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Saturday Mar 7 rolls to Monday
        (date(2026, 9, 10), 30, date(2026, 10, 10)),  # the make-up Saturday is a working day: no roll
        (date(2026, 3, 2), 30, date(2026, 4, 1)),  # an ordinary Wednesday
    ],
)
def test_esc2_nat5_calendar_days_ending_on_a_holiday_roll_to_the_next_working_day(start, days, due):
    """Does a petition period in calendar days ending on a day off end on the next working day instead?"""
    assert CAL.add(start, Period(days, Unit.DAY)) == DueDay(due, provisional=False)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2026, 1, 31), 3, date(2026, 4, 30)),  # clamped to Apr 30, a Thursday: no roll
        (date(2022, 1, 31), 3, date(2022, 5, 5)),  # clamped to Sat Apr 30 2022, Labour Day to May 4
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the make-up Saturday Feb 28: stays
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 10, 31), 1, date(2025, 12, 1)),  # clamped to Sun Nov 30, rolls to Monday
        (date(2026, 7, 2), 3, date(2026, 10, 8)),  # Oct 2 is in National Day
    ],
)
def test_esc2_nat6_months_clamp_to_the_month_end_then_roll(start, months, due):
    """Does an NPC suggestion period of n months keep the day of month, clamp at the month end and roll?"""
    assert CAL.add(start, Period(months, Unit.MONTH)) == DueDay(due, provisional=False)


def test_nat8_a_deadline_reaching_into_an_unpublished_year_is_provisional():
    """Does a deadline that runs into 2027 skip its statutory holidays there and say it is provisional?"""
    # Dec 15-18 (4), Dec 21-25 (9), Dec 28-31 (13), Fri Jan 1 2027 is 元旦, Jan 4-8 (18), Jan 11-12 (20).
    assert CAL.add(date(2026, 12, 14), workdays(20)) == DueDay(date(2027, 1, 12), provisional=True)
    assert CAL.add(date(2026, 12, 14), workdays(15)) == DueDay(date(2027, 1, 5), provisional=True)
    assert CAL.add(date(2026, 12, 14), workdays(5)) == DueDay(date(2026, 12, 21), provisional=False)
    # 60 calendar days from Nov 3 2026 is Sat Jan 2 2027: the roll itself looks into 2027.
    assert CAL.add(date(2026, 11, 3), Period(60, Unit.DAY)) == DueDay(date(2027, 1, 4), provisional=True)


def test_nat8_esc2_a_confirmed_year_entered_by_the_administrator_is_official():
    """Once an administrator enters and confirms 2027, does the deadline follow it and stop being provisional?"""
    # Invented test data, not the real 2027 notice: two days off and one make-up Saturday.
    overrides = {date(2027, 1, 1): False, date(2027, 1, 4): False, date(2027, 1, 9): True}
    # Dec 15-31 (13), Jan 1 and Jan 4 off, Jan 5-8 (17), make-up Sat Jan 9 (18), Jan 11-12 (20).
    entered = WorkCalendar(overrides, confirmed_years={2027})
    assert entered.add(date(2026, 12, 14), workdays(20)) == DueDay(date(2027, 1, 12), provisional=False)
    unconfirmed = WorkCalendar(overrides)
    assert unconfirmed.add(date(2026, 12, 14), workdays(20)) == DueDay(date(2027, 1, 12), provisional=True)


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 1, 1),  # 元旦
        date(2027, 2, 5),  # 除夕
        date(2027, 2, 8),  # 正月初三
        date(2027, 2, 9),  # made up for Sat Feb 6 (初一)
        date(2027, 2, 10),  # made up for Sun Feb 7
        date(2027, 4, 5),  # 清明
        date(2027, 5, 3),  # made up for Sat May 1
        date(2027, 5, 4),  # made up for Sun May 2
        date(2027, 6, 9),  # 端午
        date(2027, 9, 15),  # 中秋
        date(2027, 10, 1),  # 国庆
        date(2027, 10, 4),  # made up for Sat Oct 2
        date(2027, 10, 5),  # made up for Sun Oct 3
        # 2030: 除夕 Sat Feb 2 and 初一 Sun Feb 3 are made up after 初二 and 初三 (Mon-Tue Feb 4-5).
        date(2030, 2, 6),
        date(2030, 2, 7),
    ],
)
def test_nat8_a_year_not_yet_published_keeps_its_statutory_holidays(day):
    """Is a statutory holiday, or the weekday making up one that falls on a weekend, a day off in an unpublished year?"""
    assert not CAL.is_workday(day)
    assert not CAL.is_official(day.year)


def test_nat8_the_provisional_count_loses_exactly_the_statutory_days():
    """Does every unpublished year up to 2100 lose 13 weekdays (Art. 2), none of its weekends worked?"""
    for year in range(SHIPPED_YEARS.stop, CALENDAR_YEARS.stop):
        first = date(year, 1, 1)
        days = [first + timedelta(days=k) for k in range((date(year, 12, 31) - first).days + 1)]
        # Two holidays on one weekday (中秋 on 国庆, as in 2028) are one day off, not two; on a
        # weekend both are made up (2039).
        shared = sum(";" in e.name and e.day.weekday() < 5 for e in estimated_days(year))
        assert sum(d.weekday() < 5 and not CAL.is_workday(d) for d in days) == 13 - shared, year
        # Make-up workdays come only with the State Council notice: none is invented.
        assert not any(d.weekday() >= 5 and CAL.is_workday(d) for d in days), year


def test_nat8_the_estimate_is_listed_in_chinese_for_unpublished_years_only():
    """Can an administrator see which days the provisional count takes off, by their Chinese names?"""
    assert estimated_days(2027)[0] == EstimatedDay(date(2027, 1, 1), False, "元旦")
    names = {e.name for e in estimated_days(2027)}
    statutory = {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节"}
    assert statutory | {"国庆节", "春节（补假）"} <= names
    assert estimated_days(2026) == () and estimated_days(CALENDAR_YEARS.stop) == ()
    assert CAL.is_workday(date(2101, 1, 3))  # beyond the kept years: Monday to Friday only


def test_nat8_a_confirmed_year_follows_what_was_entered_and_an_entry_beats_the_estimate():
    """Once 2027 is confirmed, does only what the administrator entered count, and before that does an entry win?"""
    entered = {date(2027, 1, 1): False, date(2027, 10, 4): True}
    assert not WorkCalendar(entered).is_workday(date(2027, 4, 5))  # 清明, from the estimate
    assert WorkCalendar(entered).is_workday(date(2027, 10, 4))  # the entry beats the estimate
    confirmed = WorkCalendar(entered, confirmed_years={2027})
    assert confirmed.is_workday(date(2027, 4, 5))  # not entered: the notice did not give it
    assert not confirmed.is_workday(date(2027, 1, 1))
    assert not confirmed.is_workday(date(2028, 1, 3))  # 2028 keeps its estimate (元旦 on Saturday)


def test_nat8_which_years_are_official():
    """Is a year official exactly when the package covers it or an administrator confirmed it?"""
    assert CAL.is_official(2004) and CAL.is_official(2026)
    assert not CAL.is_official(2003) and not CAL.is_official(2027)
    assert WorkCalendar(confirmed_years=[2027]).is_official(2027)
    assert CAL.is_workday(date(2027, 1, 7))  # an ordinary Thursday of a year not yet published
    assert not CAL.is_workday(date(2027, 1, 2))


def test_esc2_an_override_corrects_a_shipped_day():
    """Can an administrator turn a shipped working day off (and a shipped holiday on)?"""
    corrected = WorkCalendar({date(2026, 3, 2): False, date(2026, 2, 18): True})
    assert not corrected.is_workday(date(2026, 3, 2))
    assert corrected.is_workday(date(2026, 2, 18))
    # Without Mar 2, the 15 working days from Feb 6 (Mar 5 above) need one more day: Fri Mar 6.
    assert WorkCalendar({date(2026, 3, 2): False}).add(date(2026, 2, 6), workdays(15)).day == date(2026, 3, 6)


def test_esc2_close_hour_sets_the_deadline_instant():
    """Does a day close at 00:00 the next day Beijing time by default, and at 17:00 when configured so?"""
    assert CAL.close_of(date(2026, 3, 5)) == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)
    assert WorkCalendar(close_hour=17).close_of(date(2026, 3, 5)) == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert CAL.close_of(date(2026, 3, 5)).tzinfo is UTC
    for bad in (0, 25, True, 17.5):
        with pytest.raises(ValueError):
            WorkCalendar(close_hour=bad)


def test_day_of_reads_the_date_in_beijing():
    """Is 16:30 UTC already the next day in Beijing, and is a naive moment refused?"""
    assert CAL.day_of(datetime(2026, 3, 5, 15, 59, tzinfo=UTC)) == date(2026, 3, 5)
    assert CAL.day_of(datetime(2026, 3, 5, 16, 30, tzinfo=UTC)) == date(2026, 3, 6)
    assert CAL.day_of(datetime(2026, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=-8)))) == date(2026, 3, 6)
    with pytest.raises(ValueError):
        CAL.day_of(datetime(2026, 3, 5, 12, 0))


@pytest.mark.parametrize(
    ("day", "period", "expected"),
    [
        (date(2026, 2, 24), workdays(1), DueDay(date(2026, 2, 14), False)),  # back over Spring Festival
        (date(2026, 2, 24), workdays(3), DueDay(date(2026, 2, 12), False)),  # Feb 14, 13, 12
        (date(2026, 2, 24), workdays(0), DueDay(date(2026, 2, 24), False)),
        (date(2026, 3, 9), workdays(1), DueDay(date(2026, 3, 6), False)),  # Monday back to Friday
        (date(2026, 2, 24), Period(3, Unit.DAY), DueDay(date(2026, 2, 21), False)),  # no roll
        (date(2027, 1, 4), workdays(1), DueDay(date(2026, 12, 31), True)),  # over 元旦 of an unknown year
    ],
)
def test_esc1_back_counts_working_days_before_a_day(day, period, expected):
    """Does stepping back n working days (for a reminder) skip holidays and count make-up days?"""
    assert CAL.back(day, period) == expected


@pytest.mark.parametrize(
    ("after", "until", "count"),
    [
        (date(2026, 2, 6), date(2026, 3, 5), 15),
        (date(2026, 9, 18), date(2026, 10, 22), 20),
        (date(2026, 3, 5), date(2026, 3, 5), 0),
        (date(2026, 3, 5), date(2026, 2, 6), 0),
    ],
)
def test_esc2_workdays_between(after, until, count):
    """Does counting working days after one day up to another agree with the deadlines above?"""
    assert CAL.workdays_between(after, until) == count


def test_shift_moves_calendar_units_without_rolling():
    """Does a plain shift clamp months and refuse working days, which need a calendar?"""
    assert shift(date(2026, 3, 31), Period(1, Unit.MONTH)) == date(2026, 4, 30)
    assert shift(date(2026, 3, 31), Period(1, Unit.MONTH), back=True) == date(2026, 2, 28)
    assert shift(date(2026, 1, 1), Period(1, Unit.DAY), back=True) == date(2025, 12, 31)
    with pytest.raises(ValueError):
        shift(date(2026, 3, 2), workdays(1))


def test_calendar_is_immutable_and_takes_dates_only():
    """Can a shared calendar be changed after construction, or be fed a datetime by mistake?"""
    overrides = {date(2026, 3, 2): False}
    calendar = WorkCalendar(overrides)
    overrides[date(2026, 3, 2)] = True
    assert not calendar.is_workday(date(2026, 3, 2))
    with pytest.raises(AttributeError):
        calendar._close_hour = 17
    with pytest.raises(TypeError):
        calendar.add(datetime(2026, 3, 2, 9, 0), workdays(1))
    with pytest.raises(TypeError):
        WorkCalendar({datetime(2026, 3, 2, 9, 0): False})


def test_esc2_every_day_2018_to_2026_agrees_with_the_holidays_package():
    """Does an independent source (python-holidays) give the same working days for 2018-2026?"""
    china = holidays.China(years=range(2018, 2027))  # PUBLIC category: the State Council notice
    first, last = date(2018, 1, 1), date(2026, 12, 31)
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    disagreements = [day for day in days if CAL.is_workday(day) != china.is_working_day(day)]
    assert disagreements == []
    # Like with like: holidays lists only the statutory and swapped weekdays (not the weekends
    # inside a break), so compare weekday holidays and working weekend days separately.
    # Its weekend_workdays also carries a few swaps from outside the requested years (2001-2011),
    # hence the filter to the range.
    ours_off = {day for day in days if day.weekday() < 5 and not CAL.is_workday(day)}
    theirs_off = {day for day in china if day.weekday() < 5 and first <= day <= last}
    assert ours_off == theirs_off
    ours_on = {day for day in days if day.weekday() >= 5 and CAL.is_workday(day)}
    theirs_on = {day for day in china.weekend_workdays if first <= day <= last}
    assert ours_on == theirs_on

"""The deadline in words, as the inbox shows it (issue 11; counted as ESC-2 and workflows.sla.kept count).

Dates are on the official 2026 calendar: Mid-Autumn Fri 25 Sep (with the weekend, 25-27 Sep off),
National Day 1-7 Oct off, make-up working days Sun 20 Sep and Sat 10 Oct. A deadline on a day
closes at 24:00 Beijing time, 16:00 UTC that day, unless the calendar's close hour says otherwise.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from workflows.calendar import WorkCalendar
from workflows.deadline_words import deadline_words, due_day_of
from workflows.periods import Unit

CAL = WorkCalendar()
BEIJING = timezone(timedelta(hours=8))


def beijing(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def closes(month: int, day: int, year: int = 2026, calendar: WorkCalendar = CAL) -> datetime:
    """The moment a deadline on that day passes."""
    return calendar.close_of(datetime(year, month, day).date())


DUE_TUE_29_SEP = closes(9, 29)
DUE_WED_30_SEP = closes(9, 30)
DUE_FRI_2_OCT = closes(10, 2)  # natural days that do not roll (ERR-2): due on a holiday


@pytest.mark.parametrize(
    ("now", "words"),
    [
        # Thu 24, Mon 28, Tue 29: the Mid-Autumn weekend does not count.
        (beijing(9, 23), "剩余3个工作日"),
        # Sat 19 Sep: make-up Sun 20 counts, then Mon 21 to Thu 24, Mon 28 and Tue 29.
        (beijing(9, 19), "剩余7个工作日"),  # 20-24, 28, 29
        (beijing(9, 28), "剩余1个工作日"),
        (beijing(9, 26), "剩余2个工作日"),  # a holiday: Mon 28 and Tue 29 are left
        (beijing(9, 29, 8), "今日到期"),
        (beijing(9, 29, 23, 59), "今日到期"),
    ],
)
def test_working_days_left_before_a_deadline_on_tue_29_sep_2026(now, words):
    """national: a reply due Tue 29 Sep 2026 24:00 reads as the working days still to come after today."""
    assert deadline_words(CAL, now, DUE_TUE_29_SEP, Unit.WORKDAY) == words


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (beijing(10, 1, 0, 0), "已超期1个工作日"),  # the moment it passes: late by the next working day
        (beijing(10, 5), "已超期1个工作日"),  # the whole holiday week counts as Thu 8 Oct
        (beijing(10, 8), "已超期1个工作日"),
        (beijing(10, 10), "已超期3个工作日"),  # Thu 8, Fri 9, make-up Sat 10
        (beijing(10, 11), "已超期4个工作日"),  # a Sunday counts as Monday 12 Oct, as kept() counts it
        (beijing(10, 13), "已超期5个工作日"),
    ],
)
def test_working_days_late_after_a_deadline_on_wed_30_sep_2026(now, words):
    """national: a reply due Wed 30 Sep 2026 24:00 and still open is late by working days, never by the holiday."""
    assert deadline_words(CAL, now, DUE_WED_30_SEP, Unit.WORKDAY) == words


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (beijing(9, 27), "剩余5日"),
        (beijing(10, 1), "剩余1日"),
        (beijing(10, 2), "今日到期"),
        (beijing(10, 3, 0, 0), "已超期1日"),
        (beijing(10, 6), "已超期4日"),  # calendar days count the holiday too
    ],
)
def test_wanzhou_an_error_noticed_on_1_oct_2026_due_2_oct_counts_in_days(now, words):
    """wanzhou (ERR-2): an error noticed on 1 Oct 2026 is due 2 Oct 24:00; the words count calendar days."""
    assert deadline_words(CAL, now, DUE_FRI_2_OCT, Unit.DAY) == words


def test_a_clock_in_months_counts_days_left_and_late():
    """A proposal reply in months (NAT-6) reads in days, as its lateness is counted in days."""
    assert deadline_words(CAL, beijing(9, 27), DUE_FRI_2_OCT, Unit.MONTH) == "剩余5日"
    assert deadline_words(CAL, beijing(10, 6), DUE_FRI_2_OCT, Unit.MONTH) == "已超期4日"


def test_after_the_close_hour_it_is_the_next_days_work():
    """With a 17:00 close, is a deadline on Tue 29 Sep 2026 'due today' from Mon 28 Sep 17:00, and late at 29 Sep 17:00?"""
    early = WorkCalendar(close_hour=17)
    due = closes(9, 29, calendar=early)
    assert deadline_words(early, beijing(9, 28, 16, 59), due) == "剩余1个工作日"
    assert deadline_words(early, beijing(9, 28, 17), due) == "今日到期"
    assert deadline_words(early, beijing(9, 29, 16, 59), due) == "今日到期"
    assert deadline_words(early, beijing(9, 29, 17), due) == "已超期1个工作日"


def test_paused_pending_and_provisional():
    """A stopped clock reads 暂停计时, no deadline yet 期限待定, and a date resting on an unpublished calendar （暂定）."""
    assert deadline_words(CAL, beijing(9, 23), DUE_TUE_29_SEP, paused=True) == "暂停计时"
    assert deadline_words(CAL, beijing(9, 23), None, paused=True) == "暂停计时"
    assert deadline_words(CAL, beijing(9, 23), None) == "期限待定"
    # 2027 has no official calendar yet: Mon 11 Jan to Fri 15 Jan 2027 leaves 12, 13, 14, 15 Jan.
    due = closes(1, 15, year=2027)
    now = beijing(1, 11, year=2027)
    assert deadline_words(CAL, now, due, provisional=True) == "剩余4个工作日（暂定）"
    assert deadline_words(CAL, beijing(1, 18, year=2027), due, provisional=True) == "已超期1个工作日（暂定）"


def test_the_due_day_is_read_back_from_the_closing_moment():
    """Is the day of a deadline closing at 1 Oct 00:00 Beijing (16:00 UTC 30 Sep) 30 Sep, whatever the close hour?"""
    assert due_day_of(CAL, datetime(2026, 9, 30, 16, tzinfo=UTC)).isoformat() == "2026-09-30"
    early = WorkCalendar(close_hour=17)
    assert due_day_of(early, closes(9, 30, calendar=early)).isoformat() == "2026-09-30"

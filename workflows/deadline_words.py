"""A running deadline as an officer reads it in the inbox: "剩余2个工作日", "今日到期", "已超期3个工作日".

Pure: the current moment and the calendar are arguments. The words count as the rules count:

- "today" is the Beijing working day now falls in; after the close hour it is the next day's work
  (as workflows.sla.kept counts a late close).
- Before the deadline: on the due day itself "今日到期"; before it, the days still to come after
  today up to and including the due day: working days for a clock in working days ("剩余1个工作日"
  the day before the due day, and on a weekend before a Monday deadline), plain days for a clock in
  calendar days or months ("剩余5日").
- From the deadline on: late by as many units as workflows.sla.kept would count if the step were
  done now ("已超期3个工作日", "已超期4日"), never less than one.
- A stopped clock says "暂停计时"; a task with no deadline yet says "期限待定". A deadline resting on
  working days not yet officially published gets "（暂定）" appended.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from workflows.calendar import WorkCalendar
from workflows.periods import Unit
from workflows.sla import kept, lateness_unit

PAUSED = "暂停计时"
PENDING = "期限待定"
DUE_TODAY = "今日到期"
PROVISIONAL_MARK = "（暂定）"


def due_day_of(calendar: WorkCalendar, due_at: datetime) -> date:
    """The day a deadline falls on, from the moment it closes (the inverse of WorkCalendar.close_of)."""
    return calendar.day_of(due_at - timedelta(hours=calendar.close_hour))


def working_today(calendar: WorkCalendar, now: datetime) -> date:
    """The day whose work `now` belongs to: after the close hour, the next day."""
    day = calendar.day_of(now)
    return day + timedelta(days=1) if now >= calendar.close_of(day) else day


def deadline_words(
    calendar: WorkCalendar,
    now: datetime,
    due_at: datetime | None,
    unit: Unit = Unit.WORKDAY,
    *,
    paused: bool = False,
    provisional: bool = False,
) -> str:
    """Where a running task stands against its deadline, in the words the inbox shows."""
    if paused:
        return PAUSED
    if due_at is None:
        return PENDING
    counted = lateness_unit(unit)
    due_day = due_day_of(calendar, due_at)
    if now >= due_at:
        late = kept(calendar, due_day, counted, now).late_by
        words = f"已超期{late}{counted.label}"
    else:
        today = working_today(calendar, now)
        if counted is Unit.WORKDAY:
            left = calendar.workdays_between(today, due_day)
        else:
            left = (due_day - today).days
        words = DUE_TODAY if left <= 0 else f"剩余{left}{counted.label}"
    return words + PROVISIONAL_MARK if provisional else words

"""Deadline rules: pauses, extensions, ceilings, reminders and escalation (ESC-1, REQ-3, REQ-4, NAT-1/2/5/6).

Expected dates were counted by hand from the 2026 State Council notice as the chinesecalendar
data carries it (see tests/unit/test_calendar.py for the holiday list). Reminders and deadlines
close at 00:00 Beijing time the next day, i.e. 16:00 UTC on the day itself.
"""

from datetime import UTC, date, datetime

import pytest

from workflows.calendar import WorkCalendar
from workflows.periods import Period, Unit
from workflows.sla import (
    Due,
    ExtensionTooLong,
    Kept,
    Milestones,
    Pause,
    Standing,
    Terms,
    compute_due,
    compute_dues,
    escalation_level,
    extension_room,
    grant_extension,
    kept,
    milestones,
    standing,
)

CAL = WorkCalendar()
FEB_6 = date(2026, 2, 6)  # a Friday, the week before Spring Festival


def workdays(n: int) -> Period:
    return Period(n, Unit.WORKDAY)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_req2_due_closes_at_midnight_beijing():
    """Does a 15-working-day reply received on Feb 6 fall due as Mar 5 closes, i.e. 16:00 UTC?"""
    due = compute_due(CAL, FEB_6, workdays(15))
    assert due == Due(at=utc(2026, 3, 5, 16), day=date(2026, 3, 5), provisional=False, paused=False)
    assert compute_due(WorkCalendar(close_hour=17), FEB_6, workdays(15)).at == utc(2026, 3, 5, 9)


def test_req4_a_pause_spanning_spring_festival_adds_back_only_its_working_days():
    """Does consulting a third party from Feb 12 to Feb 26 add back 5 working days, not the holiday?"""
    # Counted: Feb 9-12 (4). Paused Feb 13-26: Fri 13, make-up Sat 14, Feb 24-26 are working
    # days; Feb 15-23 is the holiday. Then Feb 27 (5), Sat Feb 28 (6), Mar 2-6 (11), Mar 9-12 (15).
    due = compute_due(CAL, FEB_6, workdays(15), pauses=[Pause(date(2026, 2, 12), date(2026, 2, 26))])
    assert (due.day, due.at, due.paused) == (date(2026, 3, 12), utc(2026, 3, 12, 16), False)


def test_req4_overlapping_pauses_are_not_counted_twice():
    """Do two overlapping consultations stop the clock once for the days they share?"""
    pauses = [Pause(date(2026, 2, 12), date(2026, 2, 24)), Pause(date(2026, 2, 20), date(2026, 2, 26))]
    assert compute_due(CAL, FEB_6, workdays(15), pauses=pauses).day == date(2026, 3, 12)
    twice = [Pause(date(2026, 2, 12), date(2026, 2, 26))] * 2
    assert compute_due(CAL, FEB_6, workdays(15), pauses=twice).day == date(2026, 3, 12)


def test_req4_a_pause_inside_the_holiday_changes_nothing():
    """Does a pause that only covers holiday days leave the working-day deadline where it was?"""
    pause = Pause(date(2026, 2, 15), date(2026, 2, 23))  # days 16-23: all inside Spring Festival
    assert compute_due(CAL, FEB_6, workdays(15), pauses=[pause]).day == date(2026, 3, 5)


def test_nat2_an_open_pause_has_no_deadline():
    """While the clock is stopped, is the task paused with no deadline instead of a stale one?"""
    due = compute_due(CAL, FEB_6, workdays(15), pauses=[Pause(date(2026, 2, 12))])
    assert due == Due(at=None, day=None, provisional=False, paused=True)
    assert standing(utc(2026, 6, 1), due, None) is Standing.PAUSED


def test_nat5_a_pause_moves_a_calendar_day_deadline_by_the_paused_days():
    """Does a 10-day pause move a 60-day petition from Oct 2 (rolled to Oct 8) to Mon Oct 12?"""
    # Aug 4-10 (7), paused Aug 11-20, Aug 21-31 (18), Sep (48), Oct 1-12 (60): a working Monday.
    pauses = [Pause(date(2026, 8, 10), date(2026, 8, 20))]
    assert compute_due(CAL, date(2026, 8, 3), Period(60, Unit.DAY)).day == date(2026, 10, 8)
    assert compute_due(CAL, date(2026, 8, 3), Period(60, Unit.DAY), pauses=pauses).day == date(2026, 10, 12)


def test_nat6_a_pause_moves_a_month_deadline_then_it_rolls():
    """Does a 9-day pause push a 3-month suggestion from Jun 10 into Dragon Boat, so it ends Jun 22?"""
    # Mar 10 + 3 months = Wed Jun 10; paused Apr 2-10 (9 days) -> Fri Jun 19, Dragon Boat
    # Jun 19-21 -> Mon Jun 22.
    pauses = [Pause(date(2026, 4, 1), date(2026, 4, 10))]
    due = compute_due(CAL, date(2026, 3, 10), Period(3, Unit.MONTH), pauses=pauses)
    assert (due.day, due.provisional) == (date(2026, 6, 22), False)


def test_nat8_a_paused_deadline_pushed_into_2027_is_provisional():
    """Does a pause that pushes the deadline into the unpublished year make it provisional?"""
    # Paused Dec 15-18: Dec 21-25 (5), Dec 28-31 (9), Fri Jan 1 2027 off (元旦, statutory), Jan 4-8 (14),
    # Jan 11-15 (19), Jan 18 (20).
    pauses = [Pause(date(2026, 12, 14), date(2026, 12, 18))]
    due = compute_due(CAL, date(2026, 12, 14), workdays(20), pauses=pauses)
    assert (due.day, due.provisional) == (date(2027, 1, 18), True)


def test_req3_an_extension_adds_to_the_period():
    """Does a 15-working-day extension on a 15-working-day reply from Feb 6 end on Mar 26?"""
    # 15 -> Mar 5, then Mar 6 (16), Mar 9-13 (21), Mar 16-20 (26), Mar 23-26 (30).
    due = compute_due(CAL, FEB_6, workdays(15), extension=workdays(15))
    assert due.day == date(2026, 3, 26)
    with pytest.raises(ValueError):
        compute_due(CAL, FEB_6, workdays(15), extension=Period(15, Unit.DAY))


def test_req4_pauses_must_follow_the_receipt():
    """Is a pause that ends before it starts, or starts before the receipt, refused?"""
    with pytest.raises(ValueError):
        Pause(date(2026, 2, 12), date(2026, 2, 11))
    with pytest.raises(ValueError):
        compute_due(CAL, FEB_6, workdays(15), pauses=[Pause(date(2026, 2, 5), date(2026, 2, 9))])


@pytest.mark.parametrize(
    ("requested", "already", "maximum"),
    [
        (workdays(15), None, workdays(15)),  # REQ-3: the whole ceiling at once
        (workdays(5), workdays(10), workdays(15)),  # the rest of it
        (Period(30, Unit.DAY), None, Period(30, Unit.DAY)),  # PET-3
    ],
)
def test_req3_nat1_pet3_an_extension_within_the_ceiling_is_granted_whole(requested, already, maximum):
    """Is an extension that fits under the ceiling granted as asked?"""
    assert grant_extension(requested, already, maximum) == requested


@pytest.mark.parametrize(
    ("requested", "already", "maximum", "room"),
    [
        (workdays(25), None, workdays(20), workdays(20)),  # NAT-1
        (workdays(15), workdays(10), workdays(20), workdays(10)),
        (Period(45, Unit.DAY), None, Period(30, Unit.DAY), Period(30, Unit.DAY)),  # PET-3
        (Period(10, Unit.DAY), Period(30, Unit.DAY), Period(30, Unit.DAY), Period(0, Unit.DAY)),
        (Period(4, Unit.MONTH), None, Period(3, Unit.MONTH), Period(3, Unit.MONTH)),  # NAT-6
    ],
)
def test_req3_nat1_pet3_nat6_an_extension_beyond_the_ceiling_is_refused_with_the_room_left(
    requested, already, maximum, room
):
    """Is an extension longer than what the ceiling leaves refused, saying what is left, rather than cut?"""
    with pytest.raises(ExtensionTooLong) as refused:
        grant_extension(requested, already, maximum)
    assert (refused.value.room, refused.value.maximum) == (room, maximum)
    assert extension_room(already, maximum) == room


def test_req3_extension_requests_must_be_positive_and_in_the_same_unit():
    """Are a zero request and a request in another unit refused?"""
    with pytest.raises(ValueError):
        grant_extension(workdays(0), None, workdays(15))
    with pytest.raises(ValueError):
        grant_extension(Period(5, Unit.DAY), None, workdays(15))
    with pytest.raises(ValueError):
        grant_extension(workdays(5), Period(5, Unit.DAY), workdays(15))


@pytest.mark.parametrize(
    ("due_day", "remind_at"),
    [
        (date(2026, 3, 9), utc(2026, 3, 6, 16)),  # Monday: reminded as Friday closes
        (date(2026, 2, 24), utc(2026, 2, 14, 16)),  # after Spring Festival: the make-up Saturday
        (date(2026, 10, 8), utc(2026, 9, 30, 16)),  # after National Day: Sep 30
    ],
)
def test_esc1_reminder_one_working_day_before(due_day, remind_at):
    """Is the holder reminded when the previous working day closes, across a weekend or a holiday?"""
    plan = milestones(CAL, due_day, remind_before=workdays(1), escalate_after=[])
    assert plan == Milestones(remind_at=remind_at, escalate_at=())


def test_esc1_no_lead_time_reminds_at_the_deadline():
    """With a zero lead time, does the reminder come at the deadline itself?"""
    plan = milestones(CAL, date(2026, 3, 5), remind_before=workdays(0), escalate_after=[])
    assert plan.remind_at == utc(2026, 3, 5, 16)


def test_esc1_escalation_levels_at_and_after_the_deadline():
    """Is the task raised to the section head at the deadline and to the leader 2 working days later?"""
    # Due Thu Mar 5; 2 working days later: Fri Mar 6 (1), Mon Mar 9 (2).
    plan = milestones(
        CAL, date(2026, 3, 5), remind_before=workdays(1), escalate_after=[workdays(0), workdays(2)]
    )
    assert plan == Milestones(
        remind_at=utc(2026, 3, 4, 16), escalate_at=(utc(2026, 3, 5, 16), utc(2026, 3, 9, 16))
    )
    assert escalation_level(utc(2026, 3, 5, 15, 59), plan) == 0
    assert escalation_level(utc(2026, 3, 5, 16), plan) == 1
    assert escalation_level(utc(2026, 3, 7, 3), plan) == 1  # the weekend does not count
    assert escalation_level(utc(2026, 3, 9, 16), plan) == 2


def test_esc1_escalation_skips_national_day():
    """Does the leader's level, 2 working days after a Sep 30 deadline, wait until Oct 9 closes?"""
    plan = milestones(
        CAL, date(2026, 9, 30), remind_before=workdays(1), escalate_after=[workdays(0), workdays(2)]
    )
    assert plan.escalate_at == (utc(2026, 9, 30, 16), utc(2026, 10, 9, 16))
    assert plan.remind_at == utc(2026, 9, 29, 16)


def test_esc1_escalation_levels_must_not_go_backwards():
    """Is a leader level set before the section-head level refused?"""
    with pytest.raises(ValueError):
        milestones(
            CAL, date(2026, 3, 5), remind_before=workdays(1), escalate_after=[workdays(2), workdays(0)]
        )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 4, 1), Standing.ON_TIME),
        (utc(2026, 3, 4, 16), Standing.DUE_SOON),  # Thursday Mar 5 begins in Beijing
        (utc(2026, 3, 5, 15, 59), Standing.DUE_SOON),
        (utc(2026, 3, 5, 16), Standing.OVERDUE),
        (utc(2026, 3, 20), Standing.OVERDUE),
    ],
)
def test_esc1_standing_against_the_deadline(now, expected):
    """Is a task on time, due soon once reminded, and overdue from the moment its day closes?"""
    due = compute_due(CAL, FEB_6, workdays(15))
    plan = milestones(CAL, due.day, remind_before=workdays(1), escalate_after=[workdays(0)])
    assert standing(now, due, plan.remind_at) is expected


def test_standing_refuses_a_naive_now():
    """Is a naive 'now' refused rather than compared with an aware deadline?"""
    due = compute_due(CAL, FEB_6, workdays(15))
    with pytest.raises(ValueError):
        standing(datetime(2026, 3, 5, 12), due, None)


@pytest.mark.parametrize(
    ("latest", "extension", "due"),
    [
        (date(2026, 5, 20), None, date(2026, 5, 20)),  # the transfer document's date comes first
        (date(2026, 6, 30), None, date(2026, 6, 2)),  # three months come first: 2 Mar → Tue 2 Jun
        # One more month counts on from the document's date: 20 Jun is a Saturday after the Dragon
        # Boat Festival (19 Jun), so Mon 22 Jun, still before 3 + 1 months from receipt (Thu 2 Jul).
        (date(2026, 5, 20), Period(1, Unit.MONTH), date(2026, 6, 22)),
    ],
)
def test_pro1_nat6_a_proposal_is_due_by_the_earlier_of_three_months_and_the_transfer_documents_date(
    latest, extension, due
):
    """Is a proposal assigned on 2 Mar due on the transfer document's date when that is earlier than three months?"""
    found = compute_due(CAL, date(2026, 3, 2), Period(3, Unit.MONTH), extension=extension, latest=latest)
    assert (found.day, found.provisional) == (due, False)


# --- natural days that do not roll (ERR-2, ESC-2) and local targets in another unit (PET-2, PUB-13) ---

OCT_1 = date(2026, 10, 1)  # 国庆: Oct 1-7 2026 are days off, Thu Oct 8 the first working day


def test_err2_esc2_natural_days_that_do_not_roll_end_on_the_holiday():
    """wanzhou: an error noticed on 1 Oct 2026 is due 2 Oct 24:00 (urgent: 1 Oct 24:00), not 8 Oct."""
    assert compute_due(CAL, OCT_1, Period(1, Unit.DAY), rolls=False).at == utc(2026, 10, 2, 16)
    assert compute_due(CAL, OCT_1, Period(0, Unit.DAY), rolls=False).at == utc(2026, 10, 1, 16)
    # ESC-2's default: a calendar-day period ending on a holiday rolls to the next working day.
    assert compute_due(CAL, OCT_1, Period(1, Unit.DAY)).day == date(2026, 10, 8)


def test_err2_a_pause_moves_a_natural_day_deadline_without_rolling_it():
    """1 natural day from 1 Oct, paused from 1 Oct to 2 Oct: due 3 Oct (a holiday), not 8 Oct."""
    due = compute_due(CAL, OCT_1, Period(1, Unit.DAY), pauses=[Pause(OCT_1, date(2026, 10, 2))], rolls=False)
    assert due.day == date(2026, 10, 3)


def test_esc1_err2_a_holiday_due_day_is_escalated_that_night_and_reminded_before_it():
    """Due on the holiday 2 Oct: reminded as 30 Sep closes, section head at 2 Oct 24:00, leader at 8 Oct 24:00."""
    plan = milestones(
        CAL, date(2026, 10, 2), remind_before=workdays(1), escalate_after=[workdays(0), workdays(1)]
    )
    assert plan == Milestones(
        remind_at=utc(2026, 9, 30, 16), escalate_at=(utc(2026, 10, 2, 16), utc(2026, 10, 8, 16))
    )


def test_pet2_the_earlier_of_ceiling_and_target_binds():
    """xingning: a petition accepted Tue 1 Sep 2026: ceiling 60 days (Sat 31 Oct, rolled to Mon 2 Nov), target 2 working days (Thu 3 Sep) binds."""
    dues = compute_dues(CAL, date(2026, 9, 1), Terms(Period(60, Unit.DAY), target=workdays(2)))
    assert (dues.ceiling.day, dues.target.day) == (date(2026, 11, 2), date(2026, 9, 3))
    assert dues.binds == "target" and dues.binding == dues.target


def test_pet2_a_target_ending_after_the_ceiling_does_not_bind():
    """5 calendar days against 4 working days: from Mon 2 Mar the target binds (Fri 6 Mar), from Thu 5 Mar the ceiling (Tue 10 Mar)."""
    terms = Terms(Period(5, Unit.DAY), target=workdays(4))
    monday = compute_dues(CAL, date(2026, 3, 2), terms)
    assert (monday.binds, monday.binding.day) == ("target", date(2026, 3, 6))
    thursday = compute_dues(CAL, date(2026, 3, 5), terms)
    assert (thursday.target.day, thursday.ceiling.day) == (date(2026, 3, 11), date(2026, 3, 10))
    assert (thursday.binds, thursday.binding.day) == ("ceiling", date(2026, 3, 10))


def test_pet3_an_extension_lets_the_ceiling_bind():
    """Once the agency head extends the 60 days, the local target no longer holds the case to its date."""
    dues = compute_dues(
        CAL, date(2026, 9, 1), Terms(Period(60, Unit.DAY), target=workdays(2)), extension=Period(30, Unit.DAY)
    )
    assert (dues.binds, dues.binding.day) == ("ceiling", date(2026, 11, 30))


def test_pub13_shaanxi_third_calendar_day_rolls_and_binds_under_working_days():
    """shaanxi-miit: work ending Thu 5 Mar 2026 is published by Mon 9 Mar (3rd day Sun 8 Mar, rolled), not Tue 10 Mar."""
    dues = compute_dues(CAL, date(2026, 3, 5), Terms(workdays(20), target=Period(3, Unit.DAY)))
    assert (dues.binds, dues.binding.day) == ("target", date(2026, 3, 9))


def test_pet2_both_dates_pause_together():
    """An open pause stops both the ceiling and the target."""
    dues = compute_dues(
        CAL,
        date(2026, 9, 1),
        Terms(Period(60, Unit.DAY), target=workdays(2)),
        pauses=[Pause(date(2026, 9, 2))],
    )
    assert dues.binding.paused and dues.ceiling.paused and dues.target.paused


# A closed clock: kept, or late by how much (issue 10). Due days close at 24:00 Beijing (16:00 UTC).
FRI_27_MAR = date(2026, 3, 27)


def test_a_reply_closed_before_its_due_moment_is_on_time_and_at_it_is_one_working_day_late():
    """Due Fri 27 Mar 2026 24:00: on time at 23:59 that night, 1 working day late from 24:00 (Sat) on."""
    assert kept(CAL, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 27, 15, 59)) == Kept(True, 0, Unit.WORKDAY)
    assert kept(CAL, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 27, 16)) == Kept(False, 1, Unit.WORKDAY)


def test_esc2_a_clock_due_friday_and_closed_the_next_monday_is_one_working_day_late():
    """Due Fri 27 Mar, closed Sat 28, Mon 30 or Tue 31 Mar 2026: 1, 1 and 2 working days late."""
    for moment, late in ((utc(2026, 3, 28, 2), 1), (utc(2026, 3, 30, 2), 1), (utc(2026, 3, 31, 2), 2)):
        assert kept(CAL, FRI_27_MAR, Unit.WORKDAY, moment) == Kept(False, late, Unit.WORKDAY)


def test_esc2_holidays_do_not_count_late_and_a_make_up_working_day_does():
    """Due Fri 3 Apr 2026, closed Tue 7 Apr after Qingming (4-6 Apr off): 1 working day late.

    Due Wed 30 Sep 2026, closed on the make-up working day Sat 10 Oct after National Day (1-7 Oct
    off): 8, 9, 10 Oct = 3 working days late; on Sun 11 Oct as on Mon 12 Oct: 4.
    """
    assert kept(CAL, date(2026, 4, 3), Unit.WORKDAY, utc(2026, 4, 7, 2)).late_by == 1
    assert kept(CAL, date(2026, 9, 30), Unit.WORKDAY, utc(2026, 10, 10, 2)).late_by == 3
    assert kept(CAL, date(2026, 9, 30), Unit.WORKDAY, utc(2026, 10, 11, 2)).late_by == 4
    assert kept(CAL, date(2026, 9, 30), Unit.WORKDAY, utc(2026, 10, 12, 2)).late_by == 4


def test_nat5_nat6_calendar_days_and_months_are_late_by_plain_days_weekends_included():
    """A petition (days) or proposal (months) due Fri 3 Apr 2026 and closed Tue 7 Apr is 4 days late."""
    assert kept(CAL, date(2026, 4, 3), Unit.DAY, utc(2026, 4, 7, 2)) == Kept(False, 4, Unit.DAY)
    assert kept(CAL, date(2026, 4, 3), Unit.MONTH, utc(2026, 4, 7, 2)) == Kept(False, 4, Unit.DAY)
    assert kept(CAL, date(2026, 4, 3), Unit.MONTH, utc(2026, 4, 3, 2)) == Kept(True, 0, Unit.DAY)


def test_with_an_earlier_close_hour_work_after_it_counts_as_the_next_day():
    """Days closing at 17:00 Beijing (09:00 UTC): due Fri 27 Mar, closed 18:00 that Friday is 1 working day late."""
    five = WorkCalendar(close_hour=17)
    assert kept(five, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 27, 8, 59)).on_time
    assert kept(five, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 27, 10)) == Kept(False, 1, Unit.WORKDAY)
    assert kept(five, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 30, 8)).late_by == 1  # Mon 16:00
    assert kept(five, FRI_27_MAR, Unit.WORKDAY, utc(2026, 3, 30, 10)).late_by == 2  # Mon 18:00
    assert kept(five, FRI_27_MAR, Unit.DAY, utc(2026, 3, 27, 10)).late_by == 1


def test_lateness_needs_an_aware_moment():
    """Is a naive closing moment refused rather than compared with the aware due moment?"""
    with pytest.raises(ValueError, match="aware"):
        kept(CAL, FRI_27_MAR, Unit.WORKDAY, datetime(2026, 3, 30, 2))

"""Recurring duties: their schedules, which occurrence is open on a day, and each profile's duties
(REC-1..6, NAT-4, STAT-3). Expected days are written out from the seeds and the calendar."""

import dataclasses
from datetime import date, timedelta

import pytest

from workflows.profiles import PROFILES, ProfileError, check_profile
from workflows.profiles.duties import (
    AgencyKind,
    Daily,
    Duty,
    Record,
    TimesAYear,
    TwiceAMonth,
    Weekly,
    Yearly,
    annual_report,
    due_openings,
    next_occurrence,
)
from workflows.profiles.national import NATIONAL


def duty(schedule, key="drill"):
    return Duty(key, "开展应急演练", "REC-5", "002 §33", "信息中心", schedule)


def opened(schedule, first: date, last: date) -> dict[str, list[date]]:
    """Each occurrence key with the days a sweep would want it open, over the days first..last."""
    days: dict[str, list[date]] = {}
    day = first
    while day <= last:
        for occurrence in due_openings([duty(schedule)], day):
            days.setdefault(occurrence.key, []).append(day)
        day += timedelta(days=1)
    return days


def test_rec5_a_yearly_duty_is_one_occurrence_a_year_due_on_31_december():
    """Does a yearly drill open on 1 January, stay wanted all year, and the next year's open anew (REC-5)?"""
    days = opened(Yearly(), date(2026, 12, 30), date(2027, 1, 2))
    assert list(days) == ["drill:2026", "drill:2027"]
    window = due_openings([duty(Yearly())], date(2026, 6, 1))[0].window
    assert (window.opens, window.due) == (date(2026, 1, 1), date(2026, 12, 31))


def test_rec1_three_times_a_year_gives_windows_of_four_months():
    """Do interviews three times a year open on 1 January, 1 May and 1 September, each due at the end
    of its fourth month (REC-1)?"""
    windows = [
        due_openings([duty(TimesAYear(3))], day)[0].window for day in (date(2028, 2, 29), date(2028, 5, 1))
    ]
    assert [(w.label, w.opens, w.due) for w in windows] == [
        ("2028-1", date(2028, 1, 1), date(2028, 4, 30)),
        ("2028-2", date(2028, 5, 1), date(2028, 8, 31)),
    ]
    days = opened(TimesAYear(3), date(2026, 1, 1), date(2026, 12, 31))
    assert {key: (d[0], d[-1]) for key, d in days.items()} == {
        "drill:2026-1": (date(2026, 1, 1), date(2026, 4, 30)),
        "drill:2026-2": (date(2026, 5, 1), date(2026, 8, 31)),
        "drill:2026-3": (date(2026, 9, 1), date(2026, 12, 31)),
    }


def test_rec2_a_weekly_batch_opens_on_monday_and_is_due_friday_across_the_year_end():
    """Does the weekly disclosure batch open Monday 28 December 2026 as week 53, due Friday 1 January
    2027, and is nothing wanted on the weekend after its due day (REC-2)?"""
    occurrences = due_openings([duty(Weekly())], date(2026, 12, 31))
    assert [(o.key, o.window.opens, o.window.due) for o in occurrences] == [
        ("drill:2026-W53", date(2026, 12, 28), date(2027, 1, 1))
    ]
    assert due_openings([duty(Weekly())], date(2027, 1, 2)) == []
    assert list(opened(Weekly(), date(2027, 1, 1), date(2027, 1, 11))) == [
        "drill:2026-W53",
        "drill:2027-W01",
        "drill:2027-W02",
    ]


def test_rec3_the_key_changes_on_the_1st_and_16th_with_leap_february():
    """Does the key change open on the 1st and the 16th, the second half of a leap February due on
    the 29th (REC-3)?"""
    days = opened(TwiceAMonth(), date(2028, 2, 1), date(2028, 3, 1))
    assert {key: (d[0], d[-1]) for key, d in days.items()} == {
        "drill:2028-02-1": (date(2028, 2, 1), date(2028, 2, 15)),
        "drill:2028-02-2": (date(2028, 2, 16), date(2028, 2, 29)),
        "drill:2028-03-1": (date(2028, 3, 1), date(2028, 3, 1)),
    }


def test_rec4_the_reading_record_is_one_a_day_due_the_same_day():
    """Is there one reading record a day, 29 February included, each due that day (REC-4)?"""
    days = opened(Daily(), date(2028, 2, 28), date(2028, 3, 1))
    assert days == {
        "drill:2028-02-28": [date(2028, 2, 28)],
        "drill:2028-02-29": [date(2028, 2, 29)],
        "drill:2028-03-01": [date(2028, 3, 1)],
    }


def test_rec_a_missed_first_day_opens_later_in_the_window_but_a_past_window_does_not():
    """If the service was down on a window's first day, is the occurrence still wanted the next day,
    and is a window already past never wanted again (no flood of the past)?"""
    report = annual_report(AgencyKind.DEPARTMENT)
    assert [o.key for o in due_openings([report], date(2027, 1, 5))] == ["annual_report:2027"]
    assert due_openings([report], date(2027, 2, 1)) == []
    assert next_occurrence(report, date(2027, 2, 1)).key == "annual_report:2028"
    assert next_occurrence(report, date(2027, 1, 31)).key == "annual_report:2027"


@pytest.mark.parametrize(
    ("schedule", "today", "expected"),
    [
        (Weekly(), date(2026, 12, 5), ("drill:2026-W50", date(2026, 12, 7))),  # Saturday: next Monday
        (TwiceAMonth(), date(2026, 12, 31), ("drill:2026-12-2", date(2026, 12, 16))),  # open today
        (Yearly("03-01", "03-31"), date(2026, 12, 31), ("drill:2027", date(2027, 3, 1))),
    ],
)
def test_rec_the_next_occurrence_is_the_open_one_or_the_one_that_opens_next(schedule, today, expected):
    """Does the administrators' list show the occurrence open today, else the next to open?"""
    occurrence = next_occurrence(duty(schedule), today)
    assert (occurrence.key, occurrence.window.opens) == expected


def test_nat4_stat3_the_annual_report_is_due_by_the_earlier_day():
    """Is a department's report due 31 January, a local government's 31 March, and hainan's 30 March
    (STAT-3) loosening nothing for a department (NAT-4)?"""
    report = {name: next(d for d in p.duties if d.key == "annual_report") for name, p in PROFILES.items()}
    dues = {name: (d.schedule.opens, d.schedule.due, d.department) for name, d in report.items()}
    assert dues == {
        "national": ("01-01", "01-31", "办公室"),
        "hainan-sasac": ("01-01", "01-31", "办公室"),
        "shaanxi-miit": ("01-01", "01-31", "办公室"),
        "xingning": ("01-01", "03-31", "办公室"),
        "guangdong-land": ("01-01", "01-31", "办公室"),
        "wanzhou": ("01-01", "03-31", "办公室"),
    }
    assert report["hainan-sasac"].rule == "NAT-4, STAT-3"
    assert (
        annual_report(AgencyKind.LOCAL_GOVERNMENT, local_due="03-30", local_source="000 annex").schedule.due
        == "03-30"
    )


def test_rec_each_seed_profile_has_the_duties_its_seed_states():
    """Does each profile carry exactly the duties its seed states, in the department it names?"""
    found = {
        name: {(d.key, d.rule, d.department) for d in p.duties if d.key != "annual_report"}
        for name, p in PROFILES.items()
    }
    assert found == {
        "national": set(),
        "shaanxi-miit": set(),
        "guangdong-land": set(),
        "hainan-sasac": {
            ("interview", "REC-1", "党群处"),
            ("survey", "REC-1", "党群处"),
            ("enterprise_window", "REC-1", "办公室"),
            ("disclosure_batch", "REC-2", "办公室"),
            ("key_change", "REC-3", "信息中心"),
            ("risk_assessment", "REC-5", "信息中心"),
        },
        "xingning": {("drill", "REC-5", "信息中心"), ("training", "REC-6", "信息中心")},
        "wanzhou": {("reading_record", "REC-4", "信息中心")},
    }
    assert next(d for d in PROFILES["wanzhou"].duties if d.key == "reading_record").record is Record.READING


@pytest.mark.parametrize(
    ("duties", "kind", "message"),
    [
        ((), AgencyKind.DEPARTMENT, "lack the annual report"),
        ((annual_report(AgencyKind.LOCAL_GOVERNMENT),), AgencyKind.DEPARTMENT, "due by 01-31"),
        (
            (annual_report(AgencyKind.DEPARTMENT), duty(Yearly("02-29", "12-31"))),
            AgencyKind.DEPARTMENT,
            "'02-29'",
        ),
        (
            (annual_report(AgencyKind.DEPARTMENT), duty(Yearly("06-01", "05-31"))),
            AgencyKind.DEPARTMENT,
            "before it opens",
        ),
        ((annual_report(AgencyKind.DEPARTMENT), duty(TimesAYear(5))), AgencyKind.DEPARTMENT, "whole months"),
        ((annual_report(AgencyKind.DEPARTMENT), duty(Weekly(7))), AgencyKind.DEPARTMENT, "due weekday 7"),
        (
            (annual_report(AgencyKind.DEPARTMENT), duty(Daily()), duty(Daily())),
            AgencyKind.DEPARTMENT,
            "repeat a key",
        ),
        (
            (annual_report(AgencyKind.DEPARTMENT), dataclasses.replace(duty(Daily()), rule="REQ-2")),
            AgencyKind.DEPARTMENT,
            "REQ-2",
        ),
        (
            (annual_report(AgencyKind.DEPARTMENT), dataclasses.replace(duty(Daily()), department=" ")),
            AgencyKind.DEPARTMENT,
            "a department",
        ),
    ],
)
def test_rec_check_profile_refuses_duties_that_make_no_sense(duties, kind, message):
    """Does check_profile refuse a missing or late annual report, a day no year has, a window due
    before it opens, an uneven split of the year, an unknown rule ID and a duty without department?"""
    with pytest.raises(ProfileError, match=message):
        check_profile(dataclasses.replace(NATIONAL, duties=duties, agency_kind=kind))

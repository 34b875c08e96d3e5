"""Recurring duties opened by the service on their day (REC-1..6, NAT-4, STAT-3, STAT-1): each
occurrence once, in its department's inbox, due on its due day, late in the statistics when missed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from service.models import ScheduledCase


def beijing(day: str) -> str:
    """09:00 Beijing time on that day, as the clock fixture takes it."""
    return f"{day}T01:00:00+00:00"


@pytest.fixture(scope="session")
def xingning(api_for_profile):
    return api_for_profile("xingning")


@pytest.fixture(scope="session")
def wanzhou(api_for_profile):
    return api_for_profile("wanzhou")


def sweep(api, clock, day: str) -> None:
    """The minute sweep, run on `day` by the app serving `api`'s profile."""
    from service.services import jobs

    clock.set(beijing(day))
    with api.client.application.app_context():
        jobs.sweep(datetime.fromisoformat(beijing(day)), jobs.InlinePublisher())


def opened(api) -> dict[str, int]:
    """Each opened occurrence with its case id."""
    with api.client.application.app_context():
        from service.extensions import db

        rows = db.session.execute(select(ScheduledCase.occurrence, ScheduledCase.instance_id)).all()
        db.session.rollback()
        return dict(rows)


def inbox(api, user: str) -> list[dict]:
    response = api.get("/tasks?scope=actionable", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def due_day(task: dict) -> str:
    """The Beijing day a task is due by (its deadline closes at the end of that day)."""
    moment = datetime.fromisoformat(task["due_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    return (moment - timedelta(seconds=1)).date().isoformat()


def case(api, instance_id: int) -> dict:
    return api.get(f"/process-instances/{instance_id}", "admin").get_json()


def test_rec5_the_drill_opens_on_its_day_once_in_the_centre_with_its_due_day(xingning, clock):
    """Does xingning's yearly drill open on 1 January, once for two sweeps and for the next day's
    sweep, in 信息中心's inbox due 31 December, and the next year's on 1 January after (REC-5)?"""
    sweep(xingning, clock, "2026-01-01")
    sweep(xingning, clock, "2026-01-01")
    assert set(opened(xingning)) == {"drill:2026", "training:2026", "annual_report:2026"}
    drill = case(xingning, opened(xingning)["drill:2026"])
    assert drill["data"]["duty_title"] == "开展网站应急安全演练"
    assert drill["data"]["owning_department"] == "info_center"
    (task,) = [t for t in inbox(xingning, "xu.ming") if t["instance"]["id"] == drill["id"]]
    assert task["name"] == "办理并记录定期工作" and task["department"]["code"] == "info_center"
    assert due_day(task) == "2026-12-31"
    assert not [t for t in inbox(xingning, "hu.jun") if t["instance"]["id"] == drill["id"]]

    sweep(xingning, clock, "2026-01-02")
    assert len(opened(xingning)) == 3
    sweep(xingning, clock, "2027-01-01")
    assert {"drill:2027", "training:2027", "annual_report:2027"} <= set(opened(xingning))
    assert len(opened(xingning)) == 6


def test_rec_a_duty_the_service_missed_on_its_first_day_opens_later_in_its_window(xingning, clock):
    """Was the service down on 1 January: does the 5 January sweep still open this year's training,
    and nothing of the years before (REC-6)?"""
    sweep(xingning, clock, "2026-01-05")
    assert set(opened(xingning)) == {"drill:2026", "training:2026", "annual_report:2026"}


def test_rec_a_profile_without_the_duty_opens_nothing_of_it(api, clock):
    """Does the national profile, which states no drill, open none on 1 January, only its report?"""
    sweep(api, clock, "2026-01-01")
    assert set(opened(api)) == {"annual_report:2026"}
    sweep(api, clock, "2026-06-01")
    assert set(opened(api)) == {"annual_report:2026"}


@pytest.mark.parametrize(("profile", "due"), [("xingning", "2026-03-31"), ("national", "2026-01-31")])
def test_nat4_the_annual_report_lands_in_the_office_due_by_its_kind(
    api, api_for_profile, clock, profile, due
):
    """Is a local government's annual report due 31 March and a department's 31 January, in the
    office's inbox (NAT-4)?"""
    served = api if profile == "national" else api_for_profile(profile)
    sweep(served, clock, "2026-01-01")
    report = opened(served)["annual_report:2026"]
    (task,) = [t for t in inbox(served, "zhang.wei") if t["instance"]["id"] == report]
    assert due_day(task) == due and task["department"]["code"] == "office"


def test_nat4_stat3_hainan_30_march_does_not_loosen_its_31_january(api_for_profile, clock):
    """Is hainan-sasac's report, a department's, due 31 January, its annex's 30 March binding nothing
    (NAT-4, STAT-3)?"""
    hainan = api_for_profile("hainan-sasac")
    sweep(hainan, clock, "2026-01-05")
    report = case(hainan, opened(hainan)["annual_report:2026"])
    assert report["data"]["due_on"] == "2026-01-31"
    (task,) = [t for t in inbox(hainan, "zhang.wei") if t["instance"]["id"] == report["id"]]
    assert due_day(task) == "2026-01-31"


def test_rec4_stat1_a_reading_record_left_undone_is_late_in_the_statistics(wanzhou, clock):
    """Is a 7×24 reading record opened each day, due that day, counted as overdue while undone and
    as finished late when recorded two days on (REC-4, STAT-1)?"""
    sweep(wanzhou, clock, "2026-03-02")
    sweep(wanzhou, clock, "2026-03-03")
    record = opened(wanzhou)["reading_record:2026-03-02"]
    assert "reading_record:2026-03-03" in opened(wanzhou)
    clock.set(beijing("2026-03-04"))
    flows = {
        row["key"]: row
        for row in wanzhou.get("/statistics?period=2026-03&by=flow", "admin").get_json()["rows"]
    }
    assert flows["recurring_duty"]["overdue_now"] == 2

    (task,) = [t for t in inbox(wanzhou, "xu.ming") if t["instance"]["id"] == record]
    refused = wanzhou.post(
        f"/tasks/{task['id']}/complete",
        "xu.ming",
        {"data": {"done_on": "2026-03-04", "record_text": "已读网"}},
    )
    assert refused.status_code == 422 and "problems_found" in str(refused.get_json())
    done = wanzhou.post(
        f"/tasks/{task['id']}/complete",
        "xu.ming",
        {"data": {"done_on": "2026-03-04", "record_text": "已读网", "problems_found": "无"}},
    )
    assert done.status_code == 200, done.get_json()
    flows = {
        row["key"]: row
        for row in wanzhou.get("/statistics?period=2026-03&by=flow", "admin").get_json()["rows"]
    }
    assert flows["recurring_duty"]["late"] == 1 and flows["recurring_duty"]["overdue_now"] == 1
    assert case(wanzhou, record)["status"] == "completed"


def test_rec_each_occurrence_is_one_row(wanzhou, clock):
    """Do two sweeps on one day leave one row per occurrence (the unique key holds)?"""
    sweep(wanzhou, clock, "2026-03-02")
    sweep(wanzhou, clock, "2026-03-02")
    with wanzhou.client.application.app_context():
        from service.extensions import db

        counted = db.session.scalar(select(func.count()).select_from(ScheduledCase))
    assert counted == 2


def test_rec_nat4_the_profile_lists_its_kind_and_duties(api, wanzhou):
    """Does GET /profile say whether the agency is a department or a local government and list its
    duties with their schedule, department, rule IDs and article (REC-4, NAT-4)?"""
    national = api.get("/profile", "zhang.wei").get_json()
    assert national["agency_kind"] == "department"
    assert [d["key"] for d in national["duties"]] == ["annual_report"]
    body = wanzhou.get("/profile", "zhang.wei").get_json()
    assert body["agency_kind"] == "local_government"
    assert body["duties"][1] == {
        "key": "reading_record",
        "title": "7×24小时读网值班记录",
        "schedule": "每日（当日完成）",
        "department": "信息中心",
        "record": "reading",
        "rule": "REC-4",
        "source": "004 §21-§22",
    }
    assert body["duties"][0]["schedule"] == "每年1月1日起，3月31日前完成"

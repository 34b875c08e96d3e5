"""GET /api/v1/audit (ORG-4, issue 12): administrators read the audit log, newest first, filtered."""

from __future__ import annotations

import pytest

from .test_api_errors import assert_problem


def put_day(api, day, workday=False, note=""):
    response = api.call("PUT", f"/calendar/days/{day}", "admin", {"workday": workday, "note": note})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def logged(api, clock):
    """Three changes on three days: a day entered (2 March), a token made by 王芳 (3 March), the day corrected (4 March)."""
    put_day(api, "2031-05-01", note="劳动节")
    clock.advance(days=1)
    made = api.post("/tokens", "wang.fang", json={"name": "审计接口", "days": 5})
    assert made.status_code == 201
    clock.advance(days=1)
    put_day(api, "2031-05-01", workday=True, note="调休")


def test_org4_the_log_is_newest_first_with_who_what_and_before_after(api, logged):
    """Does an administrator see every entry newest first, with its actor, kind in words, target and states?"""
    body = api.get("/audit", "admin").get_json()
    assert body["total"] == 3 and body["page"] == 1
    newest = body["items"][0]
    assert (newest["kind"], newest["kind_label"]) == ("calendar_day_set", "录入日历日期")
    assert newest["actor"]["username"] == "admin" and newest["target_id"] == "2031-05-01"
    assert newest["before"] == {"workday": False, "note": "劳动节"} and newest["after"]["workday"] is True
    assert [item["at"][:10] for item in body["items"]] == ["2026-03-04", "2026-03-03", "2026-03-02"]
    assert set(body["items"][1]["after"]) == {"token", "name", "expires_at"}  # never the secret


def test_org4_the_log_is_filtered_by_person_kind_target_and_days(api, logged):
    """Do actor, kind, target and the date range each narrow the list, and paging split it?"""

    def kinds(query):
        return [item["kind"] for item in api.get(f"/audit?{query}", "admin").get_json()["items"]]

    assert kinds("actor=wang.fang") == ["token_created"]
    assert kinds("kind=calendar_day_set") == ["calendar_day_set", "calendar_day_set"]
    assert kinds("target_type=user&target_id=wang.fang") == ["token_created"]
    assert kinds("target_type=calendar_day&target_id=2031-05-02") == []
    assert kinds("from=2026-03-03&to=2026-03-03") == ["token_created"]
    assert kinds("from=2026-03-04") == ["calendar_day_set"]
    paged = api.get("/audit?per_page=2&page=2", "admin").get_json()
    assert (paged["total"], len(paged["items"]), paged["items"][0]["kind"]) == (3, 1, "calendar_day_set")


def test_org4_only_administrators_read_the_log(api, logged):
    """Is anyone but an administrator refused (403), even about their own acts?"""
    assert_problem(api.get("/audit", "wang.fang"), 403, "admin_only")
    assert_problem(api.get("/audit?actor=wang.fang", "zhou.qiang"), 403, "admin_only")
    assert api.get("/audit").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-03-05&to=2026-03-01", "to"),
        ("kind=" + "x" * 101, "kind"),
        ("actor=a%00b", "actor"),
        ("per_page=0", "per_page"),
    ],
)
def test_org4_a_filter_that_cannot_be_one_is_refused_naming_it(api, query, field):
    """Is a bad date, range, text or page size a 400 naming its parameter?"""
    assert_problem(api.get(f"/audit?{query}", "admin"), 400, "invalid_parameter", field)


def test_org4_case_history_is_in_the_log_with_its_case_and_whether_it_is_sealed(api, app):
    """Does GET /audit (issue 14) list a case's steps filtered by case and kind, each naming its case,
    task and source, unsealed until the chain is sealed and then with seq and hash?"""
    from service.services import audit_chain

    from .flows import register, start_disclosure

    case = start_disclosure(api)
    register(api, case["id"])
    start_disclosure(api)
    number = case["tracking_number"]
    body = api.get(f"/audit?case={number}&kind=task_completed", "admin").get_json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert (item["source"], item["tracking_number"], item["actor"]["username"]) == (
        "case_event",
        number,
        "zhang.wei",
    )
    assert item["task_id"] and item["sealed"] is False and item["seq"] is None
    with app.app_context():
        audit_chain.seal()
    items = api.get(f"/audit?case={number}", "admin").get_json()["items"]
    assert all(i["sealed"] and len(i["hash"]) == 64 for i in items)
    assert sorted(i["seq"] for i in items) == sorted({i["seq"] for i in items})
    assert api.get("/audit?from=2026-03-03", "admin").get_json()["total"] == 0

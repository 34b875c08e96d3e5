"""The column register through the API (COL-1..4): entries with their owner, interval and state,
edits guarded by version, last updates moved by publishing, reminders for stale columns and the
centre's closure, and opening a column by request. The clock starts Mon 2 Mar 2026."""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.column_fixtures import add, remove_columns
from tests.service.flows import act, open_task, view
from tests.service.test_api_errors import assert_problem
from tests.service.test_deadlines import sweep
from tests.service.test_publishing_api import draft, to_publish
from tests.unit.test_publishing_flow import DRAFT


@pytest.fixture(autouse=True)
def _no_columns(app):
    remove_columns(app)
    yield
    remove_columns(app)


def column(api, column_id, user="xu.ming"):
    return api.get(f"/columns/{column_id}", user).get_json()


def test_col1_col3_a_column_round_trips_and_a_stale_version_gets_409(api):
    """Does the centre register a column with one owner and its kind's interval, and is an edit made on an old version refused (COL-1, COL-3)?"""
    made = add(api)
    assert (made["department"]["code"], made["interval"]["label"], made["state"]) == (
        "planning",
        "14日",
        "empty",
    )
    assert made["status"] == "open" and made["opened_on"] == "2026-03-02" and made["last_update"] is None
    edit = {**made, "department": "planning", "name": "工作动态（改）", "last_update": "2026-03-01"}
    changed = api.call("PUT", f"/columns/{made['id']}", "xu.ming", json=edit)
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["name"], changed.get_json()["state"]) == ("工作动态（改）", "fresh")
    stale = api.call("PUT", f"/columns/{made['id']}", "xu.ming", json={**edit, "name": "又改"})
    assert_problem(stale, 409, "concurrent_modification")
    assert column(api, made["id"])["name"] == "工作动态（改）"


def test_col1_the_register_is_kept_by_the_centre_and_bad_input_names_the_field(api):
    """May a department officer not register columns, and is a looser interval or a taken path refused naming its field (COL-1, COL-3)?"""
    assert_problem(api.post("/columns", "wang.fang", {"name": "x"}), 403, "columns_forbidden")
    add(api)
    assert_problem(
        api.post(
            "/columns",
            "xu.ming",
            {"name": "重复", "path": "/xwzx/gzdt", "level": 1, "kind": "news", "department": "planning"},
        ),
        409,
        "path_taken",
        "path",
    )
    looser = {
        "name": "通知",
        "path": "/tzgg",
        "level": 1,
        "kind": "notice",
        "department": "office",
        "interval_days": 400,
    }
    body = assert_problem(api.post("/columns", "admin", looser), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["interval_days"]
    stricter = add(api, "admin", **{**looser, "interval_days": 90})
    assert (stricter["interval"]["label"], stricter["default_interval"]["label"]) == ("90日", "6个月")


def test_col4_publishing_an_item_in_a_column_moves_its_last_update(api, clock):
    """When an item for 工作动态 is published on 3 Mar, does the column's last update become 3 Mar (COL-4)?"""
    made = add(api)
    case = to_publish(api, draft(api, clock, DRAFT))
    act(
        api,
        case,
        "publish",
        "xu.ming",
        {"published_on": "2026-03-03", "published_url": "https://example.gov.cn/1.html"},
    )
    after = column(api, made["id"])
    assert (after["last_update"], after["state"]) == ("2026-03-03", "fresh")


def _stale_news(api, clock):
    """A news column last updated 1 Mar; on Wed 18 Mar it is past its 14 days."""
    made = add(api, last_update="2026-03-01")
    clock.set("2026-03-18T01:00:00+00:00")
    return made


def _reminder(app, made):
    from service.services import scheduled

    with app.app_context():
        found = scheduled.case_of("column", f"column:{made['id']}:{made['last_update']}")
        return found.id if found else None


def test_col4_a_stale_column_gets_one_reminder_in_its_departments_inbox(app, api, clock):
    """Does a column past its interval get a reminder case once (two sweeps), in the responsible department's inbox (COL-4)?"""
    made = _stale_news(api, clock)
    sweep(app, "2026-03-18T01:00:00+00:00")
    sweep(app, "2026-03-18T01:05:00+00:00")
    case_id = _reminder(app, made)
    assert case_id is not None
    rows = api.get("/tasks?scope=actionable", "wang.fang").get_json()["items"]
    reminders = [r for r in rows if r["task_spec"] == "update_column"]
    assert [r["instance"]["id"] for r in reminders] == [case_id]
    assert column(api, made["id"])["stale_since"] == "2026-03-16"


def test_col4_still_stale_after_the_reminder_goes_to_the_centre_to_close(app, api, clock):
    """Still stale when the reminder's 5 working days pass, does the case go on to the centre, which closes the column (COL-4)?"""
    made = _stale_news(api, clock)
    sweep(app, "2026-03-18T01:00:00+00:00")
    case_id = _reminder(app, made)
    clock.set("2026-03-26T01:00:00+00:00")
    sweep(app, "2026-03-26T01:00:00+00:00")  # due Wed 25 Mar, counted from 18 Mar
    task = open_task(api, case_id)
    assert (task["task_spec"], task["department"]["code"]) == ("decide_closure", "info_center")
    flows.complete(api, task["id"], "xu.ming", {"closure": "close", "closure_reason": "长期未更新"})
    after = column(api, made["id"])
    assert (after["status"], after["closed_on"]) == ("closed", "2026-03-26")


def test_col4_a_column_updated_meanwhile_ends_its_reminder_without_closure(app, api, clock):
    """When the column is updated before the reminder's deadline, does the reminder end by itself and no closure task come (COL-4)?"""
    made = _stale_news(api, clock)
    sweep(app, "2026-03-18T01:00:00+00:00")
    case_id = _reminder(app, made)
    current = column(api, made["id"])
    updated = api.call(
        "PUT",
        f"/columns/{made['id']}",
        "xu.ming",
        json={**current, "department": "planning", "last_update": "2026-03-18"},
    )
    assert updated.status_code == 200, updated.get_json()
    assert view(api, case_id)["status"] == "completed"
    sweep(app, "2026-03-26T01:00:00+00:00")
    assert view(api, case_id)["open_tasks"] == []
    assert column(api, made["id"])["status"] == "open"


def test_col2_col1_a_request_opens_a_column_with_the_centres_path_interval_and_owner(api):
    """Does an approved request open the column with the path, interval and owner the centre gave, after the office settles a dispute (COL-2, COL-1)?"""
    request = {
        "request_action": "open",
        "column_name": "城市更新专题",
        "path_wish": "/ztzl/csgx",
        "column_level": 2,
        "column_kind": "hot_topic",
        "content_plan": "规划处每周报送",
        "request_reason": "全年重点工作",
    }
    case = flows.start(api, "column_request", "wang.fang", request)
    case = act(api, case, "answer_request", "xu.ming", {"decision": "dispute"})
    case = act(api, case, "decide_owner", "li.na", {"office_owner": "planning", "ruling": "由规划处负责"})
    answer = {"decision": "approve", "column_path": "/ztzl/csgx2026", "interval_days": 5, "owner": "finance"}
    case = act(api, case, "answer_request", "xu.ming", answer)
    assert case["status"] == "completed"
    (made,) = api.get("/columns", "wang.fang").get_json()["items"]
    assert (made["path"], made["interval"]["label"], made["department"]["code"]) == (
        "/ztzl/csgx2026",
        "5日",
        "planning",
    )


def test_nat7_a_message_open_more_than_three_months_fails_the_risk_report(api, clock):
    """Does a letter still open on 3 Jun, received 2 Mar, fail the unanswered-messages line, and not on 2 Jun (NAT-7)?"""
    from tests.service.test_mailbox_api import START

    letter = flows.start(api, "mailbox", "xu.ming", {**START, "received_on": "2026-03-02"})
    clock.set("2026-06-02T01:00:00+00:00")
    line = {x["key"]: x for x in api.get("/columns/risk", "zhang.wei").get_json()["lines"]}["unanswered"]
    assert (line["count"], line["failed"]) == (0, False)
    clock.set("2026-06-03T01:00:00+00:00")
    report = api.get("/columns/risk", "zhang.wei").get_json()
    line = {x["key"]: x for x in report["lines"]}["unanswered"]
    assert (line["count"], line["failed"], line["names"]) == (1, True, [letter["tracking_number"]])
    assert report["failed"] is True
    assert_problem(api.get("/columns/risk", "wang.fang"), 403, "columns_forbidden")


def test_col4_publishing_in_a_stale_column_ends_its_reminder(app, api, clock):
    """When an item is published in a column whose reminder is open, does the reminder end as updated (COL-4)?"""
    made = _stale_news(api, clock)
    sweep(app, "2026-03-18T01:00:00+00:00")
    case_id = _reminder(app, made)
    item = {**DRAFT, "column": "/xwzx/gzdt", "formed_on": "2026-03-18"}
    case = to_publish(api, flows.start(api, "publishing", "wang.fang", item))
    act(
        api,
        case,
        "publish",
        "xu.ming",
        {"published_on": "2026-03-18", "published_url": "https://example.gov.cn/2.html"},
    )
    reminder = view(api, case_id)
    assert reminder["status"] == "completed" and reminder["open_tasks"] == []
    assert column(api, made["id"])["last_update"] == "2026-03-18"

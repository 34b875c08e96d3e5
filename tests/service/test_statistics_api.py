"""GET /api/v1/statistics and /statistics.xlsx (issue 14, STAT-1): the figures of a period by department
and by flow, checked against a hand count.

national profile, 2026. Five cases, all owned by 规划处 once registered or dispatched:

- A, B, C: disclosure requests received Mon 2 Mar 09:00, due Mon 30 Mar 24:00 (REQ-2), replied Fri
  27 Mar (on time, 19 working days after receipt), Tue 31 Mar (1 working day late, 21) and Thu 2 Apr
  (3 working days late: 31 Mar, 1 and 2 Apr; 23).
- D: a disclosure request received the same day and never answered: raised (督办 level 1) as its
  deadline passes, at 24:00 on 30 Mar, which is Tue 31 Mar in Beijing; still open and overdue.
- E: a letter to the mailbox received Mon 27 Apr, dispatched Wed 29 Apr and answered Thu 30 Apr
  (on time; 3 working days: 28, 29, 30 Apr).

The report is read on Mon 11 May: D is the one case open, and overdue.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.service import flows
from tests.service.test_api_errors import assert_problem
from tests.service.test_deadline_outcome import registered, replied
from tests.service.test_deadlines import history, sweep
from tests.service.test_mailbox_api import REPLY, dispatched

READ_AT = "2026-05-11T02:00:00+00:00"
ZERO = {
    "received": 0,
    "finished": 0,
    "on_time": 0,
    "late": 0,
    "late_days_total": 0,
    "late_days_max": 0,
    "open_now": 0,
    "overdue_now": 0,
    "escalations": 0,
    "median_days": None,
    "p90_days": None,
}


def figures(
    received, finished, on_time, late, late_total, late_max, open_, overdue, escalations, median, p90
):
    return {
        "received": received,
        "finished": finished,
        "on_time": on_time,
        "late": late,
        "late_days_total": late_total,
        "late_days_max": late_max,
        "open_now": open_,
        "overdue_now": overdue,
        "escalations": escalations,
        "median_days": median,
        "p90_days": p90,
    }


# Hand counts. March: received A-D; finished A (19 days) and B (21, 1 late); D raised on 31 Mar.
MARCH = figures(4, 2, 1, 1, 1, 1, 1, 1, 1, 20.0, 21)
# Q2: received E; finished C (23, 3 late) and E (3, on time); median of 3 and 23, nearest-rank 90 % = 23.
SECOND_QUARTER = figures(1, 2, 1, 1, 3, 3, 1, 1, 0, 13.0, 23)
# The year by flow: disclosure A, B, C finished (19, 21, 23; 1 and 3 late), D open and raised.
YEAR_DISCLOSURE = figures(4, 3, 1, 2, 4, 3, 1, 1, 1, 21.0, 23)
YEAR_MAILBOX = figures(1, 1, 1, 0, 0, 0, 0, 0, 0, 3.0, 3)
YEAR_TOTAL = figures(5, 4, 2, 2, 4, 3, 1, 1, 1, 20.0, 23)
# 28 Mar to 2 Apr: nothing received; B and C finished late (21, 23); D raised on 31 Mar.
RANGE = figures(0, 2, 0, 2, 4, 3, 1, 1, 1, 22.0, 23)


@pytest.fixture
def five_cases(app, api, clock):
    for sent_at in ("2026-03-27T02:00:00+00:00", "2026-03-31T02:00:00+00:00", "2026-04-02T02:00:00+00:00"):
        assert replied(api, clock, sent_at)["status"] == "completed"
    open_case = registered(api, clock)
    sweep(app, "2026-03-30T16:00:00+00:00")
    assert [e["level"] for e in history(app, open_case["id"], "escalated")] == [1]
    letter = dispatched(api, clock)
    clock.set("2026-04-30T02:00:00+00:00")
    flows.act(api, letter, "draft_reply", "wang.fang", REPLY)
    flows.act(api, letter, "review_reply", "liu.yang", {"review_decision": "approve"})
    done = flows.act(
        api,
        letter,
        "publish_reply",
        "xu.ming",
        {"publish_scope": "writer_only", "published_on": "2026-04-30"},
    )
    assert done["status"] == "completed"
    clock.set(READ_AT)


def table(api, user, period, by="department"):
    response = api.get(f"/statistics?period={period}&by={by}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def rows_of(found) -> dict:
    return {row["key"]: {k: v for k, v in row.items() if k not in ("key", "name")} for row in found["rows"]}


def test_stat1_march_by_department_counts_each_figure_for_planning_alone(api, five_cases):
    """In March, does 规划处 show 4 received, 2 finished (1 on time, 1 a working day late), D open, overdue and raised once, handling 20 / 21 working days, and every other department nothing?"""
    found = table(api, "zhang.wei", "2026-03")
    assert found["period"] == {
        "text": "2026-03",
        "label": "2026年3月",
        "from": "2026-03-01",
        "to": "2026-03-31",
    }
    assert found["by"] == "department" and found["generated_at"] == READ_AT
    rows = rows_of(found)
    assert rows.pop("planning") == MARCH
    assert set(rows) >= {"office", "petition", "legal"} and all(r == ZERO for r in rows.values())
    assert found["total"] == MARCH


def test_stat1_the_second_quarter_holds_the_late_april_reply_and_the_letter(api, five_cases):
    """In Q2, is C counted as finished 3 working days late and the letter as finished on time, with D still open?"""
    found = table(api, "admin", "2026-Q2")
    assert found["period"]["label"] == "2026年第2季度"
    assert rows_of(found)["planning"] == SECOND_QUARTER == found["total"]


def test_stat1_the_year_by_flow_separates_disclosure_from_the_mailbox(api, five_cases):
    """Over 2026 by flow, do 依申请公开 and 领导信箱 each get their own figures and the total its own median?"""
    found = table(api, "zhou.qiang", "2026", by="flow")
    rows = rows_of(found)
    assert rows.pop("disclosure_request") == YEAR_DISCLOSURE
    assert rows.pop("mailbox") == YEAR_MAILBOX
    assert all(r == ZERO for r in rows.values())
    assert found["total"] == YEAR_TOTAL


def test_stat1_a_custom_range_counts_only_its_days(api, five_cases):
    """From 28 Mar to 2 Apr, are only B and C finished (both late) and D's escalation on 31 Mar counted?"""
    found = table(api, "admin", "2026-03-28..2026-04-02")
    assert found["period"]["label"] == "2026-03-28至2026-04-02"
    assert found["total"] == RANGE


def test_stat1_leaders_see_the_departments_they_oversee_and_staff_see_nothing(api, five_cases):
    """Does 赵磊 see 规划处 among his four departments, 孙丽 only hers with none of these cases, and 王芳 get 403?"""
    zhao = table(api, "zhao.lei", "2026-03")
    assert [r["key"] for r in zhao["rows"]] == ["office", "secrecy", "info_center", "planning"]
    assert zhao["total"] == MARCH
    sun = table(api, "sun.li", "2026-03")
    assert [r["key"] for r in sun["rows"]] == ["petition", "legal", "finance"]
    assert sun["total"] == ZERO
    for path in ("/statistics?period=2026-03", "/statistics.xlsx?period=2026-03"):
        assert_problem(api.get(path, "wang.fang"), 403, "statistics_forbidden")


@pytest.mark.parametrize("period", ["", "2026-13", "2026-Q5", "1999", "2026-03-10..2026-03-01", "march"])
def test_a_period_that_names_none_is_refused_naming_the_parameter(api, period):
    """Is a missing or malformed period a 400 naming `period`, never a report of nothing?"""
    response = api.get(f"/statistics?period={period}", "admin")
    assert_problem(response, 400, "invalid_parameter")
    assert response.get_json()["field"] == "period"


def test_stat1_the_workbook_holds_both_tables_with_the_same_numbers(api, five_cases):
    """Does the .xlsx open with one sheet per table, the period and time of export on top, Chinese headings and the API's numbers?"""
    response = api.get("/statistics.xlsx?period=2026-03", "li.na")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["按处室", "按流程", "每周发布"]
    sheet = book["按处室"]
    assert [sheet["A2"].value, sheet["B2"].value] == ["统计时段", "2026年3月"]
    assert sheet["A3"].value == "导出时间" and sheet["B3"].value.startswith("2026-05-11 10:00")
    headings = [c.value for c in sheet[4]]
    assert headings[:4] == ["处室", "受理数", "办结数", "按期办结"]
    by_name = {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert by_name["规划处"] == list(MARCH.values())
    assert by_name["合计"] == list(MARCH.values())
    assert by_name["办公室"] == list(ZERO.values())
    flows_sheet = {row[0]: list(row[1:]) for row in book["按流程"].iter_rows(min_row=5, values_only=True)}
    json_rows = {r["name"]: r for r in table(api, "li.na", "2026-03", by="flow")["rows"]}
    for name, row in json_rows.items():
        assert flows_sheet[name] == [row[k] for k in MARCH]

"""The annual disclosure report (STAT-3, NAT-3, NAT-4) through GET /api/v1/reports/disclosure and its
workbook, checked against a hand count of a year of requests driven through the real service.

national profile. Requests, all owned by 规划处, answered by the office the day they are replied:

received in 2025 (before the report's year)
- P1 自然人, received 3 Nov 2025, answered 15 Jan 2026 予以公开 → 上年结转, 予以公开
- P2 商业企业, received 1 Dec 2025, answered 19 Dec 2025 予以公开 → in 2025's report only
- P3 科研机构, received 10 Dec 2025, never answered → 上年结转, 结转下年度
received in 2026
- A 自然人 已主动公开 (→ 予以公开); B 自然人 不予公开·国家秘密; C 法律服务机构 部分公开;
  D 商业企业 无法提供·没有现成信息需要另行制作; E 社会公益组织 不予处理·重复申请;
  H 其他组织 其他处理·逾期未缴费 (all received 2 Mar, answered 16 Mar)
- F 自然人: told to correct, never did → 其他处理·逾期不补正 (the abandoned end)
- G 自然人: a complaint, routed to 信访处 → 不予处理·信访举报投诉类 (the returned end)
- I 自然人: withdrawn by the applicant (cancelled 1 Jun) → 其他处理·其他
- J 自然人, received 21 Dec 2026, open at the year's end → 结转下年度
- K 商业企业, received 28 Dec 2026, answered 5 Jan 2027 → 结转下年度

The report is read on 11 Jan 2027.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.service import flows
from tests.service.flows import START, act
from tests.service.pages import logged_in, reset_password
from tests.service.test_api_errors import assert_problem
from tests.service.test_statistics_weekly import published

ORGANISATION = {
    **{k: v for k, v in START.items() if k not in ("id_type", "id_number")},
    "applicant_type": "organisation",
    "organisation_name": "某某单位",
}
COLUMNS = ("person", "business", "research", "public_interest", "legal_service", "other", "total")
READ_AT = "2027-01-11T02:00:00+00:00"


def at(clock, day: str) -> None:
    clock.set(f"{day}T02:00:00+00:00")  # 10:00 in Beijing


def received(api, clock, day, kind=None, decision="accept"):
    """A request received and registered on `day`: from a citizen, or an organisation of `kind`."""
    at(clock, day)
    data = START if kind is None else {**ORGANISATION, "organisation_kind": kind}
    case = flows.start(api, "disclosure_request", "zhang.wei", data)
    register = {"owning_department": "planning", "received_on": day, "registration_decision": decision}
    return act(api, case, "register", "zhang.wei", register)


def answered(api, clock, case, day, draft):
    """Drafted with `draft` (category and reason), approved and sent on `day`."""
    at(clock, day)
    act(
        api, case, "draft_reply", "wang.fang", {"draft_action": "submit", "reply_text": "答复如下。", **draft}
    )
    act(api, case, "section_review", "liu.yang", {"section_decision": "approve"})
    act(api, case, "office_approval", "li.na", {"office_decision": "approve"})
    done = act(api, case, "send_reply", "zhang.wei", {"sent_via": "online", "sent_on": day})
    assert done["status"] == "completed"
    return done


DISCLOSED = {"category": "disclosed"}


@pytest.fixture
def year_of_requests(api, clock):
    p1 = received(api, clock, "2025-11-03")
    p2 = received(api, clock, "2025-12-01", "business")
    answered(api, clock, p2, "2025-12-19", DISCLOSED)
    received(api, clock, "2025-12-10", "research")
    answered(api, clock, p1, "2026-01-15", DISCLOSED)
    drafts = [
        (None, {"category": "already_public"}),
        (None, {"category": "withheld", "withheld_reason": "state_secret"}),
        ("legal_service", {"category": "partly_disclosed"}),
        ("business", {"category": "not_held", "unable_reason": "needs_compilation"}),
        ("public_interest", {"category": "not_processed", "not_processed_reason": "repeated"}),
        ("other", {"category": "other", "other_reason": "unpaid"}),
    ]
    cases = [(received(api, clock, "2026-03-02", kind), draft) for kind, draft in drafts]
    for case, draft in cases:
        answered(api, clock, case, "2026-03-16", draft)
    _abandoned(api, clock)
    _petition(api, clock)
    _withdrawn(api, clock)
    received(api, clock, "2026-12-21")
    late = received(api, clock, "2026-12-28", "business")
    answered(api, clock, late, "2027-01-05", DISCLOSED)
    at(clock, READ_AT[:10])


def _abandoned(api, clock):
    case = received(api, clock, "2026-04-01", decision="correction")
    notice = {
        "correction_items": "请写明年份",
        "correction_due_on": "2026-04-15",
        "correction_sent_on": "2026-04-01",
    }
    act(api, case, "correction_notice", "zhang.wei", notice)
    at(clock, "2026-04-20")
    done = act(api, case, "await_correction", "zhang.wei", {"correction_result": "not_corrected"})
    assert done["status"] == "completed"


def _petition(api, clock):
    case = received(api, clock, "2026-05-06", decision="petition")
    done = act(api, case, "transfer_to_petition", "hu.jun", {"petition_case_number": "XF-2026-000123"})
    assert done["status"] == "completed"


def _withdrawn(api, clock):
    case = received(api, clock, "2026-05-20")
    at(clock, "2026-06-01")
    body = {"reason": "申请人来电撤回申请", "withdrawn": True}
    assert api.post(f"/process-instances/{case['id']}/cancel", "admin", body).status_code == 200


def row(**cells: int) -> dict[str, int]:
    """A row of the request table: the cells named, zeros elsewhere, and its 总计."""
    full = {key: cells.get(key, 0) for key in COLUMNS[:-1]}
    return {**full, "total": sum(full.values())}


# Hand counts of 2026 (see the module docstring).
EXPECTED_2026 = {
    "new": row(person=6, business=2, public_interest=1, legal_service=1, other=1),
    "carried_over": row(person=1, research=1),
    "disclosed": row(person=2),  # P1, A (already public counts here)
    "partly_disclosed": row(legal_service=1),
    "withheld.state_secret": row(person=1),
    "not_held.needs_compilation": row(business=1),
    "not_processed.repeated": row(public_interest=1),
    "not_processed.petition_complaint": row(person=1),
    "other.not_corrected": row(person=1),
    "other.unpaid": row(other=1),
    "other.other": row(person=1),  # I, withdrawn
    "handled": row(person=6, business=1, public_interest=1, legal_service=1, other=1),
    "carried_forward": row(person=1, business=1, research=1),  # J, K, P3
}


def request_table(body) -> dict[str, dict[str, int]]:
    return {r["key"]: r["counts"] for r in body["requests"]["rows"] if r["counts"] is not None}


def test_nat3_stat3_does_the_request_table_hold_the_hand_count_of_the_year(api, year_of_requests):
    """Is every cell of 2026's request table the hand count, and does 新收 + 上年结转 = 办理结果总计 +
    结转下年度 hold in every column (NAT-3, STAT-3)?"""
    response = api.get("/reports/disclosure?year=2026", "zhang.wei")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    table = request_table(body)
    zero = row()
    for key, counts in table.items():
        assert counts == EXPECTED_2026.get(key, zero), key
    assert body["requests"]["identity_holds"] and body["requests"]["broken_columns"] == []
    for column in COLUMNS:
        left = table["new"][column] + table["carried_over"][column]
        assert left == table["handled"][column] + table["carried_forward"][column], column
    assert body["year"] == 2026 and body["requests"]["unclassified"] == 0


def test_nat3_is_what_2025_carries_forward_what_2026_carries_over(api, year_of_requests):
    """Does the previous year's report count P1, P2, P3 as new, P2 as handled, and carry forward
    exactly what 2026 carries over (NAT-3)?"""
    table = request_table(api.get("/reports/disclosure?year=2025", "admin").get_json())
    assert table["new"] == row(person=1, business=1, research=1)
    assert table["carried_over"] == row() and table["disclosed"] == row(business=1)
    assert table["carried_forward"] == EXPECTED_2026["carried_over"] == row(person=1, research=1)


def test_stat3_are_items_published_in_the_year_counted_by_type(api, clock):
    """Does 二、主动公开 count the items the publishing flow published in the year, by type, and
    leave out one published the year before (STAT-3)?"""
    published(api, clock, "wang.fang", "liu.yang", "2025-12-30", True)
    published(api, clock, "wang.fang", "liu.yang", "2026-03-02", True)
    published(api, clock, "zhang.wei", "li.na", "2026-03-10", False)  # out, not yet checked: counted
    body = api.get("/reports/disclosure?year=2026", "admin").get_json()
    assert body["published"] == {
        "items": [{"item_type": "news", "label": "新闻动态", "count": 2}],
        "total": 2,
    }


def test_stat3_is_the_report_refused_to_anyone_who_does_not_see_every_department(api):
    """Is the report (and its entering) refused with 403 to an officer, and the report to a leader in
    charge of some departments, while a principal leader reads it but may not enter (STAT-3)?"""
    for user in ("wang.fang", "sun.li"):
        assert_problem(api.get("/reports/disclosure?year=2026", user), 403, "report_forbidden")
    assert api.get("/reports/disclosure?year=2026", "zhou.qiang").status_code == 200
    body = {"values": {"rules_issued": 1}, "versions": {}}
    for user in ("wang.fang", "zhou.qiang"):
        refused = api.call("PUT", "/reports/disclosure/entries?year=2026", user, body)
        assert_problem(refused, 403, "report_entry_forbidden")


def test_stat3_is_a_missing_or_bad_year_a_400_naming_it(api):
    """Is a missing or malformed year answered 400 naming `year`?"""
    for query in ("", "?year=26", "?year=2026-03", "?year=abcd"):
        response = api.get(f"/reports/disclosure{query}", "admin")
        assert_problem(response, 400, "invalid_parameter")
        assert response.get_json()["field"] == "year"


def put(api, user, values, versions):
    return api.call(
        "PUT", "/reports/disclosure/entries?year=2026", user, {"values": values, "versions": versions}
    )


def test_nat4_stat3_do_entered_figures_round_trip_with_an_audit_entry_and_computed_totals(api):
    """Are the office's figures and texts stored per year and cell, read back by the report with the
    appeal totals computed, and recorded in the audit log (STAT-3, NAT-4)?"""
    values = {"rules_issued": 3, "review_upheld": 2, "review_corrected": "1", "fees_yuan": 12345}
    values["problems"] = "<b>依申请公开答复质量有待提高</b>"
    stored = put(api, "zhang.wei", values, {})
    assert stored.status_code == 200, stored.get_json()
    body = api.get("/reports/disclosure?year=2026", "zhou.qiang").get_json()["entered"]
    assert body["numbers"]["rules_issued"] == 3 and body["numbers"]["review_corrected"] == 1
    assert body["numbers"]["rules_repealed"] is None and body["texts"]["problems"] == values["problems"]
    assert body["appeal_totals"] == {"review": 3, "direct": 0, "after_review": 0}
    assert body["versions"]["rules_issued"] == 1 and body["last_entered_by"] == "张伟"
    assert (
        api.get("/reports/disclosure?year=2025", "admin").get_json()["entered"]["numbers"]["rules_issued"]
        is None
    )
    log = api.get("/audit?kind=disclosure_report_entered", "admin").get_json()["items"]
    assert len(log) == 1 and "录入2026年政府信息公开年报" in log[0]["summary"]


def test_stat3_is_a_bad_figure_a_422_naming_each_cell_and_nothing_stored(api):
    """Is a negative, fractional or non-numeric figure refused 422, each cell named with a Chinese
    message, and nothing stored (STAT-3)?"""
    refused = put(
        api, "admin", {"rules_issued": -1, "penalty_decisions": "2.5", "nonsense": 1, "review_other": 4}, {}
    )
    assert_problem(refused, 422, "validation_failed")
    fields = {e["field"]: e["message"] for e in refused.get_json()["errors"]}
    assert set(fields) == {"rules_issued", "penalty_decisions", "nonsense"}
    assert "不小于0的整数" in fields["rules_issued"]
    assert (
        api.get("/reports/disclosure?year=2026", "admin").get_json()["entered"]["numbers"]["review_other"]
        is None
    )


def test_stat3_is_a_change_to_a_cell_changed_meanwhile_a_409(api):
    """Does entering a cell against a version someone else has replaced answer 409, keeping theirs
    (STAT-3)?"""
    assert put(api, "zhang.wei", {"licensing_decisions": 10}, {}).status_code == 200
    assert put(api, "admin", {"licensing_decisions": 12}, {"licensing_decisions": 1}).status_code == 200
    stale = put(api, "zhang.wei", {"licensing_decisions": 11}, {"licensing_decisions": 1})
    assert_problem(stale, 409, "concurrent_modification")
    numbers = api.get("/reports/disclosure?year=2026", "admin").get_json()["entered"]["numbers"]
    assert numbers["licensing_decisions"] == 12


def reader(app, demo_passwords, username="zhang.wei"):
    """`username` logged in on 11 Jan 2027, their password renewed then (it would have expired)."""
    demo_passwords.append(username)
    reset_password(app, username)
    return logged_in(app, username)


def test_stat3_does_the_workbook_hold_the_same_numbers(app, demo_passwords, year_of_requests):
    """Does /stats/disclosure-report.xlsx open with openpyxl, one sheet per section with the year and
    the export time on top, its request table the same numbers as the API (STAT-3)?"""
    response = reader(app, demo_passwords).get("/stats/disclosure-report.xlsx?year=2026")
    assert response.status_code == 200, response.headers.get("Location")
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼", "五六、问题与其他"]
    sheet = book["三、依申请公开"]
    assert (
        sheet["A2"].value == "报告年度" and sheet["B2"].value == "2026年" and sheet["A3"].value == "导出时间"
    )
    rows = {r[0].strip("　"): list(r[1:8]) for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["一、本年新收政府信息公开申请数量"] == list(EXPECTED_2026["new"].values())
    assert rows["（七）总计"] == list(EXPECTED_2026["handled"].values())
    assert rows["四、结转下年度继续办理"] == list(EXPECTED_2026["carried_forward"].values())
    assert rows["1.属于国家秘密"] == list(EXPECTED_2026["withheld.state_secret"].values())

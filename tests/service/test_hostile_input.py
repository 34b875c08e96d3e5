"""Text and numbers that cannot break a case: refused clearly, nothing stored, the case readable after."""

from __future__ import annotations

import json

import pytest

from tests.service import flows
from tests.service.flows import START, open_task, register, start_disclosure, view
from tests.service.test_api_errors import assert_problem
from tests.unit.test_error_report_flow import START as REPORT
from tests.unit.test_publishing_flow import DRAFT
from tests.unit.test_survey_flow import START as SURVEY

LONE_SURROGATE = "\ud800"


def raw_post(api, path, user, body, method="POST"):
    """Send JSON as a client would, escapes and all (the stdlib writes a lone surrogate as \\ud800)."""
    return api.call(method, path, user, data=json.dumps(body), content_type="application/json")


def test_a_transfer_reason_with_a_lone_surrogate_is_refused_and_the_case_stays_readable(api):
    """Does a 转办 reason holding \\ud800 get a 422 naming `reason`, leaving the case readable for everyone?"""
    case = start_disclosure(api)
    register(api, case["id"])
    task = open_task(api, case["id"])
    body = {"department": "legal", "reason": f"转办{LONE_SURROGATE}"}
    refused = assert_problem(
        raw_post(api, f"/tasks/{task['id']}/transfer", "wang.fang", body), 422, "validation_failed", "reason"
    )
    assert "无效的 Unicode" in refused["errors"][0]["message"]
    for user in ("admin", "wang.fang"):
        assert api.get(f"/process-instances/{case['id']}", user).status_code == 200
    assert open_task(api, case["id"])["department"]["code"] == "planning"


@pytest.mark.parametrize("bad", ["王\x00小明", f"王{LONE_SURROGATE}"])
def test_a_form_field_with_nul_or_a_lone_surrogate_is_refused_by_name(api, app, bad):
    """Is an applicant name holding a NUL byte or a lone surrogate a 422 naming it, with no case made?"""
    response = raw_post(
        api,
        "/process-definitions/disclosure_request/instances",
        "zhang.wei",
        {"data": {**START, "applicant_name": bad}},
    )
    assert_problem(response, 422, "validation_failed", "applicant_name")
    assert api.get("/tasks?scope=department", "zhang.wei").get_json()["total"] == 0


def test_word_list_terms_and_calendar_notes_refuse_unstorable_text(api):
    """Are a 错敏 term and a calendar note with NUL or \\ud800 refused with 422, nothing stored?"""
    term = {"text": f"错{LONE_SURROGATE}词", "category": "测试", "severity": "minor"}
    assert_problem(raw_post(api, "/screening/terms", "admin", term), 422, "validation_failed", "text")
    assert api.get("/screening/terms?q=错", "admin").get_json()["items"] == [] or all(
        "\ud800" not in t["text"] for t in api.get("/screening/terms?q=错", "admin").get_json()["items"]
    )
    note = raw_post(api, "/calendar/days/2027-02-05", "admin", {"workday": False, "note": "春节\x00"}, "PUT")
    assert_problem(note, 422, "validation_failed", "note")
    assert api.get("/calendar/2027", "admin").get_json()["entered_days"] == []


@pytest.mark.parametrize(
    "path",
    ["/tasks/2147483648", "/tasks/99999999999999999999", "/process-instances/2147483648", "/tasks/0"],
)
def test_ids_beyond_the_databases_range_are_404(api, path):
    """Does an id no row can have get 404 rather than a database error?"""
    assert_problem(api.get(path, "admin"), 404, "task_not_found" if "tasks" in path else "instance_not_found")


def test_ids_beyond_range_are_404_on_changes_too(api):
    """Claiming, completing or changing an impossible id: 404 each time?"""
    assert_problem(api.post("/tasks/2147483648/claim", "admin"), 404, "task_not_found")
    assert_problem(api.post("/notifications/2147483648/read", "admin"), 404, "notification_not_found")
    assert_problem(api.call("DELETE", "/screening/terms/2147483648", "admin"), 404, "term_not_found")


@pytest.mark.parametrize("levels", [40, 100_000])
def test_json_nested_too_deep_is_400(api, levels):
    """Is a body nested deeper than 32 levels refused with 400, whether the parser copes or not?"""
    body = '{"data": ' + "[" * levels + "]" * levels + "}"
    response = api.call(
        "POST",
        "/process-definitions/disclosure_request/instances",
        "zhang.wei",
        data=body,
        content_type="application/json",
    )
    assert_problem(response, 400, "body_too_deep", "body")


@pytest.mark.parametrize("query", ["page=²", "page=١", "per_page=%EF%BC%91", "page=-1"])
def test_page_numbers_take_ascii_digits_only(api, query):
    """Is page=² (a digit to str.isdigit, not to int) a 400 naming the parameter?"""
    name = query.split("=")[0]
    assert_problem(api.get(f"/tasks?{query}", "admin"), 400, "invalid_parameter", name)
    assert_problem(api.get(f"/screening/terms?{query}", "admin"), 400, "invalid_parameter", name)


def test_a_nul_in_a_query_is_400(api):
    """Is q=%00 refused before it reaches the database?"""
    assert_problem(api.get("/screening/terms?q=%00", "admin"), 400, "invalid_parameter", "q")
    assert_problem(api.get("/tasks?scope=%00", "admin"), 400, "invalid_parameter", "scope")


@pytest.mark.parametrize(
    ("received_on", "code"),
    [
        ("9999-12-31", "too_late"),
        ("0001-01-01", "too_early"),
        ("1999-12-31", "too_early"),
        ("2026-03-03", "too_late"),
    ],
)
def test_a_receipt_date_lies_between_2000_and_today(api, received_on, code):
    """Is a receipt date far off, or tomorrow, a 422 naming it (never a 500 or a due date in year 1)?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    data = {"owning_department": "planning", "received_on": received_on, "registration_decision": "accept"}
    body = assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": data}),
        422,
        "validation_failed",
        "received_on",
    )
    assert body["errors"][0]["code"] == code
    assert open_task(api, case["id"])["id"] == task["id"]


def test_assignment_and_formation_dates_cannot_be_in_the_future(api, clock):
    """Are a proposal's 交办日期 and a draft's 信息形成日期 after today refused at the start?"""
    from tests.service.test_proposal_api import START as PROPOSAL

    proposal = api.post(
        "/process-definitions/proposal/instances",
        "chen.jing",
        {"data": {**PROPOSAL, "assigned_on": "2026-04-01"}},
    )
    assert_problem(proposal, 422, "validation_failed", "assigned_on")
    report = api.post(
        "/process-definitions/error_report/instances",
        "xu.ming",
        {"data": {**REPORT, "received_on": "9999-12-31"}},
    )
    assert_problem(report, 422, "validation_failed", "received_on")
    draft = api.post(
        "/process-definitions/publishing/instances",
        "wang.fang",
        {"data": {**DRAFT, "formed_on": "2026-03-03"}},
    )
    assert_problem(draft, 422, "validation_failed", "formed_on")
    assert flows.start(api, "publishing", "wang.fang", DRAFT)["status"] == "running"  # formed today: fine


def test_a_survey_closes_after_it_opens(api):
    """Is a survey whose 截止日期 is not after its 开始日期 refused, naming 截止日期?"""
    data = {**SURVEY, "opens_on": "2026-04-08", "closes_on": "2026-04-08"}
    body = assert_problem(
        api.post("/process-definitions/survey/instances", "wang.fang", {"data": data}),
        422,
        "validation_failed",
        "closes_on",
    )
    assert "开始日期" in body["errors"][0]["message"]
    assert flows.start(api, "survey", "wang.fang", SURVEY)["status"] == "running"


def test_white_space_alone_is_a_missing_answer(api):
    """Is an applicant name of spaces and a full-width space treated as not filled in?"""
    data = {**START, "applicant_name": " \u3000 ", "request_content": "\n\t"}
    body = assert_problem(
        api.post("/process-definitions/disclosure_request/instances", "zhang.wei", {"data": data}),
        422,
        "validation_failed",
    )
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("applicant_name", "required"),
        ("request_content", "required"),
    }


@pytest.mark.parametrize("contact", ["abc", "1380000", "wang@", "13800000000 或 wang@example.cn"])
def test_a_contact_is_a_mobile_number_or_an_e_mail_address(api, contact):
    """Is a contact that is neither a mobile number nor an e-mail address refused, naming it?"""
    body = assert_problem(
        api.post(
            "/process-definitions/disclosure_request/instances",
            "zhang.wei",
            {"data": {**START, "applicant_contact": contact}},
        ),
        422,
        "validation_failed",
        "applicant_contact",
    )
    assert "手机号码或电子邮箱" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.gov.cn/a", "//example.gov.cn", "http://", "data:text/html,x"],
)
def test_web_addresses_are_http_or_https_only(api, clock, url):
    """Is a page address that is not http(s) — javascript:alert(1) above all — refused?"""
    clock.set("2026-03-06T01:00:00+00:00")
    response = api.post(
        "/process-definitions/error_report/instances", "xu.ming", {"data": {**REPORT, "page_url": url}}
    )
    body = assert_problem(response, 422, "validation_failed", "page_url")
    assert "http://" in body["errors"][0]["message"]


def test_a_field_the_form_does_not_have_is_refused_by_name(api):
    """Does a typo (recieved_on) come back as that field unknown, not as 收到申请日期 missing?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    data = {
        "owning_department": "planning",
        "recieved_on": "2026-03-02",
        "received_on": "2026-03-02",
        "registration_decision": "accept",
    }
    body = assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": data}),
        422,
        "validation_failed",
        "recieved_on",
    )
    assert [e["code"] for e in body["errors"]] == ["unknown_field"]
    assert view(api, case)["status"] == "running"

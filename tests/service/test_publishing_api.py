"""信息发布 through the API (PUB-1..14, ERR-2): deadlines by item type under two profiles, screening
against the stored word list, the policy package, and the correction clock after publishing.

national gives news 5 and policy 20 working days (NAT-1), xingning 2 and 5 (002 §13); the centre's
own step is 1 working day in both (002 §27). Items are formed and drafted on Mon 2 Mar 2026.
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import act, case_clock, open_task, serve, view
from tests.service.test_api_errors import assert_problem
from tests.unit.test_publishing_flow import APPROVE, DRAFT

POLICY = {
    **DRAFT,
    "item_type": "policy",
    "title": "关于推进城市更新的实施意见",
    "interpretation_title": "《关于推进城市更新的实施意见》解读",
    "interpretation_body": "一、出台背景……",
    "interpretation_forms": ["text", "chart"],
}
# (news, policy) due at the close of the day in Beijing.
DUE = {
    "national": ("2026-03-09T16:00:00+00:00", "2026-03-30T16:00:00+00:00"),
    "xingning": ("2026-03-04T16:00:00+00:00", "2026-03-09T16:00:00+00:00"),
}


@pytest.fixture(params=sorted(DUE))
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def draft(api, clock, data=DRAFT):
    clock.set("2026-03-02T01:00:00+00:00")
    return flows.start(api, "publishing", "wang.fang", data)


def to_publish(api, case):
    act(api, case, "review_section", "liu.yang", APPROVE)
    act(api, case, "layout", "xu.ming", {"layout_url": "https://example.gov.cn/preview/1"})
    act(api, case, "proof_officer", "wang.fang", {"proof1_result": "ok"})
    return act(api, case, "proof_section", "liu.yang", {"proof2_result": "ok"})


@pytest.mark.parametrize(("data", "which"), [(DRAFT, 0), (POLICY, 1)])
def test_pub13_an_item_is_due_by_its_type_on_the_profiles_day_and_publishing_meets_it(
    served, clock, data, which
):
    """Is news or a policy due on its profile's day from the formation date, shown on every review, and met when published?"""
    api = served.api
    case = draft(api, clock, data)
    due = DUE[served.profile][which]
    name = ("publishing.news", "publishing.policy")[which]
    review = case["open_tasks"][0]
    assert (review["name"], review["department"]["code"], review["role"]) == (
        "保密审查及复审",
        "planning",
        "section_head",
    )
    assert case["due_at"] == due == review["due_at"]
    assert case_clock(case, name)["started_on"] == "2026-03-02"
    attempt = api.post(f"/tasks/{review['id']}/complete", "wang.fang", {"data": APPROVE})
    assert attempt.status_code == 403  # the officer who drafted it cannot review it
    case = to_publish(api, case)
    publish = case["open_tasks"][0]
    # publishing.centre_edit: 1 working day from Mon 2 Mar.
    assert (publish["department"]["code"], publish["due_at"]) == ("info_center", "2026-03-03T16:00:00+00:00")
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    if which:
        refused = api.post(f"/tasks/{publish['id']}/complete", "xu.ming", {"data": published})
        assert_problem(refused, 422, "validation_failed", "interpretation_url")  # published together (PUB-10)
        published["interpretation_url"] = "https://example.gov.cn/1-jd.html"
    case = act(api, case, "publish", "xu.ming", published)
    assert case_clock(case, name)["status"] == "met" and case["due_at"] is None
    assert case["open_tasks"][0]["task_spec"] == "post_check"


def test_pub10_a_policy_without_two_forms_of_interpretation_is_refused_at_drafting(served, clock):
    """Is a policy drafted without its interpretation, or with one form of it only, refused naming the fields?"""
    api = served.api
    clock.set("2026-03-02T01:00:00+00:00")
    bare = {k: v for k, v in POLICY.items() if not k.startswith("interpretation")}
    body = assert_problem(
        api.post("/process-definitions/publishing/instances", "wang.fang", {"data": bare}),
        422,
        "validation_failed",
    )
    assert {e["field"] for e in body["errors"]} == {
        "interpretation_title",
        "interpretation_body",
        "interpretation_forms",
    }
    one = {**POLICY, "interpretation_forms": ["text"]}
    body = assert_problem(
        api.post("/process-definitions/publishing/instances", "wang.fang", {"data": one}),
        422,
        "validation_failed",
    )
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("interpretation_forms", "too_few")]
    assert "至少选择2个" in body["errors"][0]["message"]


def test_pub9_the_stored_word_list_blocks_a_serious_term_and_masks_an_id_number(served, clock):
    """Does a draft naming 台湾政府 go back to its officer, with an ID number in it shown only masked?"""
    api = served.api
    body = "会议介绍了台湾政府的做法。联系人身份证号11010519491231002X。"
    case = draft(api, clock, {**DRAFT, "body": body})
    task = case["open_tasks"][0]
    assert (task["task_spec"], task["department"]["code"], task["role"]) == (
        "revise_item",
        "planning",
        "information_officer",
    )
    screening = case["data"]["screening"]
    assert screening["blocked"] is True and screening["serious"] == 2
    assert {h["detector"] for h in screening["hits"]} == {"word_list", "id_card"}
    assert "11010519491231002X" not in str(screening)
    fixed = {k: DRAFT[k] for k in ("title", "column", "source", "body")} | {
        "revision_note": "删除个人信息，改正表述"
    }
    case = act(api, case, "revise_item", "wang.fang", fixed)
    assert open_task(api, case)["task_spec"] == "review_section"


def test_pub9_err2_a_correction_after_publishing_runs_on_one_natural_day(served, clock):
    """After the centre finds an error on Tue 3 Mar, is the corrected item due as Wed 4 Mar closes, and the clock met when republished?"""
    api = served.api
    case = to_publish(api, draft(api, clock))
    case = act(
        api,
        case,
        "publish",
        "xu.ming",
        {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"},
    )
    clock.set("2026-03-03T02:00:00+00:00")
    case = act(api, case, "post_check", "xu.ming", {"check_result": "correct", "check_note": "日期有误"})
    fix = case_clock(case, "error.fix")
    assert (fix["started_on"], fix["status"], case["due_at"]) == (
        "2026-03-03",
        "running",
        "2026-03-04T16:00:00+00:00",
    )
    revise = case["open_tasks"][0]
    assert (revise["task_spec"], revise["due_at"]) == ("revise_item", "2026-03-04T16:00:00+00:00")
    act(
        api,
        case,
        "revise_item",
        "wang.fang",
        {k: DRAFT[k] for k in ("title", "column", "source", "body")} | {"revision_note": "更正日期"},
    )
    case = to_publish(api, case)
    assert (
        case["open_tasks"][0]["due_at"] == "2026-03-04T16:00:00+00:00"
    )  # the review re-run is on the fix clock
    case = act(
        api,
        case,
        "publish",
        "xu.ming",
        {"published_on": "2026-03-03", "published_url": "https://example.gov.cn/1.html"},
    )
    assert case_clock(case, "error.fix")["status"] == "met"
    done = act(api, case, "post_check", "xu.ming", {"check_result": "ok"})
    assert done["status"] == "completed"
    assert [t["name"] for t in view(api, case)["done_tasks"]].count("发布") == 2


@pytest.mark.parametrize(
    ("data", "name", "ceiling_on"),
    [(DRAFT, "publishing.news", "2026-03-12"), (POLICY, "publishing.policy", "2026-04-02")],
)
def test_pub13_shaanxi_publishes_by_the_3rd_calendar_day_after_the_work_ends(
    app, api, api_for_profile, clock, data, name, ceiling_on
):
    """shaanxi-miit: work ending Thu 5 Mar 2026 is published by Mon 9 Mar (the 3rd day, Sun 8 Mar, rolled), under national's working-day ceiling."""
    shaanxi = serve("shaanxi-miit", api, app, api_for_profile).api
    clock.set("2026-03-05T01:00:00+00:00")
    case = flows.start(shaanxi, "publishing", "wang.fang", {**data, "formed_on": "2026-03-05"})
    item = case_clock(case, name)
    assert (item["target"], item["target_due_on"], item["ceiling_due_on"], item["binds"]) == (
        "3日",
        "2026-03-09",
        ceiling_on,
        "target",
    )
    assert case["due_at"] == "2026-03-09T16:00:00+00:00" == case["open_tasks"][0]["due_at"]

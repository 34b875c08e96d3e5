"""信息发布 through the API (PUB-1..15, ERR-2): deadlines by item type under two profiles, screening
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


def to_publish(api, case, profile="national"):
    """Reviews and proofreads along the profile's chain: xingning's leader in charge approves and
    proofreads every item (002 §26), national's section head decides a general one (PUB-4)."""
    act(api, case, "review_section", "liu.yang", APPROVE)
    if profile == "xingning":
        act(api, case, "review_leader", "zhao.lei", {"leader_decision": "approve"})
    act(api, case, "layout", "xu.ming", {"layout_url": "https://example.gov.cn/preview/1"})
    act(api, case, "proof_officer", "wang.fang", {"proof1_result": "ok"})
    case = act(api, case, "proof_section", "liu.yang", {"proof2_result": "ok"})
    if profile == "xingning":
        case = act(api, case, "proof_leader", "zhao.lei", {"proof3_result": "ok"})
    return case


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
    case = to_publish(api, case, served.profile)
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
    case = to_publish(api, draft(api, clock), served.profile)
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
    case = to_publish(api, case, served.profile)
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


def test_pub9_err2_a_failed_fix_keeps_the_first_due_date(served, clock):
    """Error found Tue 3 Mar, republished Wed 4 Mar still wrong: is the fix still due as 4 Mar closes, and late?"""
    api = served.api
    case = to_publish(api, draft(api, clock), served.profile)
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    clock.set("2026-03-03T02:00:00+00:00")
    case = act(api, case, "post_check", "xu.ming", {"check_result": "correct", "check_note": "日期有误"})
    revised = {k: DRAFT[k] for k in ("title", "column", "source", "body")} | {"revision_note": "更正日期"}
    act(api, case, "revise_item", "wang.fang", revised)
    case = to_publish(api, case, served.profile)
    clock.set("2026-03-04T02:00:00+00:00")
    case = act(api, case, "publish", "xu.ming", {**published, "published_on": "2026-03-04"})
    assert case_clock(case, "error.fix")["on_time"] is True
    clock.set("2026-03-05T02:00:00+00:00")  # Thu: the republished page still shows the wrong date
    case = act(api, case, "post_check", "xu.ming", {"check_result": "correct", "check_note": "仍有误"})
    fix = case_clock(case, "error.fix")
    assert (fix["started_on"], fix["status"], fix["due_at"]) == (
        "2026-03-03",
        "running",
        "2026-03-04T16:00:00+00:00",
    )
    assert case["due_at"] == "2026-03-04T16:00:00+00:00" and case["open_tasks"][0]["overdue"] is True
    assert len([c for c in case["deadlines"] if c["name"] == "error.fix"]) == 1


def test_pub6_an_item_not_to_be_published_closes_its_clock_as_returned(api, clock):
    """national: a section head who finds the item secret ends it: does its publishing clock read returned, not met?"""
    case = draft(api, clock)
    decision = {"secrecy_decision": "not_public", "not_public_reason": "含内部事项（PUB-7）"}
    done = act(api, case, "review_section", "liu.yang", decision)
    assert done["status"] == "completed"
    news = case_clock(view(api, case), "publishing.news")
    assert (news["status"], news["on_time"], news["late_by"]) == ("returned", None, None)


def test_pub4_the_profile_shows_who_reviews_signs_and_proofreads(api_for_profile):
    """wanzhou: does GET /profile show every item signed by the leader in charge and proofread three times?"""
    body = api_for_profile("wanzhou").get("/profile", "zhao.lei").get_json()["publishing"]
    (general_news,) = [c for c in body["chains"] if (c["item_type"], c["tier"]) == ("news", "general")]
    assert general_news == {
        "item_type": "news",
        "tier": "general",
        "review": ["section_head", "leader_in_charge"],
        "proof": ["staff", "section_head", "leader_in_charge"],
    }
    assert (body["fast_path"], body["legal_review_outside"], body["source"]) == (False, True, "004 §16, §13")


def test_pub13_wanzhou_refuses_an_item_type_only_hainan_sasac_offers(api_for_profile, clock):
    """wanzhou: is an 'organisation' item (000 annex) refused at drafting, naming 信息类型 in Chinese, with no case made?"""
    api = api_for_profile("wanzhou")
    clock.set("2026-03-02T01:00:00+00:00")
    before = api.get("/tasks", "liu.yang").get_json()["total"]  # the section head would get the review
    response = api.post(
        "/process-definitions/publishing/instances",
        "wang.fang",
        {"data": {**DRAFT, "item_type": "organisation"}},
    )
    body = assert_problem(response, 422, "validation_failed", "item_type")
    assert body["errors"][0]["code"] == "option_not_offered"
    assert "信息类型" in body["errors"][0]["message"] and "万州区人民政府不设" in body["errors"][0]["message"]
    assert api.get("/tasks", "liu.yang").get_json()["total"] == before


COMMON_TYPES = ["news", "policy", "proactive", "emergency"]


@pytest.mark.parametrize(
    ("profile", "offered"),
    [
        ("national", COMMON_TYPES),
        ("wanzhou", COMMON_TYPES),
        ("hainan-sasac", [*COMMON_TYPES, "organisation", "plans"]),
    ],
)
def test_pub13_the_start_form_lists_only_the_item_types_the_profile_offers(api_for_profile, profile, offered):
    """wanzhou, national, hainan-sasac: does the drafter's 信息类型 list hold only the profile's item types, none labelled as a profile's?"""
    items = api_for_profile(profile).get("/process-definitions", "wang.fang").get_json()["items"]
    (publishing,) = [d for d in items if d["key"] == "publishing"]
    (field,) = [f for f in publishing["start_form"] if f["name"] == "item_type"]
    assert [o["value"] for o in field["options"]] == offered
    assert not any("机构配置" in o["label"] for o in field["options"])


def test_pub15_guangdong_land_the_centres_own_news_is_due_on_the_news_day_and_listed_only_there(
    api_for_profile, clock
):
    """guangdong-land: is the centre's own news formed Mon 2 Mar 2026 due as Mon 9 Mar closes (publishing.news), first with the centre's head?"""
    api = api_for_profile("guangdong-land")
    items = api.get("/process-definitions", "xu.ming").get_json()["items"]
    (publishing,) = [d for d in items if d["key"] == "publishing"]
    (field,) = [f for f in publishing["start_form"] if f["name"] == "item_type"]
    assert [o["value"] for o in field["options"]] == [*COMMON_TYPES, "centre_news", "interview"]
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(
        api, "publishing", "xu.ming", {**DRAFT, "item_type": "centre_news", "source": "信息中心"}
    )
    assert case["due_at"] == "2026-03-09T16:00:00+00:00"
    assert case_clock(case, "publishing.news")["started_on"] == "2026-03-02"
    assert [t["task_spec"] for t in case["open_tasks"]] == ["review_section"]
    assert open_task(api, case, "gao.yan")["task_spec"] == "review_section"  # 信息中心's head


def test_pub15_guangdong_land_only_the_centre_drafts_the_centres_own_news(api_for_profile, clock):
    """guangdong-land: may 规划处's 王芳 pass an item off as the centre's own news to skip the leader in charge? (No: 422 on item_type, no case.)"""
    api = api_for_profile("guangdong-land")
    clock.set("2026-03-02T01:00:00+00:00")
    before = api.get("/tasks", "liu.yang").get_json()["total"]
    response = api.post(
        "/process-definitions/publishing/instances",
        "wang.fang",
        {"data": {**DRAFT, "item_type": "centre_news", "importance": "important"}},
    )
    body = assert_problem(response, 422, "validation_failed", "item_type")
    assert body["errors"][0]["code"] == "item_type_not_for_department"
    assert "信息中心" in body["errors"][0]["message"]
    assert api.get("/tasks", "liu.yang").get_json()["total"] == before


@pytest.mark.parametrize(
    ("item_type", "name", "due"),
    [
        # 000 annex: 3-5 working days → Mon 9 Mar 2026; 7-10 → Mon 16 Mar 2026 (from Mon 2 Mar).
        ("organisation", "publishing.organisation", "2026-03-09T16:00:00+00:00"),
        ("plans", "publishing.plans", "2026-03-16T16:00:00+00:00"),
    ],
)
def test_pub13_hainan_sasac_annex_item_types_are_due_on_their_own_days(
    api_for_profile, clock, item_type, name, due
):
    """hainan-sasac: is an organisation item formed Mon 2 Mar 2026 due as Mon 9 Mar closes, a plans item as Mon 16 Mar closes?"""
    api = api_for_profile("hainan-sasac")
    case = draft(api, clock, {**DRAFT, "item_type": item_type})
    assert case["due_at"] == due and case_clock(case, name)["started_on"] == "2026-03-02"
    assert case["open_tasks"][0]["task_spec"] == "review_section"


def test_pub12_a_joint_item_waits_for_the_co_departments_section_head(api, clock):
    """national: does a 规划处 item drafted jointly with 法规处 reach 法规处's head 陈静 first, and 规划处's head after she confirms?"""
    case = draft(api, clock, {**DRAFT, "co_departments": ["legal"]})
    (task,) = case["open_tasks"]
    assert (task["task_spec"], task["department"]["code"], task["role"]) == (
        "co_confirm",
        "legal",
        "section_head",
    )
    assert (
        api.post(
            f"/tasks/{task['id']}/complete", "liu.yang", {"data": {"co_decision": "confirm"}}
        ).status_code
        == 403
    )
    case = act(api, case, "co_confirm", "chen.jing", {"co_decision": "confirm"})
    review = open_task(api, case)
    assert (review["task_spec"], review["department"]["code"]) == ("review_section", "planning")


def test_err2_a_correction_sent_back_again_keeps_its_first_due_day(api, clock):
    """national: a correction begun Tue 3 Mar 2026 and returned by the section head on Wed 4 Mar: is it still due as Wed 4 Mar closes, not a day later?"""
    case = to_publish(api, draft(api, clock))
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    clock.set("2026-03-03T02:00:00+00:00")
    case = act(api, case, "post_check", "xu.ming", {"check_result": "correct", "check_note": "日期有误"})
    fixed = {k: DRAFT[k] for k in ("title", "column", "source", "body")} | {"revision_note": "更正日期"}
    case = act(api, case, "revise_item", "wang.fang", fixed)
    clock.set("2026-03-04T02:00:00+00:00")
    returned = {"secrecy_decision": "public_ok", "review_decision": "return", "review_comment": "仍有错误"}
    case = act(api, case, "review_section", "liu.yang", returned)
    case = act(api, case, "revise_item", "wang.fang", fixed | {"revision_note": "再次更正"})
    fix = case_clock(case, "error.fix")
    assert (fix["started_on"], fix["status"], case["due_at"]) == (
        "2026-03-03",
        "running",
        "2026-03-04T16:00:00+00:00",
    )
    assert open_task(api, case)["due_at"] == "2026-03-04T16:00:00+00:00"


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


INTERVIEW = {
    **DRAFT,
    "item_type": "interview",
    "title": "“城市更新”在线访谈",
    "source": "信息中心",
    "host_department": "planning",
    "text_reviewer": "wang.fang",
}


def draft_interview(api, clock, **changes):
    """guangdong-land: the centre's officer 徐明 drafts an online interview on Mon 2 Mar 2026, 规划处 hosting."""
    clock.set("2026-03-02T01:00:00+00:00")
    return api.post(
        "/process-definitions/publishing/instances", "xu.ming", {"data": {**INTERVIEW, **changes}}
    )


def test_pub15_guangdong_land_an_interview_lands_with_the_named_text_reviewer_and_is_published_on_her_word(
    api_for_profile, clock
):
    """guangdong-land: is an interview drafted Mon 2 Mar 2026 already 王芳's (规划处), due Mon 9 Mar 24:00 (publishing.news), published by the centre once she approves, with 刘洋 unable to complete it?"""
    api = api_for_profile("guangdong-land")
    response = draft_interview(api, clock)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert case["due_at"] == "2026-03-09T16:00:00+00:00"
    assert case_clock(case, "publishing.news")["started_on"] == "2026-03-02"
    review = open_task(api, case, "wang.fang")
    assert (review["name"], review["department"]["code"], review["assignee"]["username"]) == (
        "现场文字审核",
        "planning",
        "wang.fang",
    )
    for scope in ("mine", "actionable"):
        inbox = api.get(f"/tasks?scope={scope}", "wang.fang").get_json()["items"]
        assert review["id"] in [t["id"] for t in inbox], scope
    assert review["id"] not in [
        t["id"] for t in api.get("/tasks?scope=actionable", "liu.yang").get_json()["items"]
    ]
    taken = api.post(f"/tasks/{review['id']}/complete", "liu.yang", {"data": {"on_site_decision": "approve"}})
    assert_problem(taken, 409, "task_claimed_by_other")
    assert_problem(api.post(f"/tasks/{review['id']}/claim", "liu.yang"), 409, "task_claimed_by_other")
    case = act(api, case, "on_site_review", "wang.fang", {"on_site_decision": "approve"})
    publish = open_task(api, case)
    assert (publish["task_spec"], publish["department"]["code"]) == ("publish", "info_center")
    published = {"published_on": "2026-03-03", "published_url": "https://example.gov.cn/ft/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    assert case_clock(case, "publishing.news")["status"] == "met"


def test_pub15_guangdong_land_the_named_reviewer_may_release_the_interview_to_her_unit(
    api_for_profile, clock
):
    """guangdong-land: once 王芳 releases it, may 刘洋 of the same unit take and complete the review?"""
    api = api_for_profile("guangdong-land")
    case = draft_interview(api, clock).get_json()
    review = open_task(api, case)
    assert api.post(f"/tasks/{review['id']}/unclaim", "wang.fang").status_code == 200
    act(
        api,
        case,
        "on_site_review",
        "liu.yang",
        {"on_site_decision": "return", "on_site_comment": "嘉宾发言需核对"},
    )
    assert open_task(api, case)["task_spec"] == "revise_item"


@pytest.mark.parametrize(
    ("reviewer", "words"),
    [
        ("xu.ming", ("徐明", "规划处")),  # the centre's officer: not of the host unit
        ("no.such", ("no.such",)),
        ("", ()),
    ],
)
def test_pub15_guangdong_land_a_text_reviewer_outside_the_host_unit_is_refused(
    api_for_profile, clock, reviewer, words
):
    """guangdong-land: is a reviewer who is not a member of 规划处 (or nobody's username, or none) refused naming text_reviewer, nothing stored?"""
    api = api_for_profile("guangdong-land")
    before = api.get("/tasks?scope=all", "admin").get_json()["total"]
    body = assert_problem(
        draft_interview(api, clock, text_reviewer=reviewer), 422, "validation_failed", "text_reviewer"
    )
    assert all(word in body["errors"][0]["message"] for word in words), body
    assert api.get("/tasks?scope=all", "admin").get_json()["total"] == before


def test_pub15_guangdong_land_an_inactive_text_reviewer_is_refused(app, api_for_profile, clock):
    """guangdong-land: is a 规划处 member whose account is disabled refused as text reviewer?"""
    from service.extensions import db
    from service.models import User
    from service.services.org import create_user

    with app.app_context():
        if db.session.query(User).filter_by(username="qian.yu").first() is None:
            create_user("qian.yu", "钱宇", "govflow-test-pw", department="planning", role="member")
            db.session.query(User).filter_by(username="qian.yu").update({"active": False})
            db.session.commit()
    api = api_for_profile("guangdong-land")
    body = assert_problem(
        draft_interview(api, clock, text_reviewer="qian.yu"), 422, "validation_failed", "text_reviewer"
    )
    assert "钱宇" in body["errors"][0]["message"]


def test_pub15_wanzhou_does_not_offer_interviews(api_for_profile, clock):
    """wanzhou: is an interview refused by form validation naming 信息类型?"""
    api = api_for_profile("wanzhou")
    clock.set("2026-03-02T01:00:00+00:00")
    response = api.post("/process-definitions/publishing/instances", "wang.fang", {"data": INTERVIEW})
    assert_problem(response, 422, "validation_failed", "item_type")


def test_pub15_guangdong_land_the_profile_shows_interviews_reviewed_on_site_without_a_chain(api_for_profile):
    """guangdong-land: does GET /profile say interviews are reviewed on site, listing no review chain for them?"""
    body = api_for_profile("guangdong-land").get("/profile", "xu.ming").get_json()["publishing"]
    assert body["on_site_review"] == ["interview"]
    assert "interview" in [t["value"] for t in body["item_types"]]
    assert "interview" not in {c["item_type"] for c in body["chains"]}

"""Scenario tests of bpmn/publishing.bpmn on the bare engine (PUB-1..15, ERR-2): 错敏 screening,
三审三校 along each profile's approval chain (PUB-4), the fast path where a profile has it, the
confidentiality escalation, the legal review, and after publishing the correction loop and withdrawal.

Unless a test names another profile, it runs under national."""

import pytest

from tests.unit.cases import Case, load, runner_for
from workflows.assignment import Role
from workflows.profiles import PROFILES
from workflows.screening import Severity, Term

TERMS = (
    Term("台湾政府", "政治表述", Severity.SERIOUS, "台湾当局"),
    Term("截止目前", "错别字", Severity.MINOR, "截至目前"),
)
DRAFT = {
    "item_type": "news",
    "title": "我局召开城市更新工作推进会",
    "column": "工作动态",
    "author": "王芳",
    "author_phone": "0898-12345678",
    "source": "规划处",
    "formed_on": "2026-03-02",
    "body": "3月2日，我局召开城市更新工作推进会，部署全年重点任务。",
    "importance": "general",
    "normative": False,
    "fast_path_basis": "original",
}
APPROVE = {
    "secrecy_decision": "public_ok",
    "review_decision": "approve",
    "importance": "general",
    "checklist": "confirmed",
}
LAYOUT = {"layout_url": "https://example.gov.cn/preview/1"}
OK1, OK2, OK3 = {"proof1_result": "ok"}, {"proof2_result": "ok"}, {"proof3_result": "ok"}
PUBLISHED = {"published_on": "2026-03-03", "published_url": "https://example.gov.cn/xw/1.html"}
OFFICER = ("planning", Role.INFORMATION_OFFICER)
HEAD = ("planning", Role.SECTION_HEAD)
LEADER = ("planning", Role.LEADER_IN_CHARGE)
CENTRE = ("info_center", None)
PRINCIPAL = ("leadership", Role.PRINCIPAL_LEADER)


@pytest.fixture(scope="module")
def definition():
    return load("publishing")


def drafted(definition, profile="national", **changes):
    """An item drafted by 王芳, information officer of 规划处 (PUB-1), under `profile`."""
    runner = runner_for(PROFILES[profile], terms=TERMS)
    return Case(definition, {**DRAFT, **changes}, "planning", runner=runner)


def laid_out_and_proofread(case, *, leader_proofs=False):
    assert case.do("layout", LAYOUT) == CENTRE
    assert case.do("proof_officer", OK1) == OFFICER
    assert case.do("proof_section", OK2) == HEAD
    if leader_proofs:
        assert case.do("proof_leader", OK3) == LEADER
    assert case.next() == ("publish", CENTRE)


def published_and_checked(case, check=None):
    case.do("publish", PUBLISHED)
    assert case.next() == ("post_check", CENTRE)
    case.do("post_check", check or {"check_result": "ok"})


def test_pub2_pub3_pub4_a_general_item_is_reviewed_by_its_section_head_proofread_twice_and_published(
    definition,
):
    """Does a general item go officer → screening → its section head → centre lays out → 一校, 二校 → published?"""
    case = drafted(definition)
    assert case.next() == ("review_section", HEAD)
    assert case.data()["screening"] == {
        "blocked": False,
        "serious": 0,
        "minor": 0,
        "truncated": False,
        "hits": [],
    }
    case.do("review_section", APPROVE)
    laid_out_and_proofread(case)
    published_and_checked(case)
    assert case.finished() and case.data()["published_screening"]["blocked"] is False


def test_pub9_a_serious_hit_sends_the_draft_back_before_any_review(definition):
    """Does 台湾政府 in the body block the item and send it back to the officer, and the corrected draft go on?"""
    case = drafted(definition, body="会议介绍了台湾政府的相关做法。")
    assert case.next() == ("revise_item", OFFICER)
    screening = case.data()["screening"]
    assert screening["blocked"] is True
    (hit,) = screening["hits"]
    assert (hit["field"], hit["text"], hit["suggestion"]) == ("正文", "台湾政府", "台湾当局")
    case.do(
        "revise_item",
        {
            **{k: DRAFT[k] for k in ("title", "column", "source")},
            "body": "会议介绍了台湾当局的相关做法。",
            "revision_note": "按错敏检测修改",
        },
    )
    assert case.next() == ("review_section", HEAD)
    assert case.data()["screening"]["blocked"] is False


def test_pub9_a_minor_hit_only_warns_the_reviewer(definition):
    """Does a misused 截止目前 reach the section head with the warning in the case, not block it?"""
    case = drafted(definition, body="截止目前，已完成12个片区规划。")
    assert case.next() == ("review_section", HEAD)
    screening = case.data()["screening"]
    assert (screening["blocked"], screening["minor"], screening["hits"][0]["suggestion"]) == (
        False,
        1,
        "截至目前",
    )


def test_pub2_pub4_an_important_item_is_decided_by_the_leader_in_charge_who_also_proofreads(definition):
    """Does an important item go to 规划处's leader in charge after its head, and get a 三校 by that leader?"""
    case = drafted(definition, importance="important")
    case.do("review_section", {**APPROVE, "importance": "important"})
    assert case.next() == ("review_leader", LEADER)
    case.do("review_leader", {"leader_decision": "approve"})
    assert case.next() == ("layout", CENTRE)
    laid_out_and_proofread(case, leader_proofs=True)


def test_pub2_pub4_a_major_item_is_signed_by_the_principal_leader(definition):
    """Does a major item need the leader in charge's review and then the principal leader's signature?"""
    case = drafted(definition, importance="major")
    case.do("review_section", {**APPROVE, "importance": "major"})
    case.do("review_leader", {"leader_decision": "approve"})
    assert case.next() == ("sign_principal", ("leadership", Role.PRINCIPAL_LEADER))
    case.do("sign_principal", {"principal_decision": "return", "principal_comment": "数据需核实"})
    assert case.next() == ("revise_item", OFFICER)


def test_pub4_the_section_head_may_raise_the_tier_the_officer_proposed(definition):
    """When the head confirms an item the officer called general as important, does it go to the leader?"""
    case = drafted(definition)
    case.do("review_section", {**APPROVE, "importance": "important"})
    assert case.next() == ("review_leader", LEADER)


def test_pub6_an_unsure_head_escalates_confidentiality_to_the_office(definition):
    """Does 难以确定 go to the office's head, whose 不涉密 lets the item go on and 涉密 stops it?"""
    case = drafted(definition)
    case.do("review_section", {**APPROVE, "secrecy_decision": "unsure"})
    assert case.next() == ("office_secrecy_review", ("office", Role.SECTION_HEAD))
    case.do("office_secrecy_review", {"office_secrecy_decision": "public_ok"})
    assert case.next() == ("layout", CENTRE)
    stopped = drafted(definition)
    stopped.do("review_section", {**APPROVE, "secrecy_decision": "unsure"})
    stopped.do(
        "office_secrecy_review", {"office_secrecy_decision": "not_public", "office_comment": "含内部工作部署"}
    )
    assert stopped.finished() and "published_on" not in stopped.data()


def test_pub6_an_item_the_head_finds_secret_is_never_published(definition):
    """Does 涉密或不宜公开 end the case without any further review?"""
    case = drafted(definition)
    case.do("review_section", {"secrecy_decision": "not_public", "not_public_reason": "涉及工作秘密"})
    assert case.finished() and case.data()["not_public_reason"] == "涉及工作秘密"


def test_pub10_a_normative_document_passes_the_legal_division_first(definition):
    """Does a 规范性文件 go to 法规处 after the section head, and a return from there back to the officer?"""
    case = drafted(definition, normative=True)
    case.do("review_section", APPROVE)
    assert case.next() == ("legal_review", ("legal", None))
    case.do("legal_review", {"legal_decision": "return", "legal_opinion": "第三条缺少上位法依据"})
    assert case.next() == ("revise_item", OFFICER)


def test_pub5_pub11_guangdong_land_a_repost_takes_the_fast_path(definition):
    """guangdong-land: does a repost skip the department's reviews and proofs: the centre approves and publishes it?"""
    case = drafted(
        definition,
        "guangdong-land",
        fast_path_basis="repost",
        source="新华社",
        source_url="https://www.news.cn/1.htm",
    )
    assert case.next() == ("fast_approval", CENTRE)
    case.do("fast_approval", {"fast_decision": "approve", "source_checked": "confirmed"})
    assert case.next() == ("publish", CENTRE)
    published_and_checked(case)
    assert case.finished() and "review_decision" not in case.data()


def test_pub9_err2_a_published_error_is_corrected_through_the_full_review_again(definition):
    """After 发现错误，更正, does the corrected item go back through screening, review and proofs before republishing?"""
    case = drafted(definition)
    case.do("review_section", APPROVE)
    laid_out_and_proofread(case)
    published_and_checked(case, {"check_result": "correct", "check_note": "日期有误"})
    assert case.next() == ("revise_item", OFFICER)
    case.do(
        "revise_item",
        {**{k: DRAFT[k] for k in ("title", "column", "source", "body")}, "revision_note": "更正日期"},
    )
    assert case.next() == ("review_section", HEAD)
    case.do("review_section", APPROVE)
    laid_out_and_proofread(case)
    published_and_checked(case)
    assert case.finished() and case.data()["revision_note"] == "更正日期"


def test_pub9_a_published_item_may_be_withdrawn(definition):
    """Does 撤稿 give the centre a withdrawal task and end the case as withdrawn?"""
    case = drafted(definition)
    case.do("review_section", APPROVE)
    laid_out_and_proofread(case)
    published_and_checked(case, {"check_result": "withdraw", "check_note": "信息已过时"})
    assert case.next() == ("withdraw_item", CENTRE)
    case.do("withdraw_item", {"withdrawn_on": "2026-03-04", "withdraw_reason": "信息已过时"})
    assert case.finished()


def test_pub13_err2_markup_names_the_publishing_deadlines_by_item_type(definition):
    """Does the start event choose the publishing deadline by item type, the publish step stop it, and corrections count error.fix?"""
    starts = {a.when[1]: a.deadline for a in definition.clock_actions["StartEvent_drafted"]}
    assert (
        starts
        == {
            "news|centre_news|interview": "publishing.news",  # PUB-15: 003 gives the centre's news no figure of its own
            "policy": "publishing.policy",
            "proactive": "publishing.proactive",
            "emergency": "publishing.emergency",
            "organisation": "publishing.organisation",
            "plans": "publishing.plans",
        }
    )
    stops = {a.deadline for a in definition.clock_actions["publish"] if a.action == "stop"}
    assert stops == {*starts.values(), "error.fix", "error.fix_urgent"}
    post = {(a.deadline, a.when) for a in definition.clock_actions["post_check"]}
    assert post == {
        ("error.fix", ("check_result", "correct")),
        ("error.fix_urgent", ("check_result", "correct_urgent")),
    }
    assert definition.task_deadlines["publish"] == "publishing.centre_edit"


REPOST = {"fast_path_basis": "repost", "source": "新华社", "source_url": "https://www.news.cn/1.htm"}


@pytest.mark.parametrize("profile", ["wanzhou", "national", "xingning", "hainan-sasac", "shaanxi-miit"])
def test_pub5_a_repost_has_no_fast_path_outside_guangdong_land(definition, profile):
    """wanzhou (and every profile but guangdong-land): does a repost go through 三审三校 like any item?"""
    case = drafted(definition, profile, **REPOST)
    assert case.data()["approval"]["fast_path"] is False
    assert case.next() == ("review_section", HEAD)


def chains(case, tier="general"):
    approval = case.data()["approval"]
    return approval["review"][tier], approval["proof"][tier]


def test_pub4_national_a_general_item_is_decided_by_its_section_head(definition):
    """national: is a general item's chain the section head alone, proofread by officer and head?"""
    case = drafted(definition)
    assert chains(case) == (["section_head"], ["staff", "section_head"])
    case.do("review_section", APPROVE)
    assert case.next() == ("layout", CENTRE)


def test_pub4_xingning_a_general_item_passes_the_leader_in_charge(definition):
    """xingning (002 §26): does even a general item go to the leader in charge, who signs it and proofreads it?"""
    case = drafted(definition, "xingning")
    assert chains(case) == (
        ["section_head", "leader_in_charge"],
        ["staff", "section_head", "leader_in_charge"],
    )
    case.do("review_section", APPROVE)
    assert case.do("review_leader", {"leader_decision": "approve"}) == LEADER
    assert case.next() == ("layout", CENTRE)
    laid_out_and_proofread(case, leader_proofs=True)


def test_pub4_xingning_a_major_item_also_needs_the_principal_leader(definition):
    """xingning (002 §26): does a major item go from the leader in charge to the principal leader?"""
    case = drafted(definition, "xingning", importance="major")
    case.do("review_section", {**APPROVE, "importance": "major"})
    case.do("review_leader", {"leader_decision": "approve"})
    assert case.next() == ("sign_principal", PRINCIPAL)


def test_pub2_pub3_wanzhou_a_general_item_is_signed_by_the_leader_in_charge_and_proofread_three_times(
    definition,
):
    """wanzhou (004 §16): staff drafts, section head reviews, leader in charge signs; proofread by all three?"""
    case = drafted(definition, "wanzhou")
    assert chains(case) == (
        ["section_head", "leader_in_charge"],
        ["staff", "section_head", "leader_in_charge"],
    )
    assert case.do("review_section", APPROVE) == HEAD
    assert case.do("review_leader", {"leader_decision": "approve"}) == LEADER
    assert case.next() == ("layout", CENTRE)  # the leader in charge signed: no principal leader
    laid_out_and_proofread(case, leader_proofs=True)
    published_and_checked(case)
    assert case.finished()


def test_pub2_wanzhou_a_wide_concern_item_is_signed_by_the_principal_leader(definition):
    """wanzhou (004 §16): is an item of wide public concern reviewed by the leader in charge and signed by the principal leader?"""
    case = drafted(definition, "wanzhou", importance="major")
    assert chains(case, "major")[0] == ["section_head", "leader_in_charge", "principal_leader"]
    case.do("review_section", {**APPROVE, "importance": "major"})
    case.do("review_leader", {"leader_decision": "approve"})
    assert case.do("sign_principal", {"principal_decision": "approve"}) == PRINCIPAL
    assert case.next() == ("layout", CENTRE)
    laid_out_and_proofread(case, leader_proofs=True)


def test_pub4_hainan_sasac_departments_news_needs_the_leader_in_charge(definition):
    """hainan-sasac (000 §15): does a department's general news item need the leader in charge, while a general notice does not?"""
    news = drafted(definition, "hainan-sasac")
    assert chains(news)[0] == ["section_head", "leader_in_charge"]
    news.do("review_section", APPROVE)
    assert news.next() == ("review_leader", LEADER)
    other = drafted(definition, "hainan-sasac", item_type="proactive")
    assert chains(other)[0] == ["section_head"]
    other.do("review_section", APPROVE)
    assert other.next() == ("layout", CENTRE)


def test_pub12_a_joint_item_is_confirmed_by_each_co_departments_section_head_before_the_reviews(definition):
    """A joint item of 规划处 (lead) with 财务处 and 法规处: does each co-department's section head confirm it first, and one refusal send it back to the lead's officer?"""
    case = drafted(definition, co_departments=["finance", "legal"])
    assert case.open() == [
        ("co_confirm", ("finance", Role.SECTION_HEAD)),
        ("co_confirm", ("legal", Role.SECTION_HEAD)),
    ]
    case.do("co_confirm", {"co_decision": "confirm"}, department="finance")
    case.do("co_confirm", {"co_decision": "return", "co_comment": "预算数字有误"}, department="legal")
    assert case.next() == ("revise_item", OFFICER)
    case.do(
        "revise_item",
        {**{k: DRAFT[k] for k in ("title", "column", "source", "body")}, "revision_note": "改正预算数字"},
    )
    case.do("co_confirm", {"co_decision": "confirm"}, department="finance")
    case.do("co_confirm", {"co_decision": "confirm"}, department="legal")
    assert case.data()["co_confirmations"] == ["confirm", "confirm"]
    assert case.next() == ("review_section", HEAD)  # the lead department's head reviews it (PUB-12)


WANZHOU_POLICY = {
    "item_type": "policy",
    "normative": True,
    "title": "万州区城市更新管理办法",
    "interpretation_title": "《万州区城市更新管理办法》解读",
    "interpretation_body": "一、制定背景……",
    "interpretation_forms": ["text", "qa"],
}
NEWS_OFFICE = {
    "news_sent_on": "2026-03-03",
    "news_answered_on": "2026-03-05",
    "news_reference": "万州新闻办函〔2026〕8号",
    "news_conclusion": "agree",
}
JUSTICE = {
    "justice_sent_on": "2026-03-06",
    "justice_answered_on": "2026-03-13",
    "justice_reference": "万司审〔2026〕12号",
    "justice_conclusion": "pass",
}


def test_pub10_wanzhou_a_normative_policy_goes_to_the_news_office_then_the_justice_bureau(definition):
    """wanzhou (004 §13): is a normative policy sent to 新闻办 (answered 5 Mar 2026, 万州新闻办函〔2026〕8号) and then to 司法局 (answered 13 Mar 2026, 万司审〔2026〕12号), recorded by the officer, and signed by the principal leader with its interpretation?"""
    case = drafted(definition, "wanzhou", **WANZHOU_POLICY)
    assert case.data()["approval"]["legal_review"] == "outside"
    case.do("review_section", APPROVE)
    assert case.do("news_office_comment", NEWS_OFFICE) == OFFICER
    assert case.do("justice_review", JUSTICE) == OFFICER
    data = case.data()
    assert (data["justice_sent_on"], data["justice_answered_on"], data["justice_reference"]) == (
        "2026-03-06",
        "2026-03-13",
        "万司审〔2026〕12号",
    )
    case.do("review_leader", {"leader_decision": "approve"})
    assert case.next() == ("sign_principal", PRINCIPAL)  # 004 §13: document and interpretation together
    case.do(
        "sign_principal", {"principal_decision": "approve", "signed_together": "document_and_interpretation"}
    )
    assert case.next() == ("layout", CENTRE)


def test_pub10_wanzhou_a_justice_bureau_refusal_sends_the_draft_back(definition):
    """wanzhou: does 司法局's 未通过 send the document back to its officer, never to 法规处?"""
    case = drafted(definition, "wanzhou", **WANZHOU_POLICY)
    case.do("review_section", APPROVE)
    case.do("news_office_comment", NEWS_OFFICE)
    case.do(
        "justice_review", {**JUSTICE, "justice_conclusion": "return", "justice_opinion": "第五条超越权限"}
    )
    assert case.next() == ("revise_item", OFFICER)


def test_pub10_wanzhou_a_policy_that_is_not_normative_only_goes_to_the_news_office(definition):
    """wanzhou: does a non-normative policy skip the justice bureau after 新闻办's comment?"""
    case = drafted(definition, "wanzhou", **{**WANZHOU_POLICY, "normative": False})
    case.do("review_section", APPROVE)
    case.do("news_office_comment", NEWS_OFFICE)
    assert case.next() == ("review_leader", LEADER)


def test_pub10_national_keeps_the_in_house_legal_review(definition):
    """national: does a normative policy go to 法规处 and never to 新闻办 or 司法局?"""
    policy = {**WANZHOU_POLICY, "title": "关于推进城市更新的实施意见"}
    case = drafted(definition, **policy)
    case.do("review_section", APPROVE)
    assert case.next() == ("legal_review", ("legal", None))


CENTRE_OFFICER = ("info_center", Role.INFORMATION_OFFICER)
CENTRE_HEAD = ("info_center", Role.SECTION_HEAD)
OFFICE_HEAD = ("office", Role.SECTION_HEAD)


def centre_news(definition, importance="general"):
    """guangdong-land: a news item the centre wrote itself, drafted by 信息中心's officer (003 ch.3)."""
    runner = runner_for(PROFILES["guangdong-land"], terms=TERMS)
    data = {**DRAFT, "item_type": "centre_news", "source": "信息中心", "importance": importance}
    return Case(definition, data, "info_center", runner=runner)


def test_pub15_guangdong_land_the_centres_general_news_is_decided_by_its_head_and_published_directly(
    definition,
):
    """guangdong-land: is the centre's own news approved by the centre's head alone, proofread by officer and head, and published?"""
    case = centre_news(definition)
    assert case.next() == ("review_section", CENTRE_HEAD)
    case.do("review_section", APPROVE)
    assert case.do("layout", LAYOUT) == CENTRE
    assert case.do("proof_officer", OK1) == CENTRE_OFFICER
    assert case.do("proof_section", OK2) == CENTRE_HEAD
    assert case.next() == ("publish", CENTRE)


def test_pub15_guangdong_land_the_centres_important_news_also_needs_the_office_head(definition):
    """guangdong-land: does the centre's important news go to 办公室's head after the centre's head, no leader, and his 退回修改 back to the officer?"""
    case = centre_news(definition, "important")
    case.do("review_section", {**APPROVE, "importance": "important"})
    assert case.next() == ("review_office_head", OFFICE_HEAD)
    case.do("review_office_head", {"office_head_decision": "return", "office_head_comment": "标题需更准确"})
    assert case.next() == ("revise_item", CENTRE_OFFICER)
    case.do(
        "revise_item",
        {**{k: DRAFT[k] for k in ("column", "body")}, "title": "城市更新推进会召开", "source": "信息中心"},
    )
    case.do("review_section", {**APPROVE, "importance": "important"})
    case.do("review_office_head", {"office_head_decision": "approve"})
    assert case.do("layout", LAYOUT) == CENTRE
    assert case.do("proof_officer", OK1) == CENTRE_OFFICER
    assert case.do("proof_section", OK2) == CENTRE_HEAD
    assert case.next() == ("publish", CENTRE)
    assert not {"leader_decision", "principal_decision", "proof3_result"} & set(case.data())


HOST = ("planning", None)


def interview(definition):
    """guangdong-land: an online interview drafted by 信息中心's officer, 规划处 hosting, 王芳 reviewing on site."""
    runner = runner_for(PROFILES["guangdong-land"], terms=TERMS)
    data = {
        **DRAFT,
        "item_type": "interview",
        "source": "信息中心",
        "host_department": "planning",
        "text_reviewer": "wang.fang",
    }
    return Case(definition, data, "info_center", runner=runner)


def test_pub15_guangdong_land_an_interview_is_reviewed_on_site_by_the_named_person_then_published(definition):
    """guangdong-land: does an interview go to the host unit's named reviewer, skip chain and 三校, and go to publish?"""
    case = interview(definition)
    (task,) = case.ready()
    assert (task.spec_name, case.who(task), task.assignee) == ("on_site_review", HOST, "wang.fang")
    case.do("on_site_review", {"on_site_decision": "approve"})
    assert case.next() == ("publish", CENTRE)
    case.do("publish", PUBLISHED)
    assert not {"review_decision", "layout_url", "proof1_result"} & set(case.data())


def test_pub15_guangdong_land_the_on_site_reviewer_returns_an_interview_to_the_centre(definition):
    """guangdong-land: does 退回修改 with an opinion send the interview back to the centre's officer, then to the reviewer again?"""
    case = interview(definition)
    case.do("on_site_review", {"on_site_decision": "return", "on_site_comment": "嘉宾发言第三段有误"})
    assert case.next() == ("revise_item", ("info_center", Role.INFORMATION_OFFICER))
    case.do(
        "revise_item",
        {**{k: DRAFT[k] for k in ("title", "column", "body")}, "source": "信息中心", "revision_note": "已改"},
    )
    assert case.next() == ("on_site_review", HOST)


def test_pub15_markup_names_the_on_site_reviewer_and_the_news_deadline(definition):
    assert definition.assignee_fields == {"on_site_review": "text_reviewer"}
    assert definition.lane_department_fields["受访或主办单位"] == "host_department"

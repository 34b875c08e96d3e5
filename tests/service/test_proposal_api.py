"""人大建议 / 政协提案 through the API (PRO-1..2, NAT-6, ESC-3): months, the transfer document's date,
co-handlers answering in parallel, the extension told to the deputy, and the redo.

Run under national and hainan-sasac. No seed sets a proposal number of its own (000 §9 sends
proposals by the date in the transfer document, which the case carries), so both expect the same
days: 3 months from assignment, at most 3 more, co-handlers 1 month, registration 5 working days.
"""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import ProcessInstance
from service.services import cases
from service.services.org import user_for_token
from tests.service import flows
from tests.service.flows import act, attempt, case_clock, open_tasks, refused, serve, view
from tests.service.test_api_errors import _in_other_thread
from tests.service.test_deadlines import history, sweep

START = {
    "item_kind": "cppcc_proposal",
    "item_number": "第0456号",
    "item_title": "关于优化城市更新审批流程的提案",
    "deputy_name": "周建华",
    "applicant_contact": "13600000000",
    "item_content": "建议压缩城市更新项目规划审批时限……",
    "transfer_document": "省府办交〔2026〕30号",
    "assigned_on": "2026-03-02",
}
REPLY = {"draft_action": "reply", "reply_content": "已纳入审批制度改革。", "answer_grade": "A"}


@pytest.fixture(params=["national", "hainan-sasac"])
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def assigned(api, clock, **extra):
    clock.set("2026-03-02T01:00:00+00:00")
    return flows.start(api, "proposal", "chen.jing", {**START, **extra})


@pytest.mark.parametrize(
    ("transfer_due_on", "due"),
    [
        (None, "2026-06-02T16:00:00+00:00"),  # Mon 2 Mar + 3 months = Tue 2 Jun
        ("2026-05-20", "2026-05-20T16:00:00+00:00"),  # the transfer document asks for 20 May
        ("2026-07-31", "2026-06-02T16:00:00+00:00"),  # a later date does not loosen the 3 months
    ],
)
def test_pro1_nat6_the_reply_is_due_three_months_from_assignment_or_by_the_transfer_documents_date(
    served, clock, transfer_due_on, due
):
    """Is the item due 3 months from 交办日期, or on the transfer document's date when that comes first?"""
    extra = {"transfer_due_on": transfer_due_on} if transfer_due_on else {}
    case = assigned(served.api, clock, **extra)
    register = case["open_tasks"][0]
    # proposal.registration, 5 working days: 3, 4, 5, 6, 9 Mar.
    assert (register["department"]["code"], register["due_at"]) == ("legal", "2026-03-09T16:00:00+00:00")
    assert case["due_at"] == due
    assert case_clock(case, "proposal.reply")["no_later_than"] == transfer_due_on
    case = act(
        served.api,
        case,
        "register",
        "chen.jing",
        {"handling_mode": "single", "owning_department": "planning"},
    )
    draft = case["open_tasks"][0]
    assert (draft["department"]["code"], draft["due_at"]) == ("planning", due)


def test_pro2_co_handlers_answering_at_the_same_moment_both_get_through(served, clock, app):
    """When 办公室 and 信息中心 submit their opinions at once, is neither refused nor lost, and does the lead get both?"""
    api = served.api
    case = assigned(api, clock)
    clock.set("2026-03-03T01:00:00+00:00")
    data = {
        "handling_mode": "lead",
        "owning_department": "planning",
        "co_handlers": ["office", "info_center"],
    }
    case = act(api, case, "register", "chen.jing", data)
    tasks = {t["department"]["code"]: t for t in case["open_tasks"]}
    # proposal.co_handler_opinion, 1 month from Tue 3 Mar: Fri 3 Apr.
    assert {code: (t["name"], t["due_at"], t["role"]) for code, t in tasks.items()} == {
        "office": ("提出协办意见", "2026-04-03T16:00:00+00:00", None),
        "info_center": ("提出协办意见", "2026-04-03T16:00:00+00:00", None),
    }
    assert (
        api.post(
            f"/tasks/{tasks['office']['id']}/complete", "xu.ming", {"data": {"co_opinion_text": "x"}}
        ).status_code
        == 403
    )
    with served.app.app_context():
        read = db.session.get(ProcessInstance, case["id"])  # this request has read the case …
        assert read.status == "running"
        other = f"/tasks/{tasks['info_center']['id']}/complete"
        # … when 信息中心's answer is committed by another worker
        assert (
            _in_other_thread(
                lambda: (
                    api.post(
                        other, "xu.ming", {"data": {"co_opinion_text": "网站栏目可配合调整。"}}
                    ).status_code
                )
            )
            == 200
        )
        me = user_for_token(api.tokens["zhang.wei"])
        cases.complete_task(me, tasks["office"]["id"], {"co_opinion_text": "同意主办意见。"})
    after = view(api, case)
    opinions = {o["department"]: o["opinion"] for o in after["data"]["co_opinions"]}
    assert opinions == {"info_center": "网站栏目可配合调整。", "office": "同意主办意见。"}
    (draft,) = after["open_tasks"]
    assert (draft["task_spec"], draft["department"]["code"]) == ("draft_reply", "planning")


def test_nat6_an_extension_beyond_three_months_is_refused_and_three_are_told_to_the_deputy(
    served, clock, sender
):
    """Asked for 4 more months, is it refused saying 3 remain, and 3 approved by the leader due 2 Sep, with an SMS to the deputy?"""
    api = served.api
    case = assigned(api, clock)
    act(api, case, "register", "chen.jing", {"handling_mode": "single", "owning_department": "planning"})
    ask = {
        "draft_action": "extension",
        "extension_months_requested": 4,
        "extension_request_reason": "需跨部门调研",
    }
    too_long = attempt(api, case, "wang.fang", ask).get_json()
    assert (too_long["status"], too_long["field"]) == (422, "extension_months_requested")
    assert "最多还可延长3个月" in too_long["title"]
    case = act(api, case, "draft_reply", "wang.fang", {**ask, "extension_months_requested": 3})
    approval = case["open_tasks"][0]
    assert (approval["department"]["code"], approval["role"]) == ("planning", "leader_in_charge")
    refused(api, case, "sun.li")  # 孙丽 does not lead 规划处
    case = act(
        api,
        case,
        "approve_extension",
        "zhao.lei",
        {"extension_months": 3, "extension_reason": "需跨部门调研"},
    )
    # 2 Mar + 3 + 3 months = Wed 2 Sep.
    assert case["due_at"] == "2026-09-02T16:00:00+00:00"
    assert case_clock(case, "proposal.reply")["extension"] == "3个月"
    sweep(served.app, "2026-03-02T02:00:00+00:00")  # delivers the outbox
    (sms,) = [m for m in sender.sent if m[:2] == ("sms", "13600000000")]
    assert "3个月" in sms[3] and "需跨部门调研" in sms[3]


def test_nat6_the_reply_stops_the_clock_and_a_dissatisfied_deputy_restarts_it(served, clock):
    """Does sending the reply meet the deadline, and 不满意 start three fresh months from the feedback date?"""
    api = served.api
    case = assigned(api, clock, transfer_due_on="2026-05-20")
    act(api, case, "register", "chen.jing", {"handling_mode": "single", "owning_department": "planning"})
    act(api, case, "draft_reply", "wang.fang", REPLY)
    act(api, case, "sign_reply", "zhao.lei", {"sign_decision": "approve"})
    case = act(api, case, "send_reply", "chen.jing", {"replied_on": "2026-05-18", "reply_channel": "system"})
    assert case["due_at"] is None and case_clock(case, "proposal.reply")["status"] == "met"
    assert case["open_tasks"][0]["due_at"] is None  # waiting for the deputy is nobody's deadline
    feedback = {"satisfaction": "unsatisfied", "feedback_on": "2026-06-10", "feedback_content": "措施不具体"}
    case = act(api, case, "register_feedback", "chen.jing", feedback)
    clock_row = case_clock(case, "proposal.reply")
    # 10 Jun + 3 months = Thu 10 Sep; the transfer document's 20 May belongs to the first answer.
    assert (clock_row["status"], clock_row["started_on"], clock_row["no_later_than"]) == (
        "running",
        "2026-06-10",
        None,
    )
    assert case["due_at"] == "2026-09-10T16:00:00+00:00"
    assert [t["task_spec"] for t in open_tasks(api, case)] == ["draft_reply"]
    kinds = [e["kind"] for e in view(api, case)["history"] if e["kind"].startswith("deadline_")]
    assert kinds == ["deadline_stopped", "deadline_restarted"]
    assert history(served.app, case["id"], "deadline_restarted") == [
        {"deadline": "proposal.reply", "from": "2026-06-10"}
    ]


def test_esc3_a_co_handlers_task_sent_to_another_department_is_answered_in_its_name(served, clock):
    """Transferred from 信息中心 to 法规处, is the co-handler's opinion recorded as 法规处's, with the case still led by 规划处?"""
    api = served.api
    case = assigned(api, clock)
    data = {
        "handling_mode": "lead",
        "owning_department": "planning",
        "co_handlers": ["office", "info_center"],
    }
    case = act(api, case, "register", "chen.jing", data)
    centre = next(t for t in case["open_tasks"] if t["department"]["code"] == "info_center")
    moved = api.post(
        f"/tasks/{centre['id']}/transfer", "xu.ming", {"department": "legal", "reason": "涉及法规解释"}
    )
    assert moved.status_code == 200, moved.get_json()
    act(api, case, "give_co_opinion", "chen.jing", {"co_opinion_text": "符合现行规定。"}, department="legal")
    after = act(api, case, "give_co_opinion", "zhang.wei", {"co_opinion_text": "同意。"}, department="office")
    assert sorted(o["department"] for o in after["data"]["co_opinions"]) == ["legal", "office"]
    assert after["owning_department"]["code"] == "planning"
    assert after["open_tasks"][0]["task_spec"] == "draft_reply"

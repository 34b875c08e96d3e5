"""领导信箱 through the API (MBX-1..5, ESC-1/3): each step's deadline under three profiles.

national (5 / 10 working days), xingning (2 / 10, 002 §13) and guangdong-land (3 / 3, 003 ch.4) give
the department different days for the same letter. A letter received on Mon 27 Apr 2026 is dispatched
on Wed 29 Apr, the day before Labour Day (1-5 May off, Sat 9 May a make-up workday), so each count
crosses the holiday. xingning's days cover acceptance and reply together (受理答复完毕, MBX-3), so its
count starts at receipt, the others' at dispatch.
Due moments are the close of the due day in Beijing (24:00 = 16:00 UTC).
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import act, case_clock, open_task, refused, serve
from tests.service.test_deadlines import history, notified, sweep

START = {
    "writer_name": "赵小红",
    "applicant_contact": "13700000000",
    "letter_type": "consultation",
    "letter_title": "老旧小区加装电梯的规划手续",
    "letter_content": "请问老旧小区加装电梯需要办理哪些规划手续？",
    "received_on": "2026-04-27",
    "publish_consent": "yes",
}
REPLY = {"reply_action": "reply", "reply_content": "需向规划处申请……", "publish_suggestion": "public"}
# Dispatched Wed 29 Apr: 1 = Thu 30 Apr, 2 = Wed 6 May, 3 = Thu 7, 4 = Fri 8, 5 = Sat 9 (make-up workday),
# 6 = Mon 11 … 10 = Fri 15 May. xingning counts from receipt on Mon 27 Apr: 1 = Tue 28, 2 = Wed 29 Apr,
# 3 = Thu 30 Apr, 4 = Wed 6 May … 7 = Sat 9 May, 8 = Mon 11 … 10 = Wed 13 May.
REPLY_DUE = {
    "national": ("2026-05-09T16:00:00+00:00", "2026-05-15T16:00:00+00:00"),
    "xingning": ("2026-04-29T16:00:00+00:00", "2026-05-13T16:00:00+00:00"),
    "guangdong-land": ("2026-05-07T16:00:00+00:00", "2026-05-07T16:00:00+00:00"),
}


@pytest.fixture(params=sorted(REPLY_DUE))
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def dispatched(api, clock, complexity="simple", start=START, intake_due="2026-04-30T16:00:00+00:00"):
    """A letter taken in on Mon 27 Apr and dispatched to 规划处 on Wed 29 Apr."""
    clock.set("2026-04-27T01:00:00+00:00")
    case = flows.start(api, "mailbox", "xu.ming", start)
    intake = case["open_tasks"][0]
    # mailbox.intake is 3 working days everywhere: Tue 28, Wed 29, Thu 30 Apr.
    assert (intake["name"], intake["department"]["code"]) == ("来信初审", "info_center")
    assert intake_due is None or intake["due_at"] == intake_due
    clock.set("2026-04-29T01:00:00+00:00")
    after = act(api, case, "intake_review", "xu.ming", {"intake_decision": "accept"})
    registration = after["open_tasks"][0]
    # 1 working day from Wed 29 Apr: Thu 30 Apr.
    assert registration["department"]["code"] == "secrecy"
    assert registration["due_at"] == "2026-04-30T16:00:00+00:00"
    refused(api, case, "xu.ming", "wang.fang")
    data = {
        "incoming_number": "收〔2026〕88号",
        "owning_department": "planning",
        "complexity": complexity,
        "dispatched_on": "2026-04-29",
    }
    return act(api, case, "register_dispatch", "ma.li", data)


@pytest.mark.parametrize("complexity", ["simple", "complex"])
def test_mbx3_the_reply_clock_starts_at_dispatch_by_complexity_and_stops_on_approval(
    served, clock, complexity
):
    """Does the department's reply fall due on its profile's day for the letter's complexity, and the clock stop once its head approves?"""
    api = served.api
    name = "mailbox.reply" if complexity == "simple" else "mailbox.reply_complex"
    due = REPLY_DUE[served.profile][complexity == "complex"]
    case = dispatched(api, clock, complexity)
    draft = case["open_tasks"][0]
    assert (draft["name"], draft["department"]["code"]) == ("办理答复", "planning")
    assert case["due_at"] == due and draft["due_at"] == due
    counted_from = "2026-04-27" if served.profile == "xingning" else "2026-04-29"
    assert (case_clock(case, name)["started_on"], case_clock(case, name)["status"]) == (
        counted_from,
        "running",
    )
    assert [d["name"] for d in case["deadlines"] if d["task_id"] is None] == [name]

    case = act(api, case, "draft_reply", "wang.fang", REPLY)
    assert case["open_tasks"][0]["due_at"] == due  # the head's review runs on the same clock
    case = act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    assert case_clock(case, name)["status"] == "met" and case["due_at"] is None
    publish = case["open_tasks"][0]
    assert (publish["name"], publish["department"]["code"]) == ("审核上网并答复来信人", "info_center")
    [started] = history(served.app, case["id"], "deadline_started")
    assert started == {"deadline": name, "from": counted_from}
    assert history(served.app, case["id"], "deadline_stopped") == [{"deadline": name}]


def test_mbx3_a_returned_reply_keeps_the_clock_running_until_approved(served, clock):
    """After 退回修改, does the redraft still show the same due day, with nothing met or restarted?"""
    api = served.api
    case = dispatched(api, clock)
    act(api, case, "draft_reply", "wang.fang", REPLY)
    case = act(
        api, case, "review_reply", "liu.yang", {"review_decision": "return", "review_comment": "补充依据"}
    )
    assert case["open_tasks"][0]["task_spec"] == "draft_reply"
    assert case_clock(case, "mailbox.reply")["status"] == "running"
    assert case["open_tasks"][0]["due_at"] == REPLY_DUE[served.profile][0]


def test_esc3_a_letter_sent_back_for_redispatch_keeps_its_reply_clock(served, clock):
    """When 规划处 returns a letter and 保密室 sends it to 法规处, does the count go on from the first dispatch?"""
    api = served.api
    case = dispatched(api, clock)
    clock.set("2026-04-30T02:00:00+00:00")
    case = act(
        api, case, "draft_reply", "wang.fang", {"reply_action": "return", "return_reason": "属法规处职责"}
    )
    registration = open_task(api, case)
    assert (registration["task_spec"], registration["department"]["code"]) == ("register_dispatch", "secrecy")
    data = {
        "incoming_number": "收〔2026〕88号",
        "owning_department": "legal",
        "complexity": "simple",
        "dispatched_on": "2026-04-30",
    }
    case = act(api, case, "register_dispatch", "ma.li", data)
    assert case["open_tasks"][0]["department"]["code"] == "legal"
    first_count = "2026-04-27" if served.profile == "xingning" else "2026-04-29"  # receipt or dispatch
    assert case_clock(case, "mailbox.reply")["started_on"] == first_count
    assert case["due_at"] == REPLY_DUE[served.profile][0]


# (reminder, level 1 = the deadline, level 2 = one working day later), closes of the day in Beijing.
ESCALATION = {
    "national": ("2026-05-08T16:00:00+00:00", "2026-05-09T16:00:00+00:00", "2026-05-11T16:00:00+00:00"),
    # From receipt on Mon 27 Apr: due Wed 29 Apr, reminded as Tue 28 Apr closes.
    "xingning": ("2026-04-28T16:00:00+00:00", "2026-04-29T16:00:00+00:00", "2026-04-30T16:00:00+00:00"),
    "guangdong-land": ("2026-05-06T16:00:00+00:00", "2026-05-07T16:00:00+00:00", "2026-05-08T16:00:00+00:00"),
}


def test_esc1_mbx3_a_late_reply_is_reminded_then_raised_to_the_head_and_the_leader_once_each(served, clock):
    """Is a silent department reminded the working day before its reply is due, then raised twice, each once?"""
    api, app = served.api, served.app
    case = dispatched(api, clock)
    remind, level1, level2 = ESCALATION[served.profile]
    for _ in range(2):
        sweep(app, remind)
    assert len(history(app, case["id"], "reminded")) == 1
    for _ in range(2):
        sweep(app, level1)
    assert [d["level"] for d in history(app, case["id"], "escalated")] == [1]
    assert len(notified(app, "liu.yang", "escalation")) == 1
    sweep(app, level2)
    assert [d["level"] for d in history(app, case["id"], "escalated")] == [1, 2]
    assert len(notified(app, "zhao.lei", "escalation")) == 1  # zhao.lei leads 规划处
    assert notified(app, "sun.li", "escalation") == []
    clock.set(level2)
    late = open_task(api, case)
    assert (late["task_spec"], late["overdue"], late["escalation_level"]) == ("draft_reply", True, 2)


SURVEY = {
    "survey_kind": "survey",
    "survey_title": "政务服务满意度网上调查",
    "survey_content": "请对本局政务服务作出评价。",
    "opens_on": "2026-03-09",
    "closes_on": "2026-03-31",
}


def test_mbx6_only_the_initiating_departments_head_approves_a_survey_and_the_centre_publishes_in_a_working_day(
    served, clock
):
    """Is a survey from 规划处 approved by 刘洋 only (not 李娜 of the office), then due at the centre the next working day?"""
    api = served.api
    clock.set("2026-03-06T02:00:00+00:00")  # Friday
    case = flows.start(api, "survey", "wang.fang", SURVEY)
    approval = case["open_tasks"][0]
    assert (approval["department"]["code"], approval["role"]) == ("planning", "section_head")
    assert (
        api.post(
            f"/tasks/{approval['id']}/complete", "wang.fang", {"data": {"approval_decision": "approve"}}
        ).status_code
        == 403
    )
    refused(api, case, "li.na")
    case = act(api, case, "approve_survey", "liu.yang", {"approval_decision": "approve"})
    publish = case["open_tasks"][0]
    # publishing.centre_edit is 1 working day in every profile (002 §27): Friday → Monday 9 Mar.
    assert (publish["department"]["code"], publish["due_at"]) == ("info_center", "2026-03-09T16:00:00+00:00")
    done = act(
        api,
        case,
        "publish_survey",
        "xu.ming",
        {"published_on": "2026-03-09", "published_url": "https://example.gov.cn/dc/1"},
    )
    assert done["status"] == "completed"


def test_req5_mbx4_the_writer_is_told_the_reply_and_a_rejection_by_sms(served, clock, sender):
    """Is the writer texted the department's reply when it goes out, and the reason when a letter is refused?"""
    api = served.api
    case = dispatched(api, clock)
    act(api, case, "draft_reply", "wang.fang", REPLY)
    act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    case = act(
        api, case, "publish_reply", "xu.ming", {"publish_scope": "writer_only", "published_on": "2026-05-06"}
    )
    assert case["status"] == "completed"
    refused_letter = flows.start(api, "mailbox", "xu.ming", START)
    act(
        api,
        refused_letter,
        "intake_review",
        "xu.ming",
        {"intake_decision": "reject", "reject_reason": "petition"},
    )
    sweep(served.app, "2026-05-06T02:00:00+00:00")  # delivers the outbox
    accepted, reply, refusal = [m for m in sender.sent if m[:2] == ("sms", "13700000000")]
    assert case["tracking_number"] in accepted[2] and "受理告知" in accepted[2]
    assert case["tracking_number"] in reply[2] and "需向规划处申请" in reply[3] and "在线咨询" in reply[3]
    assert refused_letter["tracking_number"] in refusal[2]
    assert "属信访投诉事项，告知通过网上信访提交" in refusal[3]  # the reason's label, not its code
    notified = [
        e["details"]["subject"] for e in flows.view(api, case)["history"] if e["kind"] == "applicant_notified"
    ]
    assert notified == [accepted[2], reply[2]]


def options_of(api, task, field, user="admin"):
    form = api.get(f"/tasks/{task['id']}", user).get_json()["form"]
    (found,) = [f for f in form if f["name"] == field]
    return [o["value"] for o in found["options"]]


def test_mbx4_a_writer_who_refused_publication_is_never_published_to_everyone(served, clock):
    """A writer who said 不同意公开: are 公开 options neither offered nor accepted, with the reason, and 仅答复来信人 still possible?"""
    api = served.api
    case = dispatched(api, clock, start={**START, "publish_consent": "no"})
    assert options_of(api, open_task(api, case), "publish_suggestion", "wang.fang") == ["writer_only"]
    suggested = flows.attempt(api, case, "wang.fang", REPLY)
    problem = suggested.get_json()
    assert (suggested.status_code, problem["field"]) == (422, "publish_suggestion")
    assert problem["errors"][0]["code"] == "option_not_available" and "来信人不同意公开" in problem["title"]
    act(api, case, "draft_reply", "wang.fang", {**REPLY, "publish_suggestion": "writer_only"})
    case = act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    publish = open_task(api, case)
    assert options_of(api, publish, "publish_scope", "xu.ming") == ["writer_only"]
    published = flows.attempt(api, case, "xu.ming", {"publish_scope": "public", "published_on": "2026-04-30"})
    problem = published.get_json()
    assert (published.status_code, problem["field"]) == (422, "publish_scope")
    assert "来信人不同意公开" in problem["errors"][0]["message"]
    assert open_task(api, case)["id"] == publish["id"]  # nothing was stored
    done = act(
        api, case, "publish_reply", "xu.ming", {"publish_scope": "writer_only", "published_on": "2026-04-30"}
    )
    assert done["status"] == "completed" and done["data"]["publish_scope"] == "writer_only"


def test_mbx4_a_writer_who_consented_is_offered_both_scopes(served, clock):
    """With 同意公开, are 公开 and 仅答复来信人 both offered at the last step?"""
    api = served.api
    case = dispatched(api, clock)
    act(api, case, "draft_reply", "wang.fang", REPLY)
    case = act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    assert options_of(api, open_task(api, case), "publish_scope") == ["public", "writer_only"]


# --- receipt dates (MBX-1, NAT-2): the letter's own date, not the day staff typed it in ---


def test_mbx1_the_intake_counts_from_the_day_the_letter_arrived(api, clock):
    """national: a letter that arrived on Fri 24 Apr 2026 and was entered on Mon 27 Apr is due for intake on Wed 29 Apr (3 working days from 24 Apr), not Thu 30 Apr."""
    clock.set("2026-04-27T01:00:00+00:00")
    case = flows.start(api, "mailbox", "xu.ming", {**START, "received_on": "2026-04-24"})
    intake = case["open_tasks"][0]
    assert (intake["task_spec"], intake["due_at"]) == ("intake_review", "2026-04-29T16:00:00+00:00")
    (row,) = [d for d in case["deadlines"] if d["task_id"] == intake["id"]]
    assert row["started_on"] == "2026-04-24"


def test_mbx1_a_receipt_date_after_today_is_refused_naming_the_field(api, clock):
    """Is a letter said to arrive tomorrow refused (422 naming received_on) and no case written?"""
    clock.set("2026-04-27T01:00:00+00:00")
    response = api.post(
        "/process-definitions/mailbox/instances", "xu.ming", {"data": {**START, "received_on": "2026-04-28"}}
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "received_on" in str(response.get_json())


def test_mbx3_xingning_counts_the_reply_from_receipt_even_when_dispatched_later(
    app, api, api_for_profile, clock
):
    """xingning: a letter received Fri 24 Apr 2026 and dispatched Wed 29 Apr is due Tue 28 Apr (2 working days from receipt), already late; national's counts from dispatch (Sat 9 May)."""
    for profile, due, counted_from in (
        ("xingning", "2026-04-28T16:00:00+00:00", "2026-04-24"),
        ("national", "2026-05-09T16:00:00+00:00", "2026-04-29"),
    ):
        served = serve(profile, api, app, api_for_profile)
        case = dispatched(served.api, clock, start={**START, "received_on": "2026-04-24"}, intake_due=None)
        reply = case_clock(case, "mailbox.reply")
        assert (reply["started_on"], reply["due_at"], case["due_at"]) == (counted_from, due, due), profile

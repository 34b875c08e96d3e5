"""撤回 through the API (issue 11): taking back one's own completed step while the next person has not
yet opened or acted on what it led to, and never once it reached outside the workflow (a notice to
the applicant, a deadline stopped, started or extended, a linked case) or the case is finished."""

from __future__ import annotations

import threading

from tests.service import flows
from tests.service.flows import act, open_task, view
from tests.service.test_api_errors import assert_problem
from tests.service.test_disclosure_api import ACCEPT, CORRECTION_NOTICE
from tests.service.test_error_report_api import CORRECTED, CORRECTED_URL, REPORTER, VALID
from tests.service.test_proposal_api import START as PROPOSAL
from tests.service.test_publishing_api import to_publish
from tests.service.test_return_api import LAYOUT, rewound
from tests.unit.test_publishing_flow import APPROVE, DRAFT

PROOFREAD = {"proof1_result": "ok"}


def laid_out(api, clock):
    """A general news item of 规划处 reviewed and laid out: 一校 waits for its drafter 王芳."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", DRAFT)
    act(api, case, "review_section", "liu.yang", APPROVE)
    return act(api, case, "layout", "xu.ming", LAYOUT)


def proofread(api, clock):
    """王芳 has done 一校; returns the case and her done task."""
    case = laid_out(api, clock)
    task = open_task(api, case)
    flows.complete(api, task["id"], "wang.fang", PROOFREAD)
    return view(api, case), task


def withdraw(api, task_id, user, reason=None):
    return api.post(f"/tasks/{task_id}/withdraw", user, {} if reason is None else {"reason": reason})


def refusal(response) -> str:
    return assert_problem(response, 409, "cannot_withdraw")["title"]


def test_withdrawing_reopens_ones_own_step_prefilled_and_cancels_the_next(api, clock):
    """王芳 takes back her 一校 before 刘洋 has looked at 二校: is 二校 cancelled, 一校 open again in her
    own inbox with her answer, the history saying so, and her 已办 list without the withdrawn round?"""
    case, task = proofread(api, clock)
    (second,) = case["open_tasks"]
    response = withdraw(api, task["id"], "wang.fang", "校对结果填错")
    reopened = rewound(api, case, response, (task["id"], "withdrawn"), ("proof_officer", "wang.fang"))
    after = view(api, case)
    kinds = {(e["kind"], e["task_id"]) for e in after["history"]}
    assert {("task_withdrawn", task["id"]), ("task_cancelled", second["id"])} <= kinds
    line = next(e for e in after["history"] if e["kind"] == "task_withdrawn")
    assert (line["actor"]["username"], line["details"]["reason"]) == ("wang.fang", "校对结果填错")
    detail = api.get(f"/tasks/{reopened['id']}", "wang.fang").get_json()
    assert {f["name"]: f["value"] for f in detail["form"]}["proof1_result"] == "ok"
    assert detail["rework"]["reopened_by"]["kind"] == "task_withdrawn"
    assert detail["rework"]["reopened_by"]["from_task"] == "一校"
    handled = api.get("/tasks?scope=mine&status=done", "wang.fang").get_json()["items"]
    assert task["id"] not in [t["id"] for t in handled]
    said = api.get(f"/process-instances/{case['id']}/opinions", "wang.fang").get_json()["items"]
    assert task["id"] not in [o["task_id"] for o in said]  # the withdrawn verdict is no longer given
    flows.complete(api, reopened["id"], "wang.fang", PROOFREAD)
    assert open_task(api, case)["task_spec"] == "proof_section"
    said = api.get(f"/process-instances/{case['id']}/opinions", "wang.fang").get_json()["items"]
    assert [o["task_id"] for o in said].count(reopened["id"]) == 1


def test_the_reopened_step_goes_on_with_the_withdrawn_steps_deadline(api, clock):
    """登记交办 (5 working days from Mon 2 Mar: due Mon 9 Mar) done, then withdrawn on Thu 5 Mar: is it
    still due on 9 Mar, not five working days from the withdrawal?"""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "proposal", "chen.jing", PROPOSAL)
    register = open_task(api, case)
    assert register["due_at"] == "2026-03-09T16:00:00+00:00"
    act(api, case, "register", "chen.jing", {"handling_mode": "single", "owning_department": "planning"})
    clock.set("2026-03-05T02:00:00+00:00")
    reopened = withdraw(api, register["id"], "chen.jing").get_json()["reopened"]
    assert reopened["due_at"] == "2026-03-09T16:00:00+00:00"
    clocks = {(d["task_id"], d["status"]) for d in view(api, case)["deadlines"] if d["task_id"]}
    assert clocks == {(register["id"], "cancelled"), (reopened["id"], "running")}


def test_once_the_next_person_opened_the_task_it_can_no_longer_be_withdrawn(api, clock):
    """Do 王芳 herself, an administrator and a colleague who may not act on 二校 leave it withdrawable,
    and 刘洋 opening it (GET /tasks/{id}) end that?"""
    case, task = proofread(api, clock)
    second = open_task(api, case)
    for looker in ("wang.fang", "admin", "zhao.lei"):
        api.get(f"/tasks/{second['id']}", looker)
    assert api.get(f"/tasks/{second['id']}", "liu.yang").status_code == 200
    assert "已查看" in refusal(withdraw(api, task["id"], "wang.fang"))
    assert open_task(api, case)["id"] == second["id"]


def test_once_the_next_person_acted_on_the_task_it_can_no_longer_be_withdrawn(api, clock):
    """Claimed and released again by 刘洋: is the withdrawal refused, naming the step?"""
    case, task = proofread(api, clock)
    second = open_task(api, case)
    assert api.post(f"/tasks/{second['id']}/claim", "liu.yang").status_code == 200
    assert api.post(f"/tasks/{second['id']}/unclaim", "liu.yang").status_code == 200
    assert "“二校”已有人处理" in refusal(withdraw(api, task["id"], "wang.fang"))


def test_only_the_person_who_did_the_step_may_withdraw_it(api, clock):
    """Is 刘洋 (who sees the task) refused 403 not_completer, 张伟 of another department 403, an unknown task 404?"""
    case, task = proofread(api, clock)
    assert_problem(withdraw(api, task["id"], "liu.yang"), 403, "not_completer")
    assert_problem(withdraw(api, task["id"], "zhang.wei"), 403, "not_task_department")
    assert_problem(withdraw(api, 2_000_000, "wang.fang"), 404, "task_not_found")
    assert_problem(withdraw(api, task["id"], "wang.fang", "\x00"), 422, "validation_failed", "reason")
    assert open_task(api, case)["task_spec"] == "proof_section"


def test_an_open_or_already_withdrawn_task_cannot_be_withdrawn(api, clock):
    """Is withdrawing a task not yet done, or withdrawing the same round twice, a 409 saying why?"""
    case = laid_out(api, clock)
    task = open_task(api, case)
    assert "尚未办结" in refusal(withdraw(api, task["id"], "wang.fang"))
    flows.complete(api, task["id"], "wang.fang", PROOFREAD)
    assert withdraw(api, task["id"], "wang.fang").status_code == 200
    assert "已撤回" in refusal(withdraw(api, task["id"], "wang.fang"))


def test_a_step_that_told_the_applicant_cannot_be_withdrawn(api, clock):
    """一次性告知补正 sent the applicant a notice: is its withdrawal refused saying so?"""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start_disclosure(api)
    act(api, case, "register", "zhang.wei", {**ACCEPT, "registration_decision": "correction"})
    notice = open_task(api, case)
    act(api, case, "correction_notice", "zhang.wei", CORRECTION_NOTICE)
    assert "已告知申请人" in refusal(withdraw(api, notice["id"], "zhang.wei"))


def test_a_step_that_stopped_a_deadline_or_finished_the_case_cannot_be_withdrawn(api, clock):
    """发布 met the news deadline: refused saying so; 发布后核查 closed the case: refused saying so."""
    case, _ = proofread(api, clock)
    act(api, case, "proof_section", "liu.yang", {"proof2_result": "ok"})
    publish = open_task(api, case)
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    assert "停止了期限计时" in refusal(withdraw(api, publish["id"], "xu.ming"))
    check = open_task(api, case)
    done = act(api, case, "post_check", "xu.ming", {"check_result": "ok"})
    assert done["status"] == "completed"
    assert "案件已办结" in refusal(withdraw(api, check["id"], "xu.ming"))


def race(api, task_id: int, next_id: int) -> dict[str, int]:
    """王芳's withdrawal and 刘洋's claim sent at the same moment, each through its own client."""
    start = threading.Barrier(2)
    calls = {
        "withdraw": lambda client: withdraw(client, task_id, "wang.fang"),
        "claim": lambda client: client.post(f"/tasks/{next_id}/claim", "liu.yang"),
    }
    statuses: dict[str, int] = {}

    def go(name: str) -> None:
        client = api.fresh()
        start.wait()
        statuses[name] = calls[name](client).status_code

    threads = [threading.Thread(target=go, args=(name,)) for name in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_a_withdrawal_racing_the_next_persons_claim_one_of_them_wins(api, clock):
    """王芳 withdraws 一校 as 刘洋 claims 二校, at the same moment: does exactly one succeed, the other
    get a 409, and the inbox match whichever won?"""
    for _ in range(3):
        case, task = proofread(api, clock)
        second = open_task(api, case)
        statuses = race(api, task["id"], second["id"])
        assert sorted(statuses.values()) == [200, 409], statuses
        (still_open,) = view(api, case)["open_tasks"]
        if statuses["withdraw"] == 200:
            assert (still_open["task_spec"], still_open["assignee"]["username"]) == (
                "proof_officer",
                "wang.fang",
            )
        else:
            assert (still_open["id"], still_open["assignee"]["username"]) == (second["id"], "liu.yang")


def test_a_step_that_linked_another_case_cannot_be_withdrawn(api, clock):
    """整改 named the published correction (FB-…), which now shows the link: is its withdrawal refused?"""
    clock.set("2026-03-06T01:00:00+00:00")
    report = flows.start(api, "error_report", "xu.ming", REPORTER)
    act(api, report, "verify", "xu.ming", VALID)
    correction = flows.start(api, "publishing", "wang.fang", DRAFT)
    to_publish(api, correction)
    act(api, correction, "publish", "xu.ming", {"published_on": "2026-03-06", "published_url": CORRECTED_URL})
    fix = open_task(api, report)
    act(api, report, "fix", "wang.fang", {**CORRECTED, "correction_case": correction["tracking_number"]})
    assert "关联了其他案件" in refusal(withdraw(api, fix["id"], "wang.fang"))

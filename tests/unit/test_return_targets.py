"""Where a step may send its case back (退回, issue 11), worked out on the parsed diagrams: the steps
done on the path that led to it, never into the middle of a parallel branch, and from inside a
branch only within it. And what sending it back does to the workflow: the step reopens with its
earlier answer in the case data, and what came after it is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit import test_proposal_flow as proposal
from tests.unit.cases import Case, load
from tests.unit.test_petition_flow import ACCEPTED, ROUTED, START, SUPPORTED
from tests.unit.test_publishing_flow import APPROVE, DRAFT, LAYOUT, OK1
from workflows.engine.parser import parse_definition

REVISED = {
    **{k: DRAFT[k] for k in ("column", "source", "body")},
    "title": "修改后的标题",
    "revision_note": "已改",
}
SENT_BACK = {"secrecy_decision": "public_ok", "review_decision": "return", "review_comment": "标题不准确"}


def targets(case: Case, spec: str, department: str | None = None) -> list[str]:
    """The steps the ready task `spec` may return to, the latest first."""
    tasks = [t for t in case.ready() if t.spec_name == spec]
    if department is not None:
        tasks = [t for t in tasks if case.who(t).department == department]
    (task,) = tasks
    return [step.spec_name for step in case.runner.earlier_steps(case._load(), task.id)]


def send_back(case: Case, spec: str, to: str) -> str:
    """Return the ready task `spec` to the earlier step `to`, as the service does; the reopened task's id."""
    workflow = case._load()
    (task,) = [t for t in case.ready() if t.spec_name == spec]
    (step,) = [s for s in case.runner.earlier_steps(workflow, task.id) if s.spec_name == to]
    new_id = case.runner.reopen(workflow, step.id)
    case.state = case.runner.dumps(workflow)
    return new_id


@pytest.fixture(scope="module")
def publishing():
    return load("publishing")


def test_a_late_proofreading_step_may_return_to_every_step_done_before_it_latest_first(publishing):
    """Can 二校 send a general item back to 一校, 排版 or 保密审查及复审 (the draft itself is the start form, no step)?"""
    case = Case(publishing, DRAFT, "planning")
    assert targets(case, "review_section") == []
    case.do("review_section", APPROVE)
    case.do("layout", LAYOUT)
    case.do("proof_officer", OK1)
    assert targets(case, "proof_section") == ["proof_officer", "layout", "review_section"]


def test_a_step_done_twice_is_offered_once_and_the_drafters_revision_is_a_target(publishing):
    """After a review sent the item back for revision, is 保密审查及复审 offered once, and 修改稿件 too?"""
    case = Case(publishing, DRAFT, "planning")
    case.do("review_section", SENT_BACK)
    case.do("revise_item", REVISED)
    case.do("review_section", APPROVE)
    case.do("layout", LAYOUT)
    assert targets(case, "proof_officer") == ["layout", "review_section", "revise_item"]


def test_returning_reopens_the_step_with_its_answer_and_drops_what_came_after(publishing):
    """Returned from 一校 to 修改稿件: is the revision ready again under a new id, the case data as the
    revision left it (its answer kept, 排版 gone), and does the case go on from there?"""
    case = Case(publishing, DRAFT, "planning")
    case.do("review_section", SENT_BACK)
    revision = [t.id for t in case.ready()]
    case.do("revise_item", REVISED)
    case.do("review_section", APPROVE)
    case.do("layout", LAYOUT)
    new_id = send_back(case, "proof_officer", "revise_item")
    (ready,) = case.ready()
    assert (ready.spec_name, ready.id) == ("revise_item", new_id) and [new_id] != revision
    data = case.data()
    assert (data["title"], data["revision_note"]) == ("修改后的标题", "已改")
    assert "layout_url" not in data and data["review_decision"] == "return"  # as it stood then
    case.do("revise_item", {**REVISED, "title": "第三稿标题"})
    assert case.next()[0] == "review_section" and case.data()["title"] == "第三稿标题"


def test_the_co_departments_confirmations_are_no_target_and_each_confirmation_has_none(publishing):
    """A joint item: may a co-department's confirmation (one of several side by side) return anywhere,
    and may a later step return into those confirmations? Neither."""
    case = Case(publishing, {**DRAFT, "co_departments": ["finance", "legal"]}, "planning")
    assert targets(case, "co_confirm", "finance") == []
    case.do("co_confirm", {"co_decision": "confirm"}, department="finance")
    assert targets(case, "co_confirm", "legal") == []
    case.do("co_confirm", {"co_decision": "confirm"}, department="legal")
    assert targets(case, "review_section") == []
    case.do("review_section", APPROVE)
    assert targets(case, "layout") == ["review_section"]


def test_proposal_co_handlers_and_separate_replies_are_parallel_and_no_target():
    """proposal.bpmn: is the lead's draft sent back only to registration, never into the co-handlers'
    opinions, and are 分办 replies (side by side) without a target, 答复代表委员 returning past them?"""
    definition = load("proposal")
    lead = Case(definition, proposal.START, "legal")
    lead.do(
        "register", {"handling_mode": "lead", "owning_department": "planning", "co_handlers": ["finance"]}
    )
    assert targets(lead, "give_co_opinion") == []
    lead.do("give_co_opinion", {"co_opinion_text": "同意"}, department="finance")
    assert targets(lead, "draft_reply") == ["register"]
    lead.do("draft_reply", proposal.REPLY)
    assert targets(lead, "sign_reply") == ["draft_reply", "register"]

    separate = Case(definition, proposal.START, "legal")
    separate.do("register", {"handling_mode": "separate", "separate_handlers": ["planning", "finance"]})
    assert targets(separate, "reply_separately", "planning") == []
    for department in ("planning", "finance"):
        reply = {"separate_reply_content": "答复", "separate_grade": "A"}
        separate.do("reply_separately", reply, department=department)
    assert targets(separate, "send_reply") == ["register"]


@pytest.fixture(scope="module")
def parallel():
    xml = (Path(__file__).parent / "diagrams" / "parallel_review.bpmn").read_bytes()
    return parse_definition(xml, "parallel_review")


def parallel_case(definition, monkeypatch) -> Case:
    # The driver reparses a diagram by its name under bpmn/; this one lives with the tests.
    monkeypatch.setattr("tests.unit.cases.load", lambda process_id: definition)
    case = Case(definition, {}, "planning")
    case.do("draft", {})
    return case


def test_a_step_inside_a_parallel_branch_returns_only_within_its_branch(parallel, monkeypatch):
    """Between a parallel split and join: may 甲复审 return to 甲审 (its own branch) but not to 拟稿,
    and 乙审 and 甲审 (first in their branches) nowhere?"""
    case = parallel_case(parallel, monkeypatch)
    assert targets(case, "check_a") == [] and targets(case, "check_b") == []
    case.do("check_a", {})
    assert targets(case, "check_a2") == ["check_a"]


def test_after_the_join_a_step_returns_past_the_parallel_branches_never_into_them(parallel, monkeypatch):
    """Is 签发 offered 拟稿 only, none of the three review steps inside the parallel region?"""
    case = parallel_case(parallel, monkeypatch)
    for spec in ("check_b", "check_a", "check_a2"):
        case.do(spec, {})
    assert targets(case, "sign") == ["draft"]
    send_back(case, "sign", "draft")
    assert case.open()[0][0] == "draft" and len(case.ready()) == 1
    for spec in ("draft", "check_a", "check_b", "check_a2"):
        case.do(spec, {})
    assert case.next()[0] == "sign"


def test_a_step_with_a_boundary_timer_is_a_target_and_reopens_with_its_answer():
    """petition.bpmn: from 网上答复, are 办理, 受理审查并告知 (which carries the objection window's
    timer) and 转送 offered; does 受理审查 reopen with its acceptance kept?"""
    definition = load("petition")
    case = Case(definition, START, "petition", at="2026-04-20T01:00:00")
    case.do("route", ROUTED)
    case.do("review_acceptance", ACCEPTED)
    case.do("handle", SUPPORTED)
    assert targets(case, "reply_online") == ["handle", "review_acceptance", "route"]
    send_back(case, "reply_online", "review_acceptance")
    assert case.next()[0] == "review_acceptance"
    assert case.data()["accepted_on"] == "2026-04-22" and "outcome" not in case.data()
    case.do("review_acceptance", ACCEPTED)
    assert case.next()[0] == "handle"

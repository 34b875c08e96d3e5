"""Moving a case onto a newer version of its diagram, on the bare engine (workflows/engine/migration.py).

Every step saves the case to JSON and restores it, as the service does; each version is parsed from
its own XML, so nothing of the old spec can reach the migrated case except through the migration.
"""

from __future__ import annotations

import pytest

from tests.unit import test_disclosure_flow as disclosure_flow
from tests.unit import test_petition_flow as petition_flow
from tests.unit import test_proposal_flow as proposal_flow
from tests.unit import test_publishing_flow as publishing_flow
from tests.unit.cases import BPMN, Case, load, runner_for
from tests.unit.test_engine import TIMER, diagram
from tests.unit.test_proposal_flow import START as PROPOSAL
from workflows.clock import FixedClock
from workflows.engine.migration import LostStep, MigrationRefused, migrate
from workflows.engine.parser import ParsedDefinition, parse_definition
from workflows.engine.runner import ProcessRunner

# TIMER: start → 等待办理 (wait, with a P2D boundary timer "late" → 督办) → done.
V1 = parse_definition(TIMER)
ADDED_STEP = """<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="check"/>
<bpmn:userTask id="check" name="复核"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
<bpmn:sequenceFlow id="f5" sourceRef="check" targetRef="done"/>"""
CHECK_ONLY = """
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
<bpmn:userTask id="check" name="复核"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
<bpmn:sequenceFlow id="f5" sourceRef="check" targetRef="done"/>
<bpmn:endEvent id="done"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
"""
TIMER_ON_CHECK = """
<bpmn:boundaryEvent id="late" name="超时" attachedToRef="check"><bpmn:outgoing>f6</bpmn:outgoing>
  <bpmn:timerEventDefinition><bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition>
</bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f6" sourceRef="late" targetRef="done"/>
"""


def edited(xml: bytes, *changes: tuple[str, str]) -> bytes:
    """The diagram with each (old, new) text replaced; a change that finds nothing is a broken test."""
    text = xml.decode()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


def v2() -> ParsedDefinition:
    """Version 2: the open task is called 等待受理 and a 复核 step follows it."""
    return parse_definition(
        edited(
            TIMER,
            ("等待办理", "等待受理"),
            ('<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="done"/>', ADDED_STEP),
            (
                "<bpmn:incoming>f2</bpmn:incoming><bpmn:incoming>f4",
                "<bpmn:incoming>f5</bpmn:incoming><bpmn:incoming>f4",
            ),
        )
    )


def at_wait(runner: ProcessRunner, clock: FixedClock) -> str:
    """A version-1 case started on 6 May and a day later still at 等待办理 (its timer set for 8 May)."""
    state = runner.dumps(runner.start(V1, {"x": 1}, clock))
    clock.advance(days=1)
    return state


def migrated(runner: ProcessRunner, state: str, old: ParsedDefinition, new: ParsedDefinition, clock) -> str:
    workflow = runner.loads(state, old, clock)
    migrate(workflow, old, new)
    return runner.dumps(workflow)


def refused(runner: ProcessRunner, state: str, old: ParsedDefinition, new_xml: bytes, clock) -> set[tuple]:
    """What a refused move names (element, name, open, reason); the case is left exactly as it was."""
    workflow = runner.loads(state, old, clock)
    with pytest.raises(MigrationRefused) as err:
        migrate(workflow, old, parse_definition(new_xml))
    assert runner.dumps(workflow) == state
    return {(s.element, s.name, s.open, s.reason) for s in err.value.lost}


def test_the_open_task_keeps_its_id_and_completing_it_leads_to_the_added_step():
    """Moved to a version that renames the open task and adds a step after it, does the same task go on into that step?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    state = at_wait(runner, clock)
    (before,) = runner.ready_tasks(runner.loads(state, V1, clock))
    new = v2()
    workflow = runner.loads(migrated(runner, state, V1, new, clock), new, clock)
    (after,) = runner.ready_tasks(workflow)
    assert (after.id, after.spec_name, after.name) == (before.id, "wait", "等待受理")
    assert runner.case_data(workflow) == {"x": 1}
    runner.complete(workflow, after.id, {"y": 2})
    workflow = runner.loads(runner.dumps(workflow), new, clock)
    assert [(t.spec_name, t.name) for t in runner.ready_tasks(workflow)] == [("check", "复核")]


def test_a_waiting_timer_keeps_its_moment_and_still_fires():
    """Is a timer set before the move still due at its old moment (not two days after the move), and does it fire then?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    new = v2()
    state = migrated(runner, at_wait(runner, clock), V1, new, clock)
    assert runner.next_timer_at(runner.loads(state, new, clock)).isoformat() == "2026-05-08T02:00:00+00:00"
    clock.set("2026-05-08T02:00:01")
    workflow = runner.loads(state, new, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["escalated"]


def test_an_open_task_the_new_version_lacks_is_named_and_nothing_changes():
    """Is a version without the open task's element refused, naming the task, with the case untouched?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    lost = refused(runner, at_wait(runner, clock), V1, edited(TIMER, ('"wait"', '"wait_v2"')), clock)
    assert {step for step in lost if step[2]} == {("wait", "等待办理", True, "missing")}


def test_an_open_task_that_became_automatic_is_refused():
    """Can a case move to a version where its open task became a script task under the same id?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    automatic = edited(
        TIMER,
        ('<bpmn:userTask id="wait"', '<bpmn:scriptTask id="wait"'),
        (
            "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>",
            "<bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>y = 1</bpmn:script></bpmn:scriptTask>",
        ),
    )
    assert ("wait", "等待办理", True, "not_human") in refused(
        runner, at_wait(runner, clock), V1, automatic, clock
    )


def test_a_step_the_case_passed_and_the_new_version_removed_is_refused():
    """The stored case names each step it passed: is a version without one of them refused rather than left unreadable?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    before = v2()
    workflow = runner.start(before, {}, clock)
    runner.complete(workflow, runner.ready_tasks(workflow)[0].id, {})  # passed 等待受理, now at 复核
    lost = refused(runner, runner.dumps(workflow), before, diagram(CHECK_ONLY), clock)
    assert ("wait", "等待受理", False, "missing") in lost
    assert not any(step[2] for step in lost)  # 复核, the open task, is there


def test_a_boundary_event_added_to_the_open_task_is_refused():
    """A timer added to the open task would make it wait for a split the case never passed: is the move refused?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    plain = parse_definition(diagram(CHECK_ONLY))
    state = runner.dumps(runner.start(plain, {}, clock))
    with_timer = diagram(CHECK_ONLY.replace("<bpmn:endEvent", TIMER_ON_CHECK + "<bpmn:endEvent"))
    assert refused(runner, state, plain, with_timer, clock) == {("check", "复核", True, "moved")}


def test_internal_steps_are_named_by_the_element_they_belong_to():
    """Is a step SpiffWorkflow made for a boundary event reported under the task the event sits on, once?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    lost = refused(runner, at_wait(runner, clock), V1, diagram(CHECK_ONLY), clock)
    assert {step[0] for step in lost} == {"wait", "late"}
    assert ("wait", "等待办理", True, "missing") in lost


def test_a_refusal_lists_each_step_once():
    """Does MigrationRefused say which steps, in the words of the diagram?"""
    err = MigrationRefused((LostStep("wait", "等待办理", True, "missing"),))
    assert "wait: missing" in str(err) and err.lost[0].name == "等待办理"


IN_A_SUBPROCESS = """
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub"/>
<bpmn:subProcess id="sub" name="会商">
  <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
  <bpmn:startEvent id="sub_start"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:sequenceFlow id="g1" sourceRef="sub_start" targetRef="inner"/>
  <bpmn:userTask id="inner" name="会商意见"><bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing></bpmn:userTask>
  <bpmn:sequenceFlow id="g2" sourceRef="inner" targetRef="sub_end"/>
  <bpmn:endEvent id="sub_end"><bpmn:incoming>g2</bpmn:incoming></bpmn:endEvent>
</bpmn:subProcess>
<bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="done"/>
<bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
"""


def test_a_task_inside_a_subprocess_keeps_its_id_and_the_step_added_after_the_subprocess_follows():
    """A case waiting inside a subprocess: does its task keep its id under the new name, and the new step follow the subprocess?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    old = parse_definition(diagram(IN_A_SUBPROCESS))
    workflow = runner.start(old, {}, clock)
    (before,) = runner.ready_tasks(workflow)
    new = parse_definition(
        diagram(
            IN_A_SUBPROCESS.replace("会商意见", "提出会商意见")
            .replace(
                '<bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="done"/>',
                ADDED_STEP.replace('"wait"', '"sub"'),
            )
            .replace(
                "<bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>",
                "<bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>",
            )
        )
    )
    workflow = runner.loads(migrated(runner, runner.dumps(workflow), old, new, clock), new, clock)
    (after,) = runner.ready_tasks(workflow)
    assert (after.id, after.name) == (before.id, "提出会商意见")
    runner.complete(workflow, after.id, {})
    workflow = runner.loads(runner.dumps(workflow), new, clock)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["check"]


def test_a_subprocess_without_the_open_task_is_refused():
    """Is a version whose subprocess lost the task the case waits at refused, naming that task?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    old = parse_definition(diagram(IN_A_SUBPROCESS))
    state = runner.dumps(runner.start(old, {}, clock))
    renamed = diagram(IN_A_SUBPROCESS.replace('"inner"', '"inner_v2"'))
    assert ("inner", "会商意见", True, "missing") in refused(runner, state, old, renamed, clock)


@pytest.fixture(scope="module")
def proposal_v2() -> ParsedDefinition:
    """proposal.bpmn with 提出协办意见 renamed and a 汇总协办意见 step between the opinions and the draft."""
    xml = edited(
        (BPMN / "proposal.bpmn").read_bytes(),
        ("提出协办意见", "提出协办意见（新）"),
        (
            'sourceRef="give_co_opinion" targetRef="draft_reply"/>',
            'sourceRef="give_co_opinion" targetRef="collect_opinions"/>'
            '<bpmn:userTask id="collect_opinions" name="汇总协办意见"/>'
            '<bpmn:sequenceFlow id="Flow_collected" sourceRef="collect_opinions" targetRef="draft_reply"/>',
        ),
    )
    return parse_definition(xml, "proposal")


def test_pro2_parallel_co_handler_tasks_keep_their_ids_and_departments(proposal_v2):
    """With one co-handler answered and one open, does the open one keep its id and department, both opinions count, and the added step follow?"""
    case = Case(parse_definition((BPMN / "proposal.bpmn").read_bytes(), "proposal"), PROPOSAL, "legal")
    case.do(
        "register",
        {"handling_mode": "lead", "owning_department": "planning", "co_handlers": ["finance", "office"]},
    )
    case.do("give_co_opinion", {"co_opinion_text": "财务处意见"}, department="finance")
    (before,) = case.ready()
    runner = runner_for()
    workflow = runner.loads(
        migrated(runner, case.state, case.definition, proposal_v2, case.clock), proposal_v2, case.clock
    )
    (after,) = runner.ready_tasks(workflow, proposal_v2)
    assert (after.id, after.department, after.name) == (before.id, "office", "提出协办意见（新）")
    runner.complete(workflow, after.id, {"co_opinion_text": "办公室意见"})
    workflow = runner.loads(runner.dumps(workflow), proposal_v2, case.clock)
    assert [o["department"] for o in runner.case_data(workflow)["co_opinions"]] == ["finance", "office"]
    assert [t.spec_name for t in runner.ready_tasks(workflow, proposal_v2)] == ["collect_opinions"]


def _moved_first(step):
    """A Case step that first moves the case onto a freshly parsed copy of its own diagram."""

    def step_after_a_move(case: Case, *args, **kwargs):
        before = sorted((t.id, t.spec_name, t.name, t.department) for t in case.ready())
        fresh = load(case.definition.process_id)
        case.state = migrated(case.runner, case.state, case.definition, fresh, case.clock)
        case.definition = fresh
        assert sorted((t.id, t.spec_name, t.name, t.department) for t in case.ready()) == before
        return step(case, *args, **kwargs)

    return step_after_a_move


@pytest.mark.parametrize(
    ("module", "process", "scenario"),
    [
        (
            proposal_flow,
            "proposal",
            "test_pro2_co_handlers_each_give_an_opinion_to_the_lead_which_replies_alone",
        ),
        (
            proposal_flow,
            "proposal",
            "test_nat6_an_unsatisfied_deputy_sends_a_separately_handled_item_back_to_every_unit",
        ),
        (
            petition_flow,
            "petition",
            "test_nat5_review_and_rereview_are_decided_by_the_higher_organ_and_recorded_by_the_petition_office",
        ),
        (petition_flow, "petition", "test_nat5_no_review_request_within_30_days_closes_the_case_by_timer"),
        (
            publishing_flow,
            "publishing",
            "test_pub9_err2_a_published_error_is_corrected_through_the_full_review_again",
        ),
        (disclosure_flow, "disclosure_request", "test_req4_consultation_from_drafting_returns_to_drafting"),
    ],
)
def test_seed_flows_go_on_unchanged_when_moved_before_every_step(monkeypatch, module, process, scenario):
    """Moved before every step (and every timer) onto an identical newer version, does each seed flow go exactly as before?"""
    monkeypatch.setattr(Case, "do", _moved_first(Case.do))
    monkeypatch.setattr(Case, "fire_timers_at", _moved_first(Case.fire_timers_at))
    getattr(module, scenario)(load(process))

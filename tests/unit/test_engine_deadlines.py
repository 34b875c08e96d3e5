"""Deadlines in diagrams: named deadlines, clock actions, calendar functions in timers (ESC-2)."""

from datetime import date

import pytest

from tests.unit.test_engine import diagram
from workflows.calendar import WorkCalendar
from workflows.clock import FixedClock
from workflows.engine.calendar_functions import calendar_functions
from workflows.engine.parser import CaseDeadline, ClockAction, DiagramError, parse_definition
from workflows.engine.runner import ProcessRunner
from workflows.periods import Period, Unit

CALENDAR = WorkCalendar()
FUNCTIONS = calendar_functions(
    lambda: CALENDAR, lambda name: {"disclosure.reply": Period(20, Unit.WORKDAY)}[name]
)


def task(body: str, form: str = "") -> bytes:
    return diagram(
        f"""
        <bpmn:extensionElements><govflow:case trackingPrefix="T" deadline="disclosure.reply" deadlineFrom="received_on"/></bpmn:extensionElements>
        <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
        <bpmn:userTask id="t" name="办理"><bpmn:extensionElements>{body}<govflow:form>{form}</govflow:form></bpmn:extensionElements>
          <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
        <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>
        <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        """
    )


AMOUNT = '<govflow:field name="days" type="integer" label="天数"/><govflow:field name="why" type="text" label="理由"/>'


def test_req2_case_task_and_clock_deadlines_are_read_by_name():
    """Does the parser read the case deadline, a task deadline and an extend clock, and list every name?"""
    clock = '<govflow:clock deadline="disclosure.reply" action="extend" amountField="days" reasonField="why" maximum="disclosure.extension"/>'
    parsed = parse_definition(task('<govflow:deadline name="disclosure.registration"/>' + clock, AMOUNT))
    assert parsed.case_deadline == CaseDeadline("disclosure.reply", "received_on")
    assert parsed.task_deadlines == {"t": "disclosure.registration"}
    assert parsed.clock_actions["t"] == (
        ClockAction("disclosure.reply", "extend", None, "days", "why", "disclosure.extension"),
    )
    assert parsed.deadline_names() == {"disclosure.reply", "disclosure.registration", "disclosure.extension"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<govflow:clock deadline="disclosure.reply" action="stop"/>', "not one of"),
        (
            '<govflow:clock deadline="disclosure.reply" action="extend" amountField="days"/>',
            "needs amountField",
        ),
        ('<govflow:clock deadline="disclosure.reply" action="restart" from="nowhere"/>', "not a field"),
        ('<govflow:deadline name="15 days"/>', "must look like"),
        ('<govflow:deadline name="Disclosure.Reply"/>', "must look like"),
    ],
)
def test_malformed_deadline_markup_is_refused_with_the_element(body, message):
    """Is a diagram with a bad clock or deadline refused, naming the element and the problem?"""
    with pytest.raises(DiagramError, match=message) as err:
        parse_definition(task(body, AMOUNT))
    assert "'t'" in str(err.value)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # Spring Festival 2026: Sat 14 Feb is a make-up working day, 15-23 Feb are off.
        (("add_workdays", "2026-02-13", 2), "2026-02-24T16:00:00+00:00"),
        (("add_workdays", "2026-02-13T10:00:00+08:00", 1), "2026-02-14T16:00:00+00:00"),
        # 60 calendar days from 1 Aug 2026 land on Wed 30 Sep, a working day (NAT-5).
        (("add_days", "2026-08-01", 60), "2026-09-30T16:00:00+00:00"),
        # 10 days from 25 Sep land on Mon 5 Oct, inside National Day: rolled to Thu 8 Oct.
        (("add_days", "2026-09-25", 10), "2026-10-08T16:00:00+00:00"),
        # 3 months from 30 Nov 2025: 28 Feb 2026 is a make-up Saturday, so it stays (NAT-6).
        (("add_months", "2025-11-30", 3), "2026-02-28T16:00:00+00:00"),
        (("deadline_at", "disclosure.reply", "2026-02-13"), "2026-03-19T16:00:00+00:00"),
    ],
)
def test_esc2_calendar_functions_return_the_close_of_the_due_day(call, expected):
    """Do the script functions count on the official calendar and return when the due day closes?"""
    name, *args = call
    assert FUNCTIONS[name](*args) == expected


@pytest.mark.parametrize("n", [-1, 3661, True, 2.5, "3"])
def test_calendar_functions_refuse_bad_amounts(n):
    """Are negative, huge, boolean and non-integer amounts from a diagram refused?"""
    with pytest.raises(ValueError):
        FUNCTIONS["add_workdays"]("2026-02-13", n)


@pytest.mark.parametrize("start", [object(), ["2026-02-13"], "x" * 100, "13/02/2026", None])
def test_calendar_functions_refuse_what_is_not_a_date(start):
    """Is anything but a date or ISO date-time refused as a start?"""
    with pytest.raises(ValueError):
        FUNCTIONS["add_days"](start, 1)


TIMER = diagram(
    """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:userTask id="wait" name="办理"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="late" attachedToRef="wait">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDate>add_workdays(received_on, 2)</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="done"/>
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="chase"/>
    <bpmn:userTask id="chase" name="督办"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="chase" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    """
)


def test_esc2_a_working_day_timer_is_known_at_once_and_fires_only_after_it():
    """Is the timer's moment known right after the start, and does it fire only past it, across a restore?"""
    clock = FixedClock("2026-02-13T02:00:00")
    definition = parse_definition(TIMER)
    runner = ProcessRunner(functions=FUNCTIONS)
    workflow = runner.start(definition, {"received_on": "2026-02-13"}, clock)
    assert runner.next_timer_at(workflow).isoformat() == "2026-02-24T16:00:00+00:00"
    clock.set("2026-02-24T15:59:00")
    workflow = runner.loads(runner.dumps(workflow), definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["wait"]
    clock.set("2026-02-24T16:00:00")
    workflow = runner.loads(runner.dumps(workflow), definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["chase"]
    assert runner.next_timer_at(workflow) is None


def test_a_workflow_without_timers_needs_no_sweep():
    """Does a workflow waiting on people only report no timer moment?"""
    definition = parse_definition(task(""))
    workflow = ProcessRunner().start(definition, {}, FixedClock())
    assert ProcessRunner().next_timer_at(workflow) is None


def test_the_function_names_are_the_ones_the_validator_allows():
    """Does the validator know every calendar function a diagram may call?"""
    from workflows.engine.calendar_functions import NAMES

    assert set(FUNCTIONS) == NAMES


def test_unit_days_are_plain_dates():
    """Does a start given as a date object work as well as text?"""
    assert FUNCTIONS["add_workdays"](date(2026, 2, 13), 1) == "2026-02-14T16:00:00+00:00"

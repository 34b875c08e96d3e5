"""Deadlines in diagrams: named deadlines, clock actions, calendar functions in timers (ESC-2)."""

from datetime import UTC, date, datetime

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from tests.unit.test_engine import diagram
from workflows.calendar import WorkCalendar
from workflows.clock import FixedClock
from workflows.engine.calendar_functions import calendar_functions
from workflows.engine.deadline_markup import TaskDeadlineStart
from workflows.engine.parser import CaseDeadline, ClockAction, DiagramError, parse_definition
from workflows.engine.runner import ProcessRunner
from workflows.engine.script_engine import RestrictedScriptEngine
from workflows.engine.script_guards import ScriptRejected
from workflows.periods import Period, Unit
from workflows.sla import Terms

CALENDAR = WorkCalendar()
FUNCTIONS = calendar_functions(
    lambda: CALENDAR, lambda name: {"disclosure.reply": Period(20, Unit.WORKDAY)}[name]
)


CASE = '<govflow:case trackingPrefix="T" deadline="disclosure.reply" deadlineFrom="received_on"/>'


def one_task_process(case: str, task_markup: str = "", kind: str = "userTask") -> bytes:
    return diagram(
        f"""
        <bpmn:extensionElements>{case}</bpmn:extensionElements>
        <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
        <bpmn:{kind} id="t" name="办理"><bpmn:extensionElements>{task_markup}</bpmn:extensionElements>
          <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:{kind}>
        <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>
        <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        """
    )


def task(body: str, form: str = "") -> bytes:
    return one_task_process(CASE, f"{body}<govflow:form>{form}</govflow:form>")


def clock(attributes: str) -> str:
    return f'<govflow:clock deadline="disclosure.reply" {attributes}/>'


AMOUNT = (
    '<govflow:field name="days" type="integer" label="天数"/><govflow:field name="why" type="text" label="理由"/>'
    '<govflow:field name="on" type="date" label="补正日期"/>'
)


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
    ("body", "code"),
    [
        (clock('action="halt"'), "unknown_clock_action"),
        (clock(""), "unknown_clock_action"),
        (clock('action="extend" amountField="days"'), "incomplete_extension"),
        (clock('action="extend" amountField="days" reasonField="why"'), "incomplete_extension"),
        (clock('action="restart" from="nowhere"'), "clock_field_missing"),
        ('<govflow:deadline name="15 days"/>', "invalid_deadline_name"),
        ('<govflow:deadline name="Disclosure.Reply"/>', "invalid_deadline_name"),
        ('<govflow:deadline name="disclosure.reply&#10;"/>', "invalid_deadline_name"),
        ('<govflow:deadline name="disclosure.reply.late"/>', "invalid_deadline_name"),
        ('<govflow:clock deadline="reply" action="pause"/>', "invalid_deadline_name"),
        ('<govflow:clock action="pause"/>', "invalid_deadline_name"),
        (
            clock('action="extend" amountField="days" reasonField="why" maximum="Ext"'),
            "invalid_deadline_name",
        ),
        (
            clock('action="extend" amountField="days" reasonField="no" maximum="a.b"'),
            "clock_field_missing",
        ),
        # The service reads these fields after completion; a wrong type would make the action a no-op.
        (
            clock('action="extend" amountField="why" reasonField="days" maximum="a.b"'),
            "clock_field_type",
        ),
        (clock('action="restart" from="days"'), "clock_field_type"),
        # A misspelt or misplaced attribute would silently change the rule.
        (clock('action="restart" form="on"'), "unknown_attribute"),
        (clock('action="pause" from="on"'), "unknown_attribute"),
        ('<govflow:deadline name="disclosure.registration" deadline="x.y"/>', "unknown_attribute"),
        ('<govflow:deadline name="a.b"/><govflow:deadline name="a.c"/>', "several_default_deadlines"),
        (clock('action="pause"') * 2, "duplicate_clock"),
    ],
)
def test_malformed_deadline_markup_is_refused_with_the_element(body, code):
    """Is a diagram with a bad clock or deadline refused, naming the element and the problem?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(task(body, AMOUNT))
    assert [(p.element_id, p.code) for p in err.value.problems] == [("t", code)]


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
        # Around the holiday: Sat 28 Feb is worked too, 0 working days end on the next working day.
        (("add_workdays", "2026-02-13", 0), "2026-02-13T16:00:00+00:00"),
        (("add_workdays", "2026-02-15", 0), "2026-02-24T16:00:00+00:00"),
        (("add_workdays", "2026-02-13", 5), "2026-02-27T16:00:00+00:00"),
        (("add_workdays", "2026-02-27", 1), "2026-02-28T16:00:00+00:00"),
        (("add_days", "2026-02-10", 7), "2026-02-24T16:00:00+00:00"),
        (("add_days", "2026-02-27", 1), "2026-02-28T16:00:00+00:00"),
        (("add_months", "2026-01-15", 1), "2026-02-24T16:00:00+00:00"),
        (("add_months", "2026-01-31", 1), "2026-02-28T16:00:00+00:00"),
        # A moment counts from its Beijing date: 16:30 UTC on the 13th is already the 14th in Beijing.
        (("add_workdays", "2026-02-13T16:30:00Z", 1), "2026-02-24T16:00:00+00:00"),
        (("add_workdays", datetime(2026, 2, 13, 17, tzinfo=UTC), 1), "2026-02-24T16:00:00+00:00"),
        # Without an offset a date-time is Beijing time, as timer moments are.
        (("add_workdays", "2026-02-13T23:30:00", 1), "2026-02-14T16:00:00+00:00"),
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


# SpiffWorkflow deprecations are filtered project-wide; the runner must not rely on one.
@pytest.mark.filterwarnings("error::DeprecationWarning")
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


def test_req4_nat2_pause_and_restart_clocks_are_read_in_order():
    """Does a task keep several clocks in diagram order, with restart's 'from' optional?"""
    clocks = (
        '<govflow:clock deadline="disclosure.reply" action="pause"/>'
        '<govflow:clock deadline="disclosure.reply" action="restart" from="on"/>'
        '<govflow:clock deadline="petition.reply" action="restart"/>'
    )
    parsed = parse_definition(task(clocks, AMOUNT))
    assert parsed.clock_actions == {
        "t": (
            ClockAction("disclosure.reply", "pause"),
            ClockAction("disclosure.reply", "restart", from_field="on"),
            ClockAction("petition.reply", "restart"),
        )
    }
    assert parsed.task_deadlines == {}
    assert parsed.deadline_names() == {"disclosure.reply", "petition.reply"}


def test_a_case_deadline_without_a_start_field_counts_from_the_start_date():
    """Without deadlineFrom, does the case deadline carry no start field (the case's start date is used)?"""
    parsed = parse_definition(
        one_task_process('<govflow:case trackingPrefix="T" deadline="petition.reply"/>')
    )
    assert parsed.case_deadline == CaseDeadline("petition.reply", None)
    assert parsed.deadline_names() == {"petition.reply"}


def test_a_diagram_without_deadline_markup_names_no_deadline():
    """Does a diagram that names no deadline report none (and no case deadline)?"""
    parsed = parse_definition(one_task_process('<govflow:case trackingPrefix="T"/>'))
    assert parsed.case_deadline is None
    assert (parsed.task_deadlines, parsed.clock_actions, parsed.deadline_names()) == ({}, {}, set())


def test_a_manual_task_may_carry_deadline_markup():
    """Can a manual task (paper handled off-line) have its own deadline and a pause clock?"""
    markup = (
        '<govflow:deadline name="proposal.reply"/><govflow:clock deadline="proposal.reply" action="pause"/>'
    )
    parsed = parse_definition(one_task_process("", markup, kind="manualTask"))
    assert parsed.task_deadlines == {"t": "proposal.reply"}
    assert parsed.clock_actions == {"t": (ClockAction("proposal.reply", "pause"),)}


@pytest.mark.parametrize(
    ("case", "markup", "kind", "element", "code"),
    [
        (clock('action="restart"'), "", "userTask", "p", "not_on_a_task"),
        ("", clock('action="extend"'), "scriptTask", "t", "not_on_a_task"),
        ("", '<govflow:deadline name="disclosure.reply"/>', "task", "t", "not_on_a_task"),
        (
            "",
            "<govflow:form>" + clock('action="pause"') + "</govflow:form>",
            "userTask",
            "t",
            "markup_misplaced",
        ),
        ('<govflow:case deadlineFrom="received_on"/>', "", "userTask", "p", "no_case_deadline"),
        (
            '<govflow:case deadline="disclosure.reply" deadlineFrom="1st"/>',
            "",
            "userTask",
            "p",
            "not_a_date_field",
        ),
        ('<govflow:case deadline="disclosure reply"/>', "", "userTask", "p", "invalid_deadline_name"),
        (
            '<govflow:case deadline="disclosure.reply" deadlineFrom="note"/>',
            '<govflow:form><govflow:field name="note" type="string" label="备注"/></govflow:form>',
            "userTask",
            "p",
            "not_a_date_field",
        ),
        # A task deadline counted from a case date (MBX-1, NAT-2) needs a date field of the diagram.
        (
            CASE,
            '<govflow:deadline name="disclosure.registration" from="note"/>'
            '<govflow:form><govflow:field name="note" type="string" label="备注"/></govflow:form>',
            "userTask",
            "t",
            "not_a_date_field",
        ),
        (CASE, '<govflow:deadline name="error.fix" repeat="again"/>', "userTask", "t", "invalid_repeat"),
        (
            CASE,
            '<govflow:clock deadline="error.fix" action="start" repeat="again"/>',
            "userTask",
            "t",
            "invalid_repeat",
        ),
        (
            CASE,
            '<govflow:clock deadline="error.fix" action="stop" repeat="continue"/>',
            "userTask",
            "t",
            "unknown_attribute",
        ),
        (
            CASE,
            '<govflow:clock deadline="mailbox.reply" action="start" fromReceipt="note"/>'
            '<govflow:form><govflow:field name="note" type="string" label="备注"/></govflow:form>',
            "userTask",
            "t",
            "not_a_date_field",
        ),
    ],
)
def test_deadline_markup_in_the_wrong_place_is_refused_with_its_element(case, markup, kind, element, code):
    """Is markup on an element that cannot carry it (or a case start that is no date) refused by element id?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(one_task_process(case, markup, kind))
    assert [(p.element_id, p.code) for p in err.value.problems] == [(element, code)]


def test_the_calendar_and_profile_in_force_are_asked_at_every_call():
    """Does a calendar or profile change made while the service runs reach the next call?"""
    calendars = [WorkCalendar()]
    periods = {"disclosure.reply": Period(1, Unit.WORKDAY)}
    functions = calendar_functions(lambda: calendars[-1], periods.__getitem__)
    assert functions["add_workdays"]("2026-02-13", 2) == "2026-02-24T16:00:00+00:00"
    calendars.append(WorkCalendar({date(2026, 2, 24): False}, close_hour=18))
    assert functions["add_workdays"]("2026-02-13", 2) == "2026-02-25T10:00:00+00:00"
    assert functions["deadline_at"]("disclosure.reply", "2026-02-13") == "2026-02-14T10:00:00+00:00"
    periods["disclosure.reply"] = Period(2, Unit.WORKDAY)
    assert functions["deadline_at"]("disclosure.reply", "2026-02-13") == "2026-02-25T10:00:00+00:00"


def test_err2_pet2_deadline_at_counts_as_the_profile_rule_does():
    """deadline_at follows the whole rule: natural days that do not roll (ERR-2) and a local target
    that binds before its ceiling (PET-2), as the clocks do.

    wanzhou: an error noticed 1 Oct 2026 is due 2 Oct 24:00, not 8 Oct; xingning: a complaint
    received Tue 1 Sep 2026 is due 3 Sep 24:00 (2 working days), not 2 Nov (60 days, rolled).
    """
    rules = {
        "error.fix": Terms(Period(1, Unit.DAY), rolls=False),
        "petition.handling": Terms(Period(60, Unit.DAY), target=Period(2, Unit.WORKDAY)),
    }
    functions = calendar_functions(lambda: CALENDAR, rules.__getitem__)
    assert functions["deadline_at"]("error.fix", "2026-10-01") == "2026-10-02T16:00:00+00:00"
    assert functions["deadline_at"]("petition.handling", "2026-09-01") == "2026-09-03T16:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "message"),
    [("disclosure.nothing", "没有定义"), ("x" * 10_000, "领域.名称"), (15, "领域.名称")],
)
def test_deadline_at_refuses_names_the_profile_lacks_or_that_are_no_names(name, message):
    """Is a deadline name that is malformed, not text or unknown to the profile refused as a ValueError?"""
    with pytest.raises(ValueError, match=message):
        FUNCTIONS["deadline_at"](name, "2026-02-13")


def test_counting_past_the_calendars_end_is_a_value_error():
    """Does counting past 9999-12-31 fail like any other bad argument, not with an OverflowError?"""
    with pytest.raises(ValueError, match="超出了日历范围"):
        FUNCTIONS["add_days"]("9999-12-31", 1)


@pytest.mark.parametrize(
    "expression",
    [
        "add_days(add_days, 1)",
        "add_days(dict(), 1)",
        "add_workdays(received_on, 99999999)",
        "add_workdays(received_on, 1 == 1)",
        "deadline_at(deadline_at, received_on)",
        "add_days(naive, 1)",
    ],
)
def test_scripts_cannot_hand_the_calendar_functions_objects_or_huge_numbers(expression):
    """Does a script passing a function, a dict, a naive datetime, a bool or a huge count get a ValueError?"""
    env = RestrictedScriptEngine(FUNCTIONS).environment
    with pytest.raises(ValueError):
        env.evaluate(expression, {"received_on": "2026-02-13", "naive": datetime(2026, 2, 13)})


def test_scripts_cannot_reach_inside_the_calendar_functions():
    """Is reading a calendar function's globals or closure refused before the script runs?"""
    env = RestrictedScriptEngine(FUNCTIONS).environment
    for expression in ("add_days.__globals__", "add_days.__closure__", "deadline_at.__wrapped__"):
        with pytest.raises(ScriptRejected):
            env.evaluate(expression, {})


def test_a_timer_handed_a_function_stops_the_step_with_the_value_error():
    """Does a diagram whose timer passes a function as its start fail to start instead of guessing a date?"""
    definition = parse_definition(
        TIMER.replace(b"add_workdays(received_on, 2)", b"add_workdays(add_workdays, 2)")
    )
    with pytest.raises(WorkflowTaskException) as err:
        ProcessRunner(functions=FUNCTIONS).start(definition, {"received_on": "2026-02-13"}, FixedClock())
    assert err.value.error_type == "ValueError"


def test_a_runner_takes_functions_or_a_script_engine_not_both():
    """Are extra functions refused when a ready-made script engine would silently drop them?"""
    with pytest.raises(TypeError, match="not both"):
        ProcessRunner(RestrictedScriptEngine(), functions=FUNCTIONS)


def test_esc2_calendar_functions_work_in_a_restored_workflow_of_a_new_runner():
    """After a save, does a new runner's restore (as after a service restart) still fire the working-day timer?"""
    clock = FixedClock("2026-02-13T02:00:00")
    definition = parse_definition(TIMER)
    state = ProcessRunner(functions=FUNCTIONS).dumps(
        ProcessRunner(functions=FUNCTIONS).start(definition, {"received_on": "2026-02-13"}, clock)
    )
    assert "add_workdays" not in state  # task data holds only the case's values, never a function
    runner = ProcessRunner(functions=FUNCTIONS)
    clock.set("2026-02-24T16:00:01")
    workflow = runner.loads(state, definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["chase"]


SCRIPTED = diagram(
    """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="plan"/>
    <bpmn:scriptTask id="plan" name="计算期限"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>reply_due = deadline_at("disclosure.reply", received_on)</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="plan" targetRef="register"/>
    <bpmn:userTask id="register" name="登记"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="register" targetRef="cooling"/>
    <bpmn:intermediateCatchEvent id="cooling" name="等待"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDate>add_days(registered_on, 7)</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="cooling" targetRef="reply"/>
    <bpmn:userTask id="reply" name="答复"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="remind" attachedToRef="reply" cancelActivity="false">
      <bpmn:outgoing>f6</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDate>reply_due</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f6" sourceRef="remind" targetRef="chase"/>
    <bpmn:userTask id="chase" name="督办"><bpmn:incoming>f6</bpmn:incoming><bpmn:outgoing>f7</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f7" sourceRef="chase" targetRef="chased"/>
    <bpmn:endEvent id="chased"><bpmn:incoming>f7</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f5" sourceRef="reply" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    """
)


# SpiffWorkflow deprecations are filtered project-wide; the runner must not rely on one.
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_esc1_timers_reached_by_completing_a_task_are_due_at_once_and_fire_as_modelled():
    """After complete(), is the new timer's moment known, and does a non-interrupting one leave its task open?"""
    clock = FixedClock("2026-02-13T02:00:00")
    definition = parse_definition(SCRIPTED)
    runner = ProcessRunner(functions=FUNCTIONS)
    workflow = runner.start(definition, {"received_on": "2026-02-13"}, clock)
    assert runner.case_data(workflow)["reply_due"] == "2026-03-19T16:00:00+00:00"
    assert runner.next_timer_at(workflow) is None  # only a person is awaited
    (register,) = runner.ready_tasks(workflow)
    runner.complete(workflow, register.id, {"registered_on": "2026-02-13"})
    # 7 calendar days from 13 Feb fall on 20 Feb, inside the holiday: rolled to Tue 24 Feb.
    assert runner.next_timer_at(workflow) == datetime(2026, 2, 24, 16, tzinfo=UTC)
    clock.set("2026-02-24T16:00:00")
    workflow = runner.loads(runner.dumps(workflow), definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["reply"]
    assert runner.next_timer_at(workflow) == datetime(2026, 3, 19, 16, tzinfo=UTC)
    clock.set("2026-03-20T01:00:00")
    runner.advance(workflow)
    assert sorted(t.spec_name for t in runner.ready_tasks(workflow)) == ["chase", "reply"]
    assert runner.next_timer_at(workflow) is None


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ('<bpmn:timeDuration>"P2D"</bpmn:timeDuration>', datetime(2026, 2, 15, 2, tzinfo=UTC)),
        ('<bpmn:timeCycle>"R3/PT1H"</bpmn:timeCycle>', datetime(2026, 2, 13, 3, tzinfo=UTC)),
        ('<bpmn:timeDate>"2026-03-01T09:00:00+08:00"</bpmn:timeDate>', datetime(2026, 3, 1, 1, tzinfo=UTC)),
    ],
)
def test_every_kind_of_timer_reports_its_moment_in_utc(definition, expected):
    """Do duration, cycle and fixed-date timers all report their next moment as aware UTC right after start?"""
    xml = TIMER.replace(b"<bpmn:timeDate>add_workdays(received_on, 2)</bpmn:timeDate>", definition.encode())
    runner = ProcessRunner(functions=FUNCTIONS)
    workflow = runner.start(parse_definition(xml), {}, FixedClock("2026-02-13T02:00:00"))
    moment = runner.next_timer_at(workflow)
    assert moment == expected and moment.tzinfo == UTC


def test_a_start_timer_is_reported_before_the_process_begins():
    """Does a process waiting on its timer start event tell the sweep when to come back?"""
    xml = diagram(
        """
        <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing>
          <bpmn:timerEventDefinition><bpmn:timeDate>add_workdays("2026-02-13", 1)</bpmn:timeDate></bpmn:timerEventDefinition>
        </bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
        <bpmn:userTask id="t" name="办理"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
        <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>
        <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        """
    )
    clock = FixedClock("2026-02-13T02:00:00")
    runner = ProcessRunner(functions=FUNCTIONS)
    workflow = runner.start(parse_definition(xml), {}, clock)
    assert runner.next_timer_at(workflow) == datetime(2026, 2, 14, 16, tzinfo=UTC)
    assert runner.ready_tasks(workflow) == []
    clock.set("2026-02-14T16:00:00")
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["t"]


def test_pro1_a_stop_clock_is_read_and_takes_no_other_attributes():
    """Is a stop clock (the reply went out: the case deadline is met) read, and a stray attribute refused?"""
    parsed = parse_definition(task(clock('action="stop"')))
    assert parsed.clock_actions["t"] == (ClockAction("disclosure.reply", "stop"),)
    with pytest.raises(DiagramError) as err:
        parse_definition(task(clock('action="stop" from="on"'), AMOUNT))
    assert [p.code for p in err.value.problems] == ["unknown_attribute"]


URGENCY = '<govflow:field name="urgency" type="enum" label="紧急程度"><govflow:option value="urgent" label="紧急"/></govflow:field>'


def test_err2_a_task_deadline_may_depend_on_the_case_data():
    """Does a deadline with when= win for matching case data, and the default hold otherwise?"""
    markup = '<govflow:deadline name="error.fix_urgent" when="urgency=urgent"/><govflow:deadline name="error.fix"/>'
    parsed = parse_definition(task(markup, URGENCY))
    assert parsed.task_deadline("t", {"urgency": "urgent"}) == "error.fix_urgent"
    assert parsed.task_deadline("t", {"urgency": "normal"}) == "error.fix"
    assert parsed.deadline_names() >= {"error.fix", "error.fix_urgent"}


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        ('<govflow:deadline name="error.fix_urgent" when="urgency=urgent"/>', "no_default_deadline"),
        (
            '<govflow:deadline name="error.fix_urgent" when="nowhere=urgent"/><govflow:deadline name="error.fix"/>',
            "invalid_condition",
        ),
        (
            '<govflow:deadline name="error.fix_urgent" when="urgency=now"/><govflow:deadline name="error.fix"/>',
            "unknown_option",
        ),
        (
            '<govflow:deadline name="error.fix"/><govflow:deadline name="error.fix_urgent"/>',
            "several_default_deadlines",
        ),
    ],
)
def test_err2_conditional_deadlines_without_a_default_or_on_unknown_data_are_refused(markup, code):
    """Is a deadline condition refused when no default covers other cases or it names no field or option?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(task(markup, URGENCY))
    assert [(p.element_id, p.code) for p in err.value.problems] == [("t", code)]


def test_err2_mbx1_a_task_deadline_may_count_from_a_case_date_and_continue_its_first_round():
    """Does the parser read from= (a receipt date) and repeat="continue" (a failed fix keeps its count)?"""
    markup = (
        '<govflow:deadline name="error.fix_urgent" when="urgent=yes" repeat="continue"/>'
        '<govflow:deadline name="error.fix" from="received_on" repeat="continue"/>'
    )
    form = '<govflow:field name="urgent" type="string" label="紧急"/><govflow:field name="received_on" type="date" label="收到日期"/>'
    parsed = parse_definition(task(markup, form))
    assert parsed.deadline_start("t", "error.fix") == TaskDeadlineStart("received_on", "continue")
    assert parsed.deadline_start("t", "error.fix_urgent") == TaskDeadlineStart(None, "continue")
    assert parsed.deadline_start("t", "other.name") == TaskDeadlineStart(None, "restart")


def test_pub15_a_when_naming_two_values_holds_for_either_and_each_must_be_an_option():
    """Does item_type=news|centre_news act for both item types, and is a misspelt second value refused?"""
    from lxml import etree

    from workflows.engine.markup import read_condition
    from workflows.forms import Form, FormField, Option

    kinds = (Option("news", "新闻"), Option("centre_news", "中心新闻"))
    form = Form((FormField("item_type", "enum", "信息类型", options=kinds),))
    owner = etree.Element("startEvent", id="start")
    when = read_condition("item_type=news|centre_news", owner, form)
    action = ClockAction("publishing.news", "start", when=when)
    assert [action.applies({"item_type": t}) for t in ("news", "centre_news", "policy")] == [
        True,
        True,
        False,
    ]
    with pytest.raises(DiagramError) as refused:
        read_condition("item_type=news|center_news", owner, form)
    assert refused.value.problems[0].code == "unknown_option"

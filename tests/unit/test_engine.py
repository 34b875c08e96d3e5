"""The engine seams: hardened parsing, spec-free serialization, clock-driven timers."""

import json

import pytest

from workflows.clock import FixedClock
from workflows.engine.parser import DiagramError, SpecCache, parse_definition
from workflows.engine.runner import ProcessRunner, TaskNotReady

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:govflow="urn:govflow:bpmn:1.0" id="d" targetNamespace="urn:test">'
)


def diagram(body: str, pid: str = "p") -> bytes:
    return (
        HEAD
        + f'<bpmn:process id="{pid}" name="测试" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'
    ).encode()


TIMER = diagram(
    """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:userTask id="wait" name="等待办理"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="late" name="超时" attachedToRef="wait">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="done"/>
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/>
    <bpmn:userTask id="escalated" name="督办"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="escalated" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    """
)


def test_timer_fires_when_the_injected_clock_passes_it_not_before():
    """Does a boundary timer fire when the workflow's clock passes it, even after a save and restore?"""
    clock = FixedClock("2026-05-06T02:00:00")
    definition = parse_definition(TIMER)
    runner = ProcessRunner()
    state = runner.dumps(runner.start(definition, {}, clock))
    clock.advance(days=1, hours=23)
    workflow = runner.loads(state, definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["wait"]
    clock.advance(hours=2)
    workflow = runner.loads(runner.dumps(workflow), definition, clock)
    runner.advance(workflow)
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["escalated"]


def test_stored_state_does_not_embed_the_spec_and_restores_with_it():
    """Does the stored JSON leave the diagram out, and can the cached spec bring it back?"""
    definition = parse_definition(TIMER)
    runner = ProcessRunner()
    state = runner.dumps(runner.start(definition, {"x": 1}, FixedClock()))
    stored = json.loads(state)
    assert "spec" not in stored and "subprocess_specs" not in stored
    workflow = runner.loads(state, definition, FixedClock())
    assert [t.spec_name for t in runner.ready_tasks(workflow)] == ["wait"]


def test_restored_workflow_gets_the_restricted_engine_back():
    """Is a restored workflow's script engine the restricted one, not SpiffWorkflow's default?"""
    definition = parse_definition(TIMER)
    runner = ProcessRunner()
    workflow = runner.loads(
        runner.dumps(runner.start(definition, {}, FixedClock())), definition, FixedClock()
    )
    assert workflow.script_engine is runner.script_engine


def test_completing_a_task_that_is_not_ready_is_refused():
    """Can a task be completed twice?"""
    definition = parse_definition(TIMER)
    runner = ProcessRunner()
    workflow = runner.start(definition, {}, FixedClock())
    (task,) = runner.ready_tasks(workflow)
    runner.complete(workflow, task.id, {})
    with pytest.raises(TaskNotReady):
        runner.complete(workflow, task.id, {})
    with pytest.raises(TaskNotReady):
        runner.complete(workflow, "not-a-uuid", {})


def test_spec_cache_parses_each_content_once():
    """Does the cache hand back the same parsed spec for the same content?"""
    cache = SpecCache()
    assert cache.get(TIMER) is cache.get(TIMER)
    assert cache.get(TIMER) is not cache.get(TIMER.replace(b"\xe6\xb5\x8b\xe8\xaf\x95", b"test"))


@pytest.mark.parametrize(
    "payload",
    [
        # External entity reading a local file (XXE).
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>',
        # Entity expansion bomb (billion laughs).
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&e;&e;&e;</bpmn:definitions>',
    ],
)
def test_diagrams_with_entities_are_refused(payload):
    """Can a diagram read a file through an external entity or blow up memory with entities?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(payload.encode())
    assert [(p.element_id, p.code) for p in err.value.problems] == [(None, "doctype_refused")]


def test_oversized_and_malformed_diagrams_are_refused():
    """Does a diagram over the size limit or one that is not XML get a clear refusal?"""
    with pytest.raises(DiagramError) as large:
        parse_definition(b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>")
    with pytest.raises(DiagramError) as malformed:
        parse_definition(b"<bpmn:definitions")
    assert [p.code for p in large.value.problems + malformed.value.problems] == [
        "diagram_too_large",
        "not_well_formed",
    ]


def test_process_id_must_match_file_name_and_forms_must_be_well_formed():
    """Does deployment insist on id = file stem and on forms with typed, labelled fields?"""
    with pytest.raises(DiagramError) as renamed:
        parse_definition(TIMER, expected_id="other")
    assert [p.code for p in renamed.value.problems] == ["process_id_mismatch"]
    bad_form = TIMER.replace(
        b'<bpmn:userTask id="wait" name="\xe7\xad\x89\xe5\xbe\x85\xe5\x8a\x9e\xe7\x90\x86">',
        b'<bpmn:userTask id="wait" name="w"><bpmn:extensionElements><govflow:form>'
        b'<govflow:field name="__class__" type="blob" label=""/></govflow:form></bpmn:extensionElements>',
    )
    with pytest.raises(DiagramError) as err:
        parse_definition(bad_form)
    problems = [(p.element_id, p.element_name, p.code) for p in err.value.problems]
    assert ("wait", "w", "unknown_field_type") in problems and ("wait", "w", "invalid_field_name") in problems


def co_handling(lane_markup: str = '<govflow:lane departmentFrom="co_handler"/>') -> bytes:
    """A lead department asks each co-handling department, one task instance each, in parallel."""
    return (
        HEAD.replace(
            "<bpmn:definitions ",
            '<bpmn:definitions xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" ',
        )
        + """<bpmn:process id="p" name="测试" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lead" name="承办处室"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="co" name="协办处室"><bpmn:extensionElements>"""
        + lane_markup
        + """</bpmn:extensionElements><bpmn:flowNodeRef>opinion</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="opinion"/>
    <bpmn:userTask id="opinion" name="协办意见">
      <bpmn:extensionElements>
        <govflow:form><govflow:field name="opinion_text" type="text" label="协办意见" required="true"/></govflow:form>
        <spiffworkflow:postScript>co_opinion = {"department": co_handler, "opinion": opinion_text}</spiffworkflow:postScript>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics spiffworkflow:scriptsOnInstances="true">
        <bpmn:loopDataInputRef>co_handlers</bpmn:loopDataInputRef>
        <bpmn:loopDataOutputRef>co_opinions</bpmn:loopDataOutputRef>
        <bpmn:inputDataItem id="co_handler" name="co_handler"/>
        <bpmn:outputDataItem id="co_opinion" name="co_opinion"/>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="opinion" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    </bpmn:process></bpmn:definitions>"""
    ).encode()


def test_pro2_each_instance_of_a_parallel_task_names_its_department_and_keeps_its_form():
    """Does every co-handler's instance carry its own department, the element's id and form, and report back who said what?"""
    definition = parse_definition(co_handling())
    assert definition.lane_department_fields == {"协办处室": "co_handler"}
    assert definition.user_task_lanes == {"opinion": "协办处室"}
    clock = FixedClock("2026-03-02T01:00:00")
    runner = ProcessRunner()
    state = runner.dumps(runner.start(definition, {"co_handlers": ["planning", "finance"]}, clock))
    workflow = runner.loads(state, definition, clock)
    ready = runner.ready_tasks(workflow, definition)
    assert sorted((t.spec_name, t.department, t.name) for t in ready) == [
        ("opinion", "finance", "协办意见"),
        ("opinion", "planning", "协办意见"),
    ]
    assert [f.name for f in definition.form_for(ready[0].spec_name).fields] == ["opinion_text"]
    finance, planning = sorted(ready, key=lambda t: t.department)  # finance answers first
    runner.complete(workflow, finance.id, {"opinion_text": "finance 同意"})
    # Half-way, the case shows what has come back so far, not one co-handler's copy of it.
    halfway = runner.case_data(workflow)
    assert halfway["co_opinions"] == [{"department": "finance", "opinion": "finance 同意"}]
    assert "co_handler" not in halfway and "opinion_text" not in halfway
    workflow = runner.loads(runner.dumps(workflow), definition, clock)
    runner.complete(workflow, planning.id, {"opinion_text": "planning 同意"})
    assert workflow.is_completed()
    assert runner.case_data(workflow)["co_opinions"] == [
        {"department": "finance", "opinion": "finance 同意"},
        {"department": "planning", "opinion": "planning 同意"},
    ]


def test_pro2_without_the_lane_markup_the_task_has_no_department_of_its_own():
    """Without departmentFrom on its lane, is a parallel task's department left to the lane name?"""
    definition = parse_definition(co_handling(""))
    clock = FixedClock("2026-03-02T01:00:00")
    runner = ProcessRunner()
    workflow = runner.start(definition, {"co_handlers": ["planning"]}, clock)
    assert [t.department for t in runner.ready_tasks(workflow, definition)] == [None]


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        ('<govflow:lane departmentFrom="_secret"/>', "invalid_department_field"),
        ('<govflow:lane departmentFrom=""/>', "invalid_department_field"),
        ('<govflow:lane departmentFrom="x" role="处室负责人"/>', "unknown_attribute"),
    ],
)
def test_pro2_malformed_lane_markup_is_refused(markup, code):
    """Is a lane whose department source is malformed refused with the lane's id?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(co_handling(markup))
    assert [(p.element_id, p.element_name, p.code) for p in err.value.problems] == [("co", "协办处室", code)]


def service_task(operator: str) -> bytes:
    return (
        HEAD.replace(
            "<bpmn:definitions ",
            '<bpmn:definitions xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" ',
        )
        + f"""<bpmn:process id="p" name="测试" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s"/>
    <bpmn:serviceTask id="s" name="错敏检测"><bpmn:extensionElements>{operator}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="s" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    </bpmn:process></bpmn:definitions>"""
    ).encode()


def operator(
    name="content_screening",
    result=' resultVariable="screening"',
    params='<spiffworkflow:parameter id="fields" type="any" value="{&quot;正文&quot;: &quot;body&quot;}"/>',
):
    return f'<spiffworkflow:serviceTaskOperator id="{name}"{result}><spiffworkflow:parameters>{params}</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>'


def test_pub9_a_service_task_runs_its_registered_handler_over_the_case_data():
    """Does the screening service task store its result, screening the field its parameter names?"""
    from workflows.handlers.screening import ContentScreening
    from workflows.screening import Severity, Term, WordList

    words = WordList.build([Term("台湾政府", "政治表述", Severity.SERIOUS, "台湾当局")])
    runner = ProcessRunner(services={"content_screening": ContentScreening(lambda: words)})
    workflow = runner.start(
        parse_definition(service_task(operator())), {"body": "台湾政府"}, FixedClock("2026-03-02T01:00:00")
    )
    result = runner.case_data(workflow)["screening"]
    assert workflow.is_completed() and result["blocked"] is True and result["hits"][0]["field"] == "正文"


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        (operator(name="send_mail"), "unknown_operation"),
        (operator(params=""), "missing_parameters"),
        (
            operator(
                params=operator.__defaults__[2] + '<spiffworkflow:parameter id="extra" type="any" value="1"/>'
            ),
            "unknown_parameters",
        ),
        (operator(result=""), "no_result_variable"),
        (operator(result=' resultVariable="_x"'), "no_result_variable"),
    ],
)
def test_pub9_a_service_task_must_name_a_registered_operation_with_its_parameters(markup, code):
    """Is a service task refused when it names an unknown operation, wrong parameters or no result field?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(service_task(markup))
    assert [(p.element_id, p.element_name, p.code) for p in err.value.problems] == [("s", "错敏检测", code)]


LOOPING = diagram(
    """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again"/>
    <bpmn:scriptTask id="again" name="再算一次"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>n = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="g"/>
    <bpmn:exclusiveGateway id="g" name="是否结束" default="f3"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="again"/>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="end"><bpmn:conditionExpression>n == 2</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    """
)


def test_a_diagram_looping_through_automatic_tasks_is_stopped_not_run_for_ever():
    """Does a script ↔ gateway cycle with no person in it end the step with an error instead of hanging?"""
    from workflows.engine.problems import StepRefused

    with pytest.raises(StepRefused) as err:
        ProcessRunner().start(parse_definition(LOOPING), {}, FixedClock("2026-03-02T01:00:00"))
    assert err.value.code == "step_limit"


@pytest.mark.parametrize("handlers", [["planning"] * 101, list(range(101))])
def test_a_parallel_task_may_not_fan_out_beyond_its_cap(handlers):
    """Is a parallel task over more than 100 items refused before any instance (each a copy of the case data) is made?"""
    from workflows.engine.problems import StepRefused

    with pytest.raises(StepRefused) as err:
        ProcessRunner().start(
            parse_definition(co_handling()), {"co_handlers": handlers}, FixedClock("2026-03-02T01:00:00")
        )
    assert err.value.code == "too_many_instances" and "100" in str(err.value)

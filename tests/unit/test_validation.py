"""`flask validate`'s checks on one diagram, without the service."""

from pathlib import Path

import pytest

from tests.unit.test_engine import HEAD
from workflows.assignment import OrgView
from workflows.engine.parser import parse_definition
from workflows.engine.problems import DiagramProblem
from workflows.engine.validation import CJK, validate_diagram
from workflows.profiles import PROFILES

ORG = OrgView({"office": "办公室", "planning": "规划处", "leadership": "局领导"}, "leadership")
BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def with_layout(process: str, shapes: list[str], edges: list[str]) -> bytes:
    # A column of 200 px for each shape, a row of its own for each edge below them: readable (layout_check.py).
    di = "".join(
        f'<bpmndi:BPMNShape id="s_{i}" bpmnElement="{i}"><dc:Bounds x="{n * 200}" y="0" width="10" height="10"/></bpmndi:BPMNShape>'
        for n, i in enumerate(shapes)
    )
    di += "".join(
        f'<bpmndi:BPMNEdge id="e_{i}" bpmnElement="{i}"><di:waypoint x="0" y="{100 + n * 20}"/><di:waypoint x="1" y="{100 + n * 20}"/></bpmndi:BPMNEdge>'
        for n, i in enumerate(edges)
    )
    head = HEAD.replace(
        'xmlns:govflow="urn:govflow:bpmn:1.0"',
        'xmlns:govflow="urn:govflow:bpmn:1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
    )
    return (
        head
        + f'<bpmn:process id="p" name="测试" isExecutable="true">{process}</bpmn:process>'
        + f'<bpmndi:BPMNDiagram id="d1"><bpmndi:BPMNPlane id="pl" bpmnElement="p">{di}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>'
        + "</bpmn:definitions>"
    ).encode()


GOOD = """
<bpmn:laneSet id="ls"><bpmn:lane id="lane" name="办公室"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
<bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
<bpmn:userTask id="t" name="办理"><bpmn:extensionElements><govflow:deadline name="disclosure.registration"/>
  <govflow:form><govflow:field name="ok" type="boolean" label="同意"/></govflow:form></bpmn:extensionElements>
  <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>
<bpmn:endEvent id="end" name="结束"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
"""
NODES = ["start", "t", "end", "lane"]


def test_a_complete_diagram_has_no_problems():
    """Does a diagram with lanes, forms, Chinese names, known deadlines and a layout pass?"""
    assert validate_diagram(with_layout(GOOD, NODES, ["f1", "f2"]), "p", ORG, PROFILES) == []


def _problems(process: str, shapes: list[str] = NODES, edges: tuple[str, ...] = ("f1", "f2")) -> list[tuple]:
    found = validate_diagram(with_layout(process, shapes, list(edges)), "p", ORG, PROFILES)
    for problem in found:
        assert CJK.search(problem.message), problem  # Chinese, for whoever edits the diagram
        if problem.element_id is not None:
            assert problem.element_id in problem.message
    return [(p.element_id, p.element_name, p.code) for p in found]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("办公室", "外星处"), ("t", "办理", "unknown_lane")),
        (('label="同意"', 'label="OK"'), ("t", "办理", "label_not_chinese")),
        (
            ('name="ok" type="boolean"', 'name="add_days" type="boolean"'),
            ("t", "办理", "field_shadows_function"),
        ),
        (("disclosure.registration", "disclosure.coffee"), ("t", "办理", "unknown_deadline")),
        (('name="办理"', 'name="Handle"'), ("t", "Handle", "name_not_chinese")),
        (
            (
                '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>',
                '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"><bpmn:conditionExpression>().__class__</bpmn:conditionExpression></bpmn:sequenceFlow>',
            ),
            ("f2", None, "script_refused"),
        ),
        (
            ('<govflow:form><govflow:field name="ok" type="boolean" label="同意"/></govflow:form>', ""),
            ("t", "办理", "no_form"),
        ),
        (
            (
                '<govflow:field name="ok" type="boolean" label="同意"/>',
                '<govflow:field name="ok" type="enum" label="类型" profileOptions="publishing.coffee">'
                '<govflow:option value="news" label="新闻"/></govflow:field>',
            ),
            ("t", "办理", "unknown_option_list"),
        ),
        (
            (
                '<govflow:field name="ok" type="boolean" label="同意"/>',
                '<govflow:field name="ok" type="string" label="类型" profileOptions="publishing.item_types"/>',
            ),
            ("t", "办理", "option_list_not_enum"),
        ),
        (
            (
                '<govflow:field name="ok" type="boolean" label="同意"/>',
                '<govflow:field name="ok" type="string" label="栏目" suggestFrom="site_pages"/>',
            ),
            ("t", "办理", "unknown_suggestion_list"),
        ),
        (
            (
                '<govflow:field name="ok" type="boolean" label="同意"/>',
                '<govflow:field name="ok" type="text" label="栏目" suggestFrom="site_columns"/>',
            ),
            ("t", "办理", "suggestion_list_not_string"),
        ),
    ],
)
def test_each_problem_names_its_element_with_a_code_and_a_chinese_message(change, problem):
    """Is each kind of mistake reported on its element, with a stable code and words a modeller can act on?"""
    assert _problems(GOOD.replace(*change)) == [problem]


def test_a_missing_layout_is_reported():
    """Is a diagram without shapes and edges refused (a leader must be able to read it)?"""
    problems = _problems(GOOD, [], ())
    assert ("t", "办理", "no_layout_shape") in problems and ("lane", "办公室", "no_layout_shape") in problems
    assert ("f1", None, "no_layout_edge") in problems


def test_unsafe_xml_is_one_problem_of_the_whole_diagram():
    """Does a diagram with a DOCTYPE get a single problem, of no element, instead of a crash?"""
    assert validate_diagram(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "p", ORG, PROFILES
    ) == [DiagramProblem(None, None, "doctype_refused", "流程图中不能声明 DOCTYPE 或实体（ENTITY），请删去")]


def test_a_problem_is_given_with_exactly_four_keys():
    """Does a problem become the dict an editor marks its element from: id, name, code, message?"""
    (problem,) = validate_diagram(
        with_layout(GOOD.replace("disclosure.registration", "disclosure.coffee"), NODES, ["f1", "f2"]),
        "p",
        ORG,
        PROFILES,
    )
    assert problem.to_dict() == {
        "element_id": "t",
        "element_name": "办理",
        "code": "unknown_deadline",
        "message": problem.message,
    }
    assert problem.message.startswith("用户任务“办理”（t）：期限“disclosure.coffee”")


def test_every_shipped_diagram_passes():
    """Does every diagram in bpmn/ pass against the demo organisation and every profile?"""
    from service.services.demo import org_view

    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        assert validate_diagram(path.read_bytes(), path.stem, org_view(), PROFILES) == [], path.name


SPIFF = 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'


@pytest.mark.parametrize(
    "markup",
    [
        f"<spiffworkflow:postScript {SPIFF}>x = ().__class__</spiffworkflow:postScript>",
        f"<spiffworkflow:preScript {SPIFF}>x = [y for y in z]</spiffworkflow:preScript>",
    ],
)
def test_pre_and_post_scripts_pass_the_sandbox_like_any_other(markup):
    """Is a task's pre- or post-script held to the same allow-list as script tasks and conditions?"""
    broken = GOOD.replace(
        "<bpmn:extensionElements><govflow:deadline", f"<bpmn:extensionElements>{markup}<govflow:deadline"
    )
    assert _problems(broken) == [("t", "办理", "script_refused")]


def test_a_lane_taking_departments_from_data_needs_a_name_of_its_own():
    """Are two lanes sharing the name of a departmentFrom lane reported (tasks know their lane by name)?"""
    lanes = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="lane" name="协办处室"><bpmn:extensionElements><govflow:lane departmentFrom="co"/></bpmn:extensionElements>'
        "<bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane>"
        '<bpmn:lane id="lane2" name="协办处室"><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    )
    process = lanes + GOOD[GOOD.index("</bpmn:laneSet>") + len("</bpmn:laneSet>") :]
    assert _problems(process, [*NODES, "lane2"]) == [("lane", "协办处室", "lane_name_shared")]


def test_a_service_tasks_parameters_pass_the_sandbox():
    """Is a service task parameter that would reach Python's internals reported, like a condition would be?"""
    task = (
        f'<bpmn:serviceTask id="t" name="错敏检测"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator {SPIFF} id="content_screening" resultVariable="screening">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="fields" type="any" value="().__class__"/></spiffworkflow:parameters>'
        "</spiffworkflow:serviceTaskOperator></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>"
    )
    start, end = GOOD.index("<bpmn:userTask"), GOOD.index("</bpmn:userTask>") + len("</bpmn:userTask>")
    found = validate_diagram(
        with_layout(GOOD[:start] + task + GOOD[end:], NODES, ["f1", "f2"]), "p", ORG, PROFILES
    )
    assert [(p.element_id, p.element_name, p.code) for p in found] == [("t", "错敏检测", "script_refused")]
    assert "参数“fields”" in found[0].message


def test_a_notice_naming_no_field_is_reported():
    """Is a notice placeholder that no form fills reported (it would always print empty)?"""
    notice = '<govflow:notice subject="关于{tracking_number}">您好，{applicant_nmae}，{ok}</govflow:notice>'
    broken = GOOD.replace(
        "<bpmn:extensionElements><govflow:deadline", f"<bpmn:extensionElements>{notice}<govflow:deadline"
    )
    assert _problems(broken) == [("t", "办理", "unknown_placeholder")]


@pytest.mark.parametrize(
    "code",
    [
        'deadline_at("disclosure.coffee", received_on)',
        'add_workdays(received_on, 1) if deadline_at("disclosure.coffee", received_on) else ""',
    ],
)
def test_a_deadline_named_inside_deadline_at_must_exist_too(code):
    """Is a deadline a timer names through deadline_at(...) checked like one in markup, on the timer's event?"""
    timer = (
        f'<bpmn:boundaryEvent id="late" name="超时" attachedToRef="t" cancelActivity="false">'
        f'<bpmn:timerEventDefinition id="late_timer"><bpmn:timeDate>{code}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
    )
    broken = GOOD.replace("<bpmn:endEvent", timer + "<bpmn:endEvent").replace(
        "<bpmn:flowNodeRef>end</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>end</bpmn:flowNodeRef><bpmn:flowNodeRef>late</bpmn:flowNodeRef>",
    )
    assert _problems(broken, [*NODES, "late"]) == [("late", "超时", "unknown_deadline")]


LOOP = "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>{}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>"


def test_a_parallel_task_over_the_instance_cap_is_refused_before_it_runs():
    """Is a loopCardinality beyond 100 instances refused at validation, not left to blow up a step?"""
    broken = GOOD.replace(
        "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>",
        "<bpmn:outgoing>f2</bpmn:outgoing>" + LOOP.format("1_000_000") + "</bpmn:userTask>",
    )
    assert _problems(broken) == [("t", "办理", "too_many_instances")]
    within = GOOD.replace(
        "<bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>",
        "<bpmn:outgoing>f2</bpmn:outgoing>" + LOOP.format(3) + "</bpmn:userTask>",
    )
    assert _problems(within) == []


def test_a_multi_instance_task_inside_a_multi_instance_sub_process_is_refused():
    """Is nesting parallel instances (100 × 100 copies of the case data) refused?"""
    inner = (
        '<bpmn:startEvent id="in_start" name="开始"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:sequenceFlow id="g1" sourceRef="in_start" targetRef="in_t"/>'
        '<bpmn:userTask id="in_t" name="办理子项"><bpmn:extensionElements><govflow:form><govflow:field name="ok2" type="boolean" label="同意"/></govflow:form></bpmn:extensionElements>'
        f"<bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing>{LOOP.format(100)}</bpmn:userTask>"
        '<bpmn:sequenceFlow id="g2" sourceRef="in_t" targetRef="in_end"/>'
        '<bpmn:endEvent id="in_end" name="结束"><bpmn:incoming>g2</bpmn:incoming></bpmn:endEvent>'
    )
    sub = f'<bpmn:subProcess id="sub" name="分项办理"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>{LOOP.format(100)}{inner}</bpmn:subProcess>'
    start, end = GOOD.index("<bpmn:userTask"), GOOD.index("</bpmn:userTask>") + len("</bpmn:userTask>")
    process = (
        (GOOD[:start] + sub + GOOD[end:])
        .replace('targetRef="t"', 'targetRef="sub"')
        .replace('sourceRef="t"', 'sourceRef="sub"')
    )
    process = process.replace(
        "<bpmn:flowNodeRef>t</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>sub</bpmn:flowNodeRef><bpmn:flowNodeRef>in_t</bpmn:flowNodeRef>",
    )
    shapes = ["start", "sub", "end", "lane", "in_start", "in_t", "in_end"]
    assert ("in_t", "办理子项", "nested_multi_instance") in _problems(
        process, shapes, ("f1", "f2", "g1", "g2")
    )


def test_an_end_event_may_say_how_the_case_closes_its_clocks():
    """Does an end event marked govflow:outcome="abandoned" pass and tell the service so (NAT-2)?"""
    marked = GOOD.replace(
        '<bpmn:endEvent id="end" name="结束">',
        '<bpmn:endEvent id="end" name="结束" govflow:outcome="abandoned">',
    )
    xml = with_layout(marked, NODES, ["f1", "f2"])
    assert validate_diagram(xml, "p", ORG, PROFILES) == []
    assert parse_definition(xml, "p").end_outcomes == {"end": "abandoned"}
    assert parse_definition(with_layout(GOOD, NODES, ["f1", "f2"]), "p").end_outcomes == {}


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'id="end" name="结束"',
            'id="end" name="结束" govflow:outcome="cancelled"',
            ("end", "结束", "unknown_outcome"),
        ),
        (
            'id="end" name="结束"',
            'id="end" name="结束" govflow:outcome="late"',
            ("end", "结束", "unknown_outcome"),
        ),
        (
            'id="t" name="办理"',
            'id="t" name="办理" govflow:outcome="abandoned"',
            ("t", "办理", "markup_misplaced"),
        ),
    ],
)
def test_an_unknown_or_misplaced_outcome_is_refused_with_its_element(old, new, problem):
    """Is govflow:outcome refused with a value other than met/abandoned/withdrawn/returned, or off an end event?"""
    assert _problems(GOOD.replace(old, new)) == [problem]

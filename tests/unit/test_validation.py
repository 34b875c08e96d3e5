"""`flask validate`'s checks on one diagram, without the service."""

from pathlib import Path

import pytest

from tests.unit.test_engine import HEAD
from workflows.assignment import OrgView
from workflows.engine.validation import validate_diagram
from workflows.profiles import PROFILES

ORG = OrgView({"office": "办公室", "planning": "规划处", "leadership": "局领导"}, "leadership")
BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def with_layout(process: str, shapes: list[str], edges: list[str]) -> bytes:
    di = "".join(
        f'<bpmndi:BPMNShape id="s_{i}" bpmnElement="{i}"><dc:Bounds x="0" y="0" width="10" height="10"/></bpmndi:BPMNShape>'
        for i in shapes
    )
    di += "".join(
        f'<bpmndi:BPMNEdge id="e_{i}" bpmnElement="{i}"><di:waypoint x="0" y="0"/><di:waypoint x="1" y="1"/></bpmndi:BPMNEdge>'
        for i in edges
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


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("办公室", "外星处"), "没有名为“外星处”的部门或角色"),
        (('label="同意"', 'label="OK"'), "needs a Chinese label"),
        (('name="ok" type="boolean"', 'name="add_days" type="boolean"'), "is the name of a script function"),
        (
            ("disclosure.registration", "disclosure.coffee"),
            "'disclosure.coffee' is not defined in profile 'national'",
        ),
        (('name="办理"', 'name="Handle"'), "userTask 't' needs a Chinese name"),
        (
            (
                '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>',
                '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"><bpmn:conditionExpression>().__class__</bpmn:conditionExpression></bpmn:sequenceFlow>',
            ),
            "refused by the sandbox",
        ),
        (
            ('<govflow:form><govflow:field name="ok" type="boolean" label="同意"/></govflow:form>', ""),
            "has no govflow:form",
        ),
    ],
)
def test_each_problem_is_named(change, problem):
    """Is each kind of mistake reported in words a modeller can act on?"""
    broken = (
        GOOD.replace(*change).replace("</govflow:form></bpmn", "</govflow:formx></bpmn")
        if "formx" in change[1]
        else GOOD.replace(*change)
    )
    problems = validate_diagram(with_layout(broken, NODES, ["f1", "f2"]), "p", ORG, PROFILES)
    assert any(problem in p for p in problems), problems


def test_a_missing_layout_is_reported():
    """Is a diagram without shapes and edges refused (a leader must be able to read it)?"""
    problems = validate_diagram(with_layout(GOOD, [], []), "p", ORG, PROFILES)
    assert "userTask 't' has no shape in the layout" in problems
    assert "sequence flow 'f1' has no edge in the layout" in problems


def test_unsafe_xml_is_one_clear_problem():
    """Does a diagram with a DOCTYPE get a single problem instead of a crash?"""
    assert validate_diagram(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "p", ORG, PROFILES
    ) == ["diagrams may not declare a DOCTYPE or entities"]


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
    problems = validate_diagram(with_layout(broken, NODES, ["f1", "f2"]), "p", ORG, PROFILES)
    assert any("refused by the sandbox" in p for p in problems), problems


def test_a_lane_taking_departments_from_data_needs_a_name_of_its_own():
    """Are two lanes sharing the name of a departmentFrom lane reported (tasks know their lane by name)?"""
    lanes = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="lane" name="协办处室"><bpmn:extensionElements><govflow:lane departmentFrom="co"/></bpmn:extensionElements>'
        "<bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane>"
        '<bpmn:lane id="lane2" name="协办处室"><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    )
    process = lanes + GOOD[GOOD.index("</bpmn:laneSet>") + len("</bpmn:laneSet>") :]
    problems = validate_diagram(with_layout(process, [*NODES, "lane2"], ["f1", "f2"]), "p", ORG, PROFILES)
    assert problems == ["lane name '协办处室' has departmentFrom and is used by 2 lanes"]


def test_a_service_tasks_parameters_pass_the_sandbox():
    """Is a service task parameter that would reach Python's internals reported, like a condition would be?"""
    task = (
        f'<bpmn:serviceTask id="t" name="错敏检测"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator {SPIFF} id="content_screening" resultVariable="screening">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="fields" type="any" value="().__class__"/></spiffworkflow:parameters>'
        "</spiffworkflow:serviceTaskOperator></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>"
    )
    start, end = GOOD.index("<bpmn:userTask"), GOOD.index("</bpmn:userTask>") + len("</bpmn:userTask>")
    problems = validate_diagram(
        with_layout(GOOD[:start] + task + GOOD[end:], NODES, ["f1", "f2"]), "p", ORG, PROFILES
    )
    assert len(problems) == 1 and "element 't': parameter 'fields' refused by the sandbox" in problems[0], (
        problems
    )


def test_a_notice_naming_no_field_is_reported():
    """Is a notice placeholder that no form fills reported (it would always print empty)?"""
    notice = '<govflow:notice subject="关于{tracking_number}">您好，{applicant_nmae}，{ok}</govflow:notice>'
    broken = GOOD.replace(
        "<bpmn:extensionElements><govflow:deadline", f"<bpmn:extensionElements>{notice}<govflow:deadline"
    )
    problems = validate_diagram(with_layout(broken, NODES, ["f1", "f2"]), "p", ORG, PROFILES)
    assert problems == ["task 't': notice placeholder {applicant_nmae} is no field of any form"]

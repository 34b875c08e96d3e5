"""govflow:assignee: a user task given to the person a form field names (PUB-15's 指派专人), as the
parser reads it and the runner reports it; the service's refusals are in tests/service."""

import pytest

from tests.unit.test_engine import HEAD
from workflows.clock import FixedClock
from workflows.engine.parser import DiagramError, parse_definition
from workflows.engine.runner import ProcessRunner


def named_reviewer(markup: str = '<govflow:assignee from="reviewer"/>') -> bytes:
    """The drafter names a host department and a person of it; that person reviews."""
    return (
        HEAD
        + """<bpmn:process id="p" name="测试" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lead" name="承办处室"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="host" name="主办单位"><bpmn:extensionElements><govflow:lane departmentFrom="host"/></bpmn:extensionElements><bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:extensionElements><govflow:form>
      <govflow:field name="host" type="department" label="主办单位" required="true"/>
      <govflow:field name="reviewer" type="string" label="审核人" required="true"/>
    </govflow:form></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:userTask id="review" name="现场审核">
      <bpmn:extensionElements>"""
        + markup
        + """<govflow:form><govflow:field name="ok" type="boolean" label="同意" required="true"/></govflow:form>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    </bpmn:process></bpmn:definitions>"""
    ).encode()


def test_pub15_a_task_names_the_person_its_field_holds():
    """Does a ready task report the username its govflow:assignee field holds, and its department?"""
    definition = parse_definition(named_reviewer())
    assert definition.assignee_fields == {"review": "reviewer"}
    runner = ProcessRunner()
    workflow = runner.start(
        definition, {"host": "planning", "reviewer": "wang.fang"}, FixedClock("2026-03-02T01:00:00")
    )
    (task,) = runner.ready_tasks(workflow, definition)
    assert (task.department, task.assignee) == ("planning", "wang.fang")


def test_pub15_without_the_markup_a_task_is_held_by_nobody():
    definition = parse_definition(named_reviewer(""))
    runner = ProcessRunner()
    workflow = runner.start(
        definition, {"host": "planning", "reviewer": "wang.fang"}, FixedClock("2026-03-02T01:00:00")
    )
    assert [t.assignee for t in runner.ready_tasks(workflow, definition)] == [None]


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        ('<govflow:assignee from="nobody"/>', "unknown_assignee_field"),
        ('<govflow:assignee from=""/>', "unknown_assignee_field"),
        ('<govflow:assignee field="reviewer"/>', "unknown_attribute"),
        ('<govflow:assignee from="reviewer"/><govflow:assignee from="host"/>', "assignee_repeated"),
    ],
)
def test_pub15_assignee_markup_must_name_one_field_of_the_diagrams_forms(markup, code):
    """Is an assignee naming no form field (or twice, or misspelt) refused with the task's id and a stable code?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(named_reviewer(markup))
    assert [(p.element_id, p.code) for p in err.value.problems] == [("review", code)]


def test_pub15_assignee_markup_belongs_on_a_user_task():
    markup = '<govflow:assignee from="reviewer"/>'
    xml = (
        named_reviewer("")
        .decode()
        .replace(
            "<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>",
            "<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>",
        )
        .replace(
            "</govflow:form></bpmn:extensionElements><bpmn:outgoing>f1",
            "</govflow:form>" + markup + "</bpmn:extensionElements><bpmn:outgoing>f1",
        )
    )
    with pytest.raises(DiagramError) as err:
        parse_definition(xml.encode())
    assert [(p.element_id, p.code) for p in err.value.problems] == [("start", "markup_misplaced")]

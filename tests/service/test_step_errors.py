"""A step on a diagram that deploy would refuse today, deployed before it checked everything.

Such a version keeps running its cases. A step that breaks on it must answer 422 naming the diagram
element at fault (so an administrator knows what to correct), store nothing, and leave the case as
readable and as movable as it was before the step.
"""

from __future__ import annotations

import pytest
from lxml import etree

from service.extensions import db
from service.models import CaseEvent, HumanTask, ProcessDefinition, ProcessInstance
from service.services.engine import now
from tests.db import delete_cases
from tests.hostile_diagrams import BPMN, KEY, scratch, variant
from workflows.engine.parser import content_hash

from . import flows
from .test_mailbox_api import SURVEY

ESCAPE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
  <bpmn:process id="scratch_process" name="escape" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="evil"/>
    <bpmn:scriptTask id="evil" name="逃逸"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>x = ().__class__.__bases__[0].__subclasses__()</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="evil" targetRef="e"/>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>""".encode()


def _condition(code: str) -> bytes:
    root = etree.fromstring(scratch())
    (flow,) = root.xpath("//*[@id='Flow_returned']")
    flow.find(f"{{{BPMN}}}conditionExpression").text = code
    return etree.tostring(root)


def _timer(expression: str) -> bytes:
    return variant("deadline_at").replace(b'deadline_at("publishing.coffee", opens_on)', expression.encode())


@pytest.fixture
def installed(app):
    """Put a diagram straight into the database, as an earlier version of deploy would have let it in."""

    def install(xml: bytes) -> None:
        with app.app_context():
            db.session.add(
                ProcessDefinition(
                    key=KEY,
                    version=1,
                    name="旧版流程",
                    content_hash=content_hash(xml),
                    xml=xml,
                    deployed_at=now(),
                )
            )
            db.session.commit()

    yield install
    with app.app_context():
        delete_cases()
        db.session.query(ProcessDefinition).filter_by(key=KEY).delete()
        db.session.commit()


def _stored(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.query(m).count() for m in (ProcessInstance, HumanTask, CaseEvent))  # type: ignore[return-value]


def _names_the_element(response, code: str, element_id: str, element_name: str) -> None:
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "workflow_error" and element_name in body["title"], body
    (problem,) = body["errors"]
    assert problem == {**problem, "element_id": element_id, "element_name": element_name, "code": code}, body
    assert set(problem) == {"element_id", "element_name", "code", "message"}


# What breaks when 处室负责人 approves: (the diagram, the code, the element, its name)
AT_APPROVAL = {
    "unknown deadline": (variant("deadline"), "unknown_deadline", "publish_survey", "发布征集调查"),
    "deadline_at naming none": (variant("deadline_at"), "unknown_deadline", "late", "超时提醒"),
    "a timer that is no moment": (_timer('"next week"'), "invalid_timer", "late", "超时提醒"),
    "too many instances": (variant("instances"), "too_many_instances", "publish_survey", "发布征集调查"),
    "a refused post-script": (variant("eval"), "script_refused", "approve_survey", "处室负责人审批"),
    "a refused condition": (
        _condition("().__class__ == 1"),
        "script_refused",
        "Gateway_approval",
        "审批结果",
    ),
    "a failing condition": (
        _condition("no_such_field == 1"),
        "script_failed",
        "Gateway_approval",
        "审批结果",
    ),
}


@pytest.mark.parametrize("broken", sorted(AT_APPROVAL))
def test_a_step_breaking_on_an_old_diagram_is_a_422_naming_the_element_and_stores_nothing(
    api, app, installed, broken
):
    """Does approving a survey on a broken older version answer 422 naming the element, the case untouched?"""
    xml, code, element_id, element_name = AT_APPROVAL[broken]
    installed(xml)
    case = flows.start(api, KEY, "wang.fang", SURVEY)
    task = flows.open_task(api, case)
    before = _stored(app)
    response = api.post(
        f"/tasks/{task['id']}/complete", "liu.yang", {"data": {"approval_decision": "approve"}}
    )
    _names_the_element(response, code, element_id, element_name)
    assert _stored(app) == before
    still = flows.view(api, case)
    assert still["status"] == "running" and [t["id"] for t in still["open_tasks"]] == [task["id"]]
    # The way that does not reach the broken part still works.
    if broken not in ("a refused post-script", "a refused condition", "a failing condition"):
        flows.complete(
            api, task["id"], "liu.yang", {"approval_decision": "return", "approval_comment": "请补充"}
        )
        assert flows.open_task(api, case)["task_spec"] == "revise_survey"


def test_a_script_escaping_the_sandbox_on_start_names_its_task_and_stores_no_case(api, app, installed):
    """Does a start on a diagram whose script reaches for object's subclasses fail cleanly, naming the script task?"""
    installed(ESCAPE)
    response = api.post(f"/process-definitions/{KEY}/instances", "zhang.wei", {"data": {}})
    _names_the_element(response, "script_refused", "evil", "逃逸")
    with app.app_context():
        assert db.session.query(ProcessInstance).count() == 0

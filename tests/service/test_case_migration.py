"""An administrator moves one running case to a newer version of its diagram."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from service.extensions import db
from service.models import ProcessDefinition, ProcessInstance
from service.services import deployment
from tests.db import delete_cases
from tests.layout import laid_out

from .flows import complete, open_task, view
from .test_api_errors import assert_problem

DRILL_KEY = "case_admin_drill"
PAUSE = '<govflow:clock deadline="disclosure.reply" action="pause"/>'
TO_END = '<bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end"/>'
FORM = '<govflow:form><govflow:field name="note" type="text" label="办理意见"/></govflow:form>'
TO_REVIEW = f"""<bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="review"/>
    <bpmn:userTask id="review" name="复核"><bpmn:extensionElements>{FORM}</bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f5" sourceRef="review" targetRef="end"/>"""


def drill(name: str = "办理", task_id: str = "handle", pause: str = PAUSE, after: str = TO_END) -> bytes:
    """A case deadline counted from the start; 办理 with its own deadline, pausing the case clock
    (REQ-4), and a ten-day boundary timer leading to 督办处理."""
    flow = after.replace('"handle"', f'"{task_id}"')
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:govflow="urn:govflow:bpmn:1.0"
                  id="Definitions_drill" targetNamespace="urn:govflow:test">
  <bpmn:process id="{DRILL_KEY}" name="迁移演练" isExecutable="true">
    <bpmn:extensionElements><govflow:case trackingPrefix="QY" deadline="disclosure.reply"/></bpmn:extensionElements>
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_office" name="办公室">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>{task_id}</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>late</bpmn:flowNodeRef><bpmn:flowNodeRef>chase</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="收到"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{task_id}"/>
    <bpmn:userTask id="{task_id}" name="{name}">
      <bpmn:extensionElements><govflow:deadline name="disclosure.registration"/>{pause}{FORM}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="late" name="十日未办" attachedToRef="{task_id}" cancelActivity="true">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="late_timer"><bpmn:timeDuration>"P10D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="chase"/>
    <bpmn:userTask id="chase" name="督办处理"><bpmn:extensionElements>{FORM}</bpmn:extensionElements><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="chase" targetRef="end"/>
    {flow}
    <bpmn:endEvent id="end" name="办结"><bpmn:incoming>f2</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""
    return laid_out(xml.encode())


def drill_v1() -> bytes:
    return drill()


def drill_v2() -> bytes:
    """办理 renamed 受理办理, no longer pausing the case clock, and a 复核 step after it."""
    return drill(name="受理办理", pause="", after=TO_REVIEW)


@pytest.fixture
def deploy(app):
    """Deploy a version of the drill; every version and case of it is removed afterwards."""

    def deploy_version(xml: bytes) -> int:
        with app.app_context():
            return deployment.deploy_xml(DRILL_KEY, xml).version

    yield deploy_version
    with app.app_context():
        delete_cases()
        db.session.execute(delete(ProcessDefinition).where(ProcessDefinition.key == DRILL_KEY))
        db.session.commit()


def start_drill(api) -> dict:
    response = api.post(f"/process-definitions/{DRILL_KEY}/instances", "zhang.wei", {"data": {}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def migrate(api, case_id, body=None, user="admin"):
    return api.post(f"/process-instances/{case_id}/migrate", user, body)


def next_timer_at(app, case_id):
    with app.app_context():
        return db.session.get(ProcessInstance, case_id).next_timer_at


def test_org4_a_case_moves_to_the_new_version_keeping_its_open_task_and_says_so(api, app, clock, deploy):
    """Moved to a version that renames the open task and adds a step: does the task keep id, holder and deadline, and lead to the new step?"""
    deploy(drill_v1())
    case = start_drill(api)
    task = open_task(api, case)
    assert api.post(f"/tasks/{task['id']}/claim", "zhang.wei").status_code == 200
    timer = next_timer_at(app, case["id"])
    clock.advance(days=1)
    assert deploy(drill_v2()) == 2
    response = migrate(api, case["id"])
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()
    assert moved["process"]["version"] == 2 and moved["status"] == "running"
    (after,) = moved["open_tasks"]
    assert (after["id"], after["name"], after["assignee"]["username"]) == (
        task["id"],
        "受理办理",
        "zhang.wei",
    )
    assert after["due_at"] == task["due_at"] and after["task_spec"] == "handle"
    assert next_timer_at(app, case["id"]) == timer  # the timer keeps its moment
    (entry,) = [e for e in moved["history"] if e["kind"] == "case_migrated"]
    assert entry["actor"]["username"] == "admin"
    assert (entry["details"]["from_version"], entry["details"]["to_version"]) == (1, 2)
    complete(api, task["id"], "zhang.wei", {})
    assert [t["name"] for t in view(api, case)["open_tasks"]] == ["复核"]


def test_req4_a_task_that_no_longer_pauses_lets_the_case_clock_run_again(api, clock, deploy):
    """The open task stopped the case clock in version 1 but not in version 2: does the clock run again after the move?"""
    deploy(drill_v1())
    case = start_drill(api)
    assert view(api, case)["clock_paused"] is True
    deploy(drill_v2())
    clock.advance(days=1)
    moved = migrate(api, case["id"]).get_json()
    assert moved["clock_paused"] is False and moved["due_at"] is not None
    (reply,) = [d for d in moved["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["status"] == "running" and reply["pauses"] == [["2026-03-02", "2026-03-03"]]


def test_a_version_without_the_open_task_is_refused_naming_it(api, deploy):
    """Is moving to a version that dropped 办理 a 409 naming 办理, with the case still on version 1 and its task workable?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill(task_id="handle_v2"))
    body = assert_problem(migrate(api, case["id"], {"version": 2}), 409, "migration_refused")
    assert "办理" in body["title"] and "第 2 版" in body["title"]
    assert [(e["element"], e["code"]) for e in body["errors"]] == [("handle", "missing")]
    after = view(api, case)
    assert after["process"]["version"] == 1
    assert not [e for e in after["history"] if e["kind"] == "case_migrated"]
    complete(api, open_task(api, case)["id"], "zhang.wei", {})
    assert view(api, case)["status"] == "completed"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"version": 9}, 422, "version_not_found"),
        ({"version": 2**31}, 422, "version_not_found"),  # beyond the database's integers: no 500
        ({"version": -(2**63)}, 422, "version_not_found"),
        ({"version": "2"}, 422, "invalid"),
        ({"version": True}, 422, "invalid"),
        ({"version": 1}, 409, "already_on_version"),
        (None, 409, "already_on_version"),
    ],
)
def test_the_target_version_must_exist_and_be_another(api, deploy, body, status, code):
    """Is a version that does not exist, is not a number, or is the case's own refused, naming `version`?"""
    deploy(drill_v1())
    case = start_drill(api)
    problem = assert_problem(
        migrate(api, case["id"], body), status, code if status == 409 else "validation_failed"
    )
    if status == 422:
        assert problem["field"] == "version" and problem["errors"][0]["code"] == code


def test_a_case_cannot_move_back_to_an_older_version(api, deploy):
    """Started on version 2, can a case be moved to version 1?"""
    deploy(drill_v1())
    deploy(drill_v2())
    case = start_drill(api)
    problem = assert_problem(migrate(api, case["id"], {"version": 1}), 422, "validation_failed", "version")
    assert problem["errors"][0]["code"] == "not_newer"


def test_only_administrators_move_cases_and_only_running_ones(api, deploy):
    """Can staff move a case, or anyone move one that is cancelled or does not exist?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill_v2())
    assert_problem(migrate(api, case["id"], user="zhang.wei"), 403, "admin_only")
    assert_problem(migrate(api, 999999), 404, "instance_not_found")
    api.post(f"/process-instances/{case['id']}/cancel", "admin", {"reason": "测试"})
    body = assert_problem(migrate(api, case["id"]), 409, "case_not_running")
    assert "已撤销" in body["title"]


def test_the_cli_moves_a_case_and_says_why_it_cannot(app, api, deploy):
    """Can an operator move a case from the command line, and does a refusal name the task and fail?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill(task_id="handle_v2"))
    deploy(drill_v2())
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["migrate-case", str(case["id"]), "--version", "2"])
    assert refused.exit_code != 0 and "办理" in refused.output
    done = runner.invoke(args=["migrate-case", str(case["id"])])
    assert done.exit_code == 0, done.output
    assert "第 1 版" in done.output and "第 3 版" in done.output
    assert view(api, case)["process"]["version"] == 3

"""Deploying diagrams: versions, refusals, and what running cases keep."""

from pathlib import Path

import pytest

from service.errors import ServiceError
from service.extensions import db
from service.models import ProcessDefinition, ProcessInstance
from service.services import deployment
from tests.db import delete_cases

from .flows import complete, open_task, register, start_disclosure

DIAGRAM = (Path(__file__).resolve().parents[2] / "bpmn" / "disclosure_request.bpmn").read_bytes()


def _versions(key):
    return [
        r.version
        for r in db.session.query(ProcessDefinition).filter_by(key=key).order_by(ProcessDefinition.version)
    ]


@pytest.fixture
def scratch_key(app):
    """A diagram key of the test's own, removed afterwards so other tests see only bpmn/."""
    yield "scratch_process"
    with app.app_context():
        delete_cases()
        db.session.query(ProcessDefinition).filter_by(key="scratch_process").delete()
        db.session.commit()


def _scratch(xml: bytes) -> bytes:
    return xml.replace(b'id="disclosure_request"', b'id="scratch_process"').replace(
        b'processRef="disclosure_request"', b'processRef="scratch_process"'
    )


def test_unchanged_redeploy_makes_no_new_version_and_cases_keep_theirs(app, api, scratch_key):
    """Does redeploying an unchanged file keep the version, and does a running case stay on its version?"""
    with app.app_context():
        assert deployment.deploy_xml(scratch_key, _scratch(DIAGRAM)).created
        assert not deployment.deploy_xml(scratch_key, _scratch(DIAGRAM)).created
        assert _versions(scratch_key) == [1]
    started = api.post(
        f"/process-definitions/{scratch_key}/instances",
        "zhang.wei",
        {
            "data": {
                "applicant_name": "甲",
                "applicant_contact": "13800000001",
                "request_content": "x",
                "channel": "letter",
            }
        },
    ).get_json()
    renamed = _scratch(DIAGRAM).replace("登记申请".encode(), "申请登记".encode())
    with app.app_context():
        assert deployment.deploy_xml(scratch_key, renamed).version == 2
        assert _versions(scratch_key) == [1, 2]
    task = open_task(api, started["id"])
    assert task["name"] == "登记申请"
    complete(
        api,
        task["id"],
        "zhang.wei",
        {"owning_department": "planning", "received_on": "2026-03-02", "registration_decision": "accept"},
    )
    assert api.get(f"/process-instances/{started['id']}", "admin").get_json()["process"]["version"] == 1
    newer = api.post(
        f"/process-definitions/{scratch_key}/instances",
        "zhang.wei",
        {
            "data": {
                "applicant_name": "乙",
                "applicant_contact": "13800000002",
                "request_content": "y",
                "channel": "fax",
            }
        },
    ).get_json()
    assert newer["process"]["version"] == 2
    assert open_task(api, newer["id"])["name"] == "申请登记"


def test_a_lane_naming_no_department_is_refused(app, scratch_key):
    """Can a diagram whose lane names a department we do not have be deployed?"""
    with app.app_context(), pytest.raises(ServiceError) as err:
        deployment.deploy_xml(
            scratch_key, _scratch(DIAGRAM).replace('name="办公室"'.encode(), 'name="宣传部"'.encode())
        )
    assert err.value.code == "invalid_diagram" and "宣传部" in err.value.message


ESCAPE = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t">
  <bpmn:process id="scratch_process" name="escape" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="evil"/>
    <bpmn:scriptTask id="evil" name="evil"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>x = ().__class__.__bases__[0].__subclasses__()</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="evil" targetRef="e"/>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_diagram_script_cannot_escape_the_sandbox(app, api, scratch_key):
    """Does a diagram whose script reaches for object's subclasses fail cleanly, storing no case?"""
    with app.app_context():
        deployment.deploy_xml(scratch_key, ESCAPE)
    response = api.post(f"/process-definitions/{scratch_key}/instances", "zhang.wei", {"data": {}})
    assert response.status_code == 422 and response.get_json()["code"] == "workflow_error"
    with app.app_context():
        assert db.session.query(ProcessInstance).count() == 0


def test_a_diagram_with_an_external_entity_is_refused(app, scratch_key):
    """Can a diagram read a server file through an XML external entity?"""
    evil = ESCAPE.replace(
        b"<bpmn:definitions", b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions'
    )
    evil = evil.replace(b'name="escape"', b'name="&x;"')
    with app.app_context(), pytest.raises(ServiceError) as err:
        deployment.deploy_xml(scratch_key, evil)
    assert err.value.code == "invalid_diagram" and "root:" not in err.value.message


def test_definitions_list_shows_the_start_form(api):
    """Does the list of processes say what data starting one needs?"""
    (item,) = [
        d
        for d in api.get("/process-definitions", "zhang.wei").get_json()["items"]
        if d["key"] == "disclosure_request"
    ]
    assert item["name"] == "依申请公开" and item["version"] >= 1
    assert {f["name"] for f in item["start_form"]} == {
        "applicant_name",
        "applicant_contact",
        "request_content",
        "channel",
    }


def test_redrafting_after_return_keeps_the_owning_department(api):
    """After a return, does the redraft land with the same department again?"""
    case = start_disclosure(api)
    register(api, case["id"], "office")
    assert open_task(api, case["id"])["department"]["code"] == "office"

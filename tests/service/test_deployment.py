"""Deploying diagrams: versions, refusals, and what running cases keep."""

import re
from pathlib import Path

import pytest

from service.errors import ServiceError
from service.extensions import db
from service.models import ProcessDefinition
from service.services import deployment
from tests.db import delete_cases
from tests.hostile_diagrams import HOSTILE, scratch, variant

from .flows import APPLICANT, complete, open_task, register, start_disclosure

DIAGRAM = (Path(__file__).resolve().parents[2] / "bpmn" / "disclosure_request.bpmn").read_bytes()
CJK = re.compile(r"[\u4e00-\u9fff]")


def _versions(key):
    return [
        r.version
        for r in db.session.query(ProcessDefinition).filter_by(key=key).order_by(ProcessDefinition.version)
    ]


@pytest.fixture
def scratch_key(app):
    """A diagram key of the test's own, removed afterwards (with any other scratch_ key) so other tests see only bpmn/."""
    yield "scratch_process"
    with app.app_context():
        delete_cases()
        db.session.query(ProcessDefinition).filter(ProcessDefinition.key.like("scratch%")).delete(
            synchronize_session=False
        )
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
                **APPLICANT,
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
                **APPLICANT,
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


def test_a_diagram_with_an_external_entity_is_refused(app, scratch_key):
    """Can a diagram read a server file through an XML external entity?"""
    evil = scratch().replace(
        b"<bpmn:definitions", b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions', 1
    )
    evil = evil.replace('name="征集调查"'.encode(), b'name="&x;"')
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
        "applicant_type",
        "applicant_name",
        "organisation_name",
        "organisation_kind",
        "id_type",
        "id_number",
        "applicant_contact",
        "request_content",
        "request_purpose",
        "delivery_form",
        "channel",
    }


def test_redrafting_after_return_keeps_the_owning_department(api):
    """After a return, does the redraft land with the same department again?"""
    case = start_disclosure(api)
    register(api, case["id"], "office")
    assert open_task(api, case["id"])["department"]["code"] == "office"


def _rows() -> int:
    return db.session.query(ProcessDefinition).count()


def _problems(err: ServiceError) -> list[dict]:
    assert err.code == "invalid_diagram" and err.status == 422
    for problem in err.errors:
        assert set(problem) == {"element_id", "element_name", "code", "message"}, problem
        assert CJK.search(problem["message"]), problem
    return err.errors


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_deploy_refuses_every_diagram_validate_refuses_storing_nothing(app, scratch_key, name):
    """Is a hostile or broken diagram refused by deploy, naming its element in Chinese, with no version stored?"""
    _change, code, element = HOSTILE[name]
    with app.app_context():
        before = _rows()
        with pytest.raises(ServiceError) as err:
            deployment.deploy_xml(scratch_key, variant(name))
        problems = _problems(err.value)
        assert (code, element) in {(p["code"], p["element_id"]) for p in problems}, problems
        assert err.value.field == f"{scratch_key}.bpmn"
        assert _rows() == before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_deploy_command_refuses_them_too(app, scratch_key, tmp_path, name):
    """Does `flask deploy` (what boot.sh runs) refuse the same diagrams, printing the element and code?"""
    (tmp_path / f"{scratch_key}.bpmn").write_bytes(variant(name))
    with app.app_context():
        before = _rows()
    result = app.test_cli_runner().invoke(args=["deploy", str(tmp_path)])
    _change, code, element = HOSTILE[name]
    assert result.exit_code != 0 and f"（{element}）" in result.output and code in result.output, (
        result.output
    )
    with app.app_context():
        assert _rows() == before


def test_the_diagram_they_are_made_from_deploys(app, scratch_key):
    """Is the unchanged survey diagram under the scratch key deployable (so each refusal is its change)?"""
    with app.app_context():
        assert deployment.deploy_xml(scratch_key, scratch()).created


def test_a_directory_with_one_bad_diagram_deploys_nothing(app, scratch_key, tmp_path):
    """Is a folder deployed all or nothing: a good diagram beside a bad one is not stored either?"""
    (tmp_path / "scratch_good.bpmn").write_bytes(scratch(key="scratch_good"))
    (tmp_path / f"{scratch_key}.bpmn").write_bytes(variant("deadline"))
    with app.app_context():
        before = _rows()
        with pytest.raises(ServiceError) as err:
            deployment.deploy_directory(tmp_path)
        assert {p["code"] for p in _problems(err.value)} == {"unknown_deadline"}
        assert _rows() == before


def test_malformed_xml_is_one_problem_of_the_whole_diagram(app, scratch_key):
    """Does a file that is not XML come back as one problem with no element, in Chinese?"""
    with app.app_context(), pytest.raises(ServiceError) as err:
        deployment.deploy_xml(scratch_key, b"<bpmn:definitions")
    (problem,) = _problems(err.value)
    assert problem["element_id"] is None and problem["element_name"] is None
    assert problem["code"] == "not_well_formed"


def test_an_unknown_deadline_names_its_task_and_says_what_to_do(app, scratch_key):
    """Does the refusal name the task by id and Chinese name, the deadline, and the names that exist?"""
    with app.app_context(), pytest.raises(ServiceError) as err:
        deployment.deploy_xml(scratch_key, variant("deadline"))
    (problem,) = _problems(err.value)
    assert problem["element_name"] == "发布征集调查"
    assert "publishing.coffee" in problem["message"] and "publishing.centre_edit" in problem["message"]

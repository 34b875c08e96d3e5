"""Deploying through the API (issue 12): versions with who and why, refusals that store nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import ProcessDefinition
from tests.db import delete_cases
from tests.hostile_diagrams import KEY, SURVEY, scratch, variant

RENAMED = scratch().replace("发布征集调查".encode(), "发布调查征集".encode())
ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    + scratch().split(b"?>", 1)[1].replace(b'name="\xe6', b'name="&b;\xe6', 1)
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + scratch().split(
    b"?>", 1
)[1].replace(b'name="\xe6', b'name="&x;\xe6', 1)


@pytest.fixture
def scratch_rows(app):
    """Diagrams under scratch keys are the test's own: removed afterwards, with their cases."""
    yield KEY
    with app.app_context():
        delete_cases()
        db.session.query(ProcessDefinition).filter(ProcessDefinition.key.like("scratch%")).delete(
            synchronize_session=False
        )
        db.session.commit()


def definition_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProcessDefinition))


def deploy(api, xml: bytes, user: str = "admin", **extra):
    return api.post("/process-definitions", user, {"xml": xml.decode(), **extra})


def test_admin_deploys_a_new_version_with_who_and_why(api, scratch_rows):
    """Does an administrator's deploy make a version that names them and their comment, and an unchanged
    redeploy keep it (200, created false)?"""
    first = deploy(api, scratch(), comment="首次部署")
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert (body["key"], body["version"], body["created"], body["comment"]) == (KEY, 1, True, "首次部署")
    assert body["deployed_by"]["username"] == "admin"
    again = deploy(api, scratch(), comment="再来一次")
    assert again.status_code == 200
    assert (again.get_json()["version"], again.get_json()["created"]) == (1, False)
    assert again.get_json()["comment"] == "首次部署"
    second = deploy(api, RENAMED)
    assert (second.status_code, second.get_json()["version"], second.get_json()["comment"]) == (201, 2, None)


def test_versions_newest_first_with_running_cases_and_their_xml(api, scratch_rows):
    """Does the version history list every version newest first, with the cases still running on each,
    and give back each version's XML as deployed?"""
    deploy(api, scratch(), comment="第一版")
    started = api.post(f"/process-definitions/{KEY}/instances", "wang.fang", {"data": _survey_data()})
    assert started.status_code == 201, started.get_json()
    deploy(api, RENAMED, comment="改名")
    items = api.get(f"/process-definitions/{KEY}/versions", "admin").get_json()["items"]
    assert [(i["version"], i["running_cases"], i["comment"]) for i in items] == [
        (2, 0, "改名"),
        (1, 1, "第一版"),
    ]
    assert items[0]["deployed_by"]["username"] == "admin" and len(items[0]["content_hash"]) == 64
    xml = api.get(f"/process-definitions/{KEY}/versions/1/xml", "admin")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert xml.get_data() == scratch()
    assert api.get(f"/process-definitions/{KEY}/versions/3/xml", "admin").status_code == 404
    assert api.get("/process-definitions/no_such_diagram/versions", "admin").status_code == 404


def test_other_people_are_refused_every_diagram_operation(api, scratch_rows):
    """May anyone but an administrator check, deploy, list, read or compare diagrams? (403 admin_only)"""
    deploy(api, scratch())
    for answer in (
        deploy(api, RENAMED, user="zhang.wei"),
        api.post("/process-definitions/check", "li.na", {"xml": RENAMED.decode()}),
        api.get(f"/process-definitions/{KEY}/versions", "zhou.qiang"),
        api.get(f"/process-definitions/{KEY}/versions/1/xml", "wang.fang"),
        api.get(f"/process-definitions/{KEY}/diff?from=1&to=1", "liu.yang"),
    ):
        assert (answer.status_code, answer.get_json()["code"]) == (403, "admin_only")
    assert [
        i["version"] for i in api.get(f"/process-definitions/{KEY}/versions", "admin").get_json()["items"]
    ] == [1]


@pytest.mark.parametrize(
    ("xml", "code", "element"),
    [
        (variant("import"), "script_refused", "approve_survey"),
        (variant("condition"), "script_refused", "Flow_returned"),
        (b"<bpmn:definitions", "not_well_formed", None),
        (ENTITIES, "doctype_refused", None),
        (EXTERNAL, "not_well_formed", None),  # an external entity in an attribute: lxml refuses it
        (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "invalid_bpmn", None),
        (SURVEY.replace(b'isExecutable="true"', b'isExecutable="false"'), "not_executable", "survey"),
    ],
)
def test_a_refused_diagram_names_the_reason_and_stores_nothing(app, api, scratch_rows, xml, code, element):
    """Is a diagram with problems (a script the sandbox refuses, broken XML, entities, no executable
    process) refused with 422 naming the element and the reason, and nothing stored?"""
    before = definition_count(app)
    answer = deploy(api, xml)
    assert answer.status_code == 422, answer.get_json()
    body = answer.get_json()
    assert (body["code"], body["field"]) == ("invalid_diagram", "xml")
    assert any(e["code"] == code and e["element_id"] == element for e in body["errors"]), body["errors"]
    assert definition_count(app) == before
    checked = api.post("/process-definitions/check", "admin", {"xml": xml.decode()})
    assert checked.status_code == 200
    assert any(p["code"] == code for p in checked.get_json()["problems"])


def test_the_body_is_checked_field_by_field(app, api, scratch_rows):
    """Are a missing xml, an overlong comment and an oversized diagram refused naming their field?"""
    before = definition_count(app)
    missing = api.post("/process-definitions", "admin", {"comment": "x"})
    assert (missing.status_code, missing.get_json()["field"]) == (422, "xml")
    long_comment = deploy(api, scratch(), comment="长" * 201)
    assert (long_comment.status_code, long_comment.get_json()["field"]) == (422, "comment")
    padding = b"<!--" + b"x" * (2 * 1024 * 1024) + b"-->"
    oversized = deploy(api, scratch() + padding)
    assert oversized.status_code == 413
    assert (oversized.get_json()["code"], oversized.get_json()["field"]) == ("diagram_too_large", "xml")
    checked = api.post("/process-definitions/check", "admin", {"xml": (scratch() + padding).decode()})
    assert checked.status_code == 413
    assert definition_count(app) == before
    assert api.get(f"/process-definitions/{KEY}/versions", "admin").status_code == 404


def test_check_stores_nothing_and_names_the_key(app, api, scratch_rows):
    """Does a check answer the diagram's key and an empty list for a deployable diagram, the problems
    of one that is not, and store nothing either way?"""
    before = definition_count(app)
    ok = api.post("/process-definitions/check", "admin", {"xml": scratch().decode()}).get_json()
    assert ok == {"key": KEY, "problems": []}
    unknown = api.post(
        "/process-definitions/check", "admin", {"xml": variant("deadline").decode()}
    ).get_json()
    assert unknown["key"] == KEY
    assert [(p["element_id"], p["code"]) for p in unknown["problems"]] == [
        ("publish_survey", "unknown_deadline")
    ]
    assert "发布征集调查" in unknown["problems"][0]["message"]
    assert definition_count(app) == before


def _survey_data() -> dict:
    return {
        "survey_kind": "survey",
        "survey_title": "调查",
        "survey_content": "内容",
        "opens_on": "2026-03-02",
        "closes_on": "2026-03-20",
    }

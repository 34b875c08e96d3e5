"""The diagram editor's server side (issue 12): its pages for administrators only, 检查 (the same
problems as `flask validate`, each naming its element) and the list of service operations."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .pages import Pages, logged_in
from .test_api_errors import assert_problem

BPMN = Path(__file__).parents[2] / "bpmn"
PUBLISHING = (BPMN / "publishing.bpmn").read_text(encoding="utf-8")


def test_checking_a_deployed_diagram_finds_no_problem_and_names_its_key(api):
    """Does 检查 of publishing.bpmn as it is deployed answer its key and an empty problem list?"""
    response = api.post("/process-definitions/check", "admin", {"xml": PUBLISHING})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"key": "publishing", "problems": []}


def test_checking_a_lane_that_resolves_to_nobody_names_the_lane(api):
    """Does 检查 name the lane whose department does not exist, with the reason in Chinese?"""
    xml = PUBLISHING.replace('name="信息员"', 'name="不存在的处室"', 1)
    problems = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()["problems"]
    assert problems and all(set(p) == {"element_id", "element_name", "code", "message"} for p in problems)
    lane = next(p for p in problems if p["code"] == "unknown_lane")
    assert "不存在的处室" in lane["message"] and lane["element_id"]


def test_checking_text_that_is_no_xml_answers_a_problem_not_an_error(api):
    """Is broken XML one problem of the whole diagram (no element), with no key?"""
    body = api.post("/process-definitions/check", "admin", {"xml": "<bpmn:definitions"}).get_json()
    assert body["key"] is None and [p["code"] for p in body["problems"]] == ["not_well_formed"]
    assert body["problems"][0]["element_id"] is None


def test_checking_is_for_administrators_and_needs_the_xml(api):
    """May staff check a diagram (403), and is a missing xml refused naming the field (422)?"""
    assert_problem(api.post("/process-definitions/check", "liu.yang", {"xml": PUBLISHING}), 403, "admin_only")
    assert_problem(api.post("/process-definitions/check", "admin", {}), 422, "validation_failed", "xml")
    assert_problem(
        api.post("/process-definitions/check", "admin", {"xml": 3}), 422, "validation_failed", "xml"
    )


def test_a_session_may_check_with_a_json_body(app):
    """Can the editor page's own session call 检查 with JSON (no token), as the bundle does?"""
    admin = logged_in(app, "admin")
    response = admin.client.post("/api/v1/process-definitions/check", json={"xml": PUBLISHING})
    assert response.status_code == 200 and response.get_json()["problems"] == []
    form = admin.client.post("/api/v1/process-definitions/check", data={"xml": PUBLISHING})
    assert form.status_code == 403


def test_service_operations_list_the_handler_registry_for_administrators(api):
    """Does the operation dropdown get every registered handler with its parameters, admins only?"""
    items = api.get("/service-operations", "admin").get_json()["items"]
    screening = next(i for i in items if i["name"] == "content_screening")
    assert screening["label"] and screening["parameters"]
    assert_problem(api.get("/service-operations", "zhang.wei"), 403, "forbidden")


def test_the_editor_opens_the_newest_version_for_an_administrator(app):
    """Does /admin/diagrams/publishing/edit carry the deployed XML, the toolbar and the bundle?"""
    text = logged_in(app, "admin").text("/admin/diagrams/publishing/edit")
    for words in ("检查", "部署", "下载XML", "编辑流程图：信息发布", "build/editor.js", "build/editor.css"):
        assert words in text
    xml = html.unescape(re.search(r'data-xml="([^"]*)"', text).group(1))
    assert 'id="publishing"' in xml and "govflow:form" in xml
    assert "<script>" not in text  # CSP: scripts from static files only


def test_the_case_link_dropdown_lists_the_deployed_diagrams_by_key_and_name(app, api):
    """Does the editor page name the list its 关联其他案件 dropdown loads, and does that list give an
    administrator each deployed diagram's key and Chinese name?"""
    text = logged_in(app, "admin").text("/admin/diagrams/error_report/edit")
    url = re.search(r'data-definitions-url="([^"]*)"', text).group(1)
    assert url == "/api/v1/process-definitions"
    items = api.get("/process-definitions", "admin").get_json()["items"]
    assert {"key": "publishing", "name": "信息发布"} in [{"key": i["key"], "name": i["name"]} for i in items]


def test_a_new_diagram_starts_from_a_minimal_valid_one(app, api):
    """Does /admin/diagrams/new open a diagram that 检查 finds nothing wrong with but its id?"""
    text = logged_in(app, "admin").text("/admin/diagrams/new")
    xml = html.unescape(re.search(r'data-xml="([^"]*)"', text).group(1))
    body = api.post("/process-definitions/check", "admin", {"xml": xml}).get_json()
    assert body["key"] == "new_process"
    assert body["problems"] == [], body["problems"]


def test_the_editor_is_for_administrators_only(app):
    """Does staff get the not-found page, an anonymous visitor the log-in page, an unknown key 404?"""
    for path in ("/admin/diagrams/publishing/edit", "/admin/diagrams/new"):
        assert logged_in(app, "li.na").get(path).status_code == 404
        anonymous = Pages(app).get(path)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert logged_in(app, "admin").get("/admin/diagrams/nothing/edit").status_code == 404

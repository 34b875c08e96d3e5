"""The task page draws every field type the forms have as its own control, and turns what the page
form sends back into the typed answer the use case takes (issue 11). A hand-written drill diagram:
one step 填报 of 办公室 asking one field of each type."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete

from service.extensions import db
from service.models import ProcessDefinition
from service.services import deployment
from tests.db import delete_cases
from tests.layout import laid_out
from tests.service.flows import open_task, start, view
from tests.service.pages import Pages

KEY = "field_drill"
FIELDS = """
  <govflow:field name="title" type="string" label="标题" required="true" maxLength="50"/>
  <govflow:field name="body" type="text" label="正文"/>
  <govflow:field name="copies" type="integer" label="份数"/>
  <govflow:field name="normative" type="boolean" label="是否规范性文件" required="true"/>
  <govflow:field name="formed_on" type="date" label="形成日期" notAfter="today"/>
  <govflow:field name="consent" type="enum" label="是否同意公开">
    <govflow:option value="yes" label="同意"/><govflow:option value="no" label="不同意"/>
  </govflow:field>
  <govflow:field name="reply_mode" type="enum" label="答复方式" required="true">
    <govflow:option value="private" label="仅答复本人"/>
    <govflow:option value="public" label="公开答复" onlyIf="consent=yes" whyNot="来信人不同意公开"/>
  </govflow:field>
  <govflow:field name="forms" type="enums" label="解读形式" requiredIf="normative=true" minItems="2">
    <govflow:option value="text" label="文字"/><govflow:option value="chart" label="图解"/>
    <govflow:option value="video" label="视频"/>
  </govflow:field>
  <govflow:field name="lead" type="department" label="牵头处室"/>
  <govflow:field name="helpers" type="departments" label="协办处室"/>
  <govflow:field name="contact" type="contact" label="联系方式"/>
  <govflow:field name="link" type="url" label="原文链接"/>
"""


def drill() -> bytes:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:govflow="urn:govflow:bpmn:1.0"
                  id="Definitions_fields" targetNamespace="urn:govflow:test">
  <bpmn:process id="{KEY}" name="字段演练" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_office" name="办公室">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>fill</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill"/>
    <bpmn:userTask id="fill" name="填报">
      <bpmn:extensionElements><govflow:form>{FIELDS}</govflow:form></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end"/>
    <bpmn:endEvent id="end" name="办结"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""
    return laid_out(xml.encode())


@pytest.fixture
def drill_task(app, api):
    with app.app_context():
        deployment.deploy_xml(KEY, drill())
    case = start(api, KEY, "zhang.wei", {})
    yield case, open_task(api, case)
    with app.app_context():
        delete_cases()
        db.session.execute(delete(ProcessDefinition).where(ProcessDefinition.key == KEY))
        db.session.commit()


def test_every_field_type_is_its_own_labelled_control(app, drill_task):
    """On Mon 2 Mar 2026: text inputs, a textarea, a number, 是/否, a date up to today, selects, checkboxes for several choices, a URL."""
    _, task = drill_task
    pages = Pages(app)
    pages.log_in("zhang.wei")
    html = pages.text(f"/tasks/{task['id']}")
    assert re.search(
        r'<input id="field-title" name="title" aria-required="true" type="text" value="" maxlength="50">',
        html,
    )
    assert '<textarea id="field-body" name="body" rows="4">' in html
    assert '<input id="field-copies" name="copies" type="number"' in html
    assert '<option value="true">是</option>' in html and '<option value="false">否</option>' in html
    assert 'type="date" min="2000-01-01" max="2026-03-02"' in html
    assert '<option value="public">公开答复</option>' in html
    assert "“公开答复”仅在“是否同意公开”为“同意”时可选：来信人不同意公开" in html
    assert "“是否规范性文件”为“是”时必填；至少选择2项" in html
    assert re.search(
        r'<legend>解读形式</legend>\s*<label class="choice" for="field-forms-1"><input type="checkbox" id="field-forms-1" name="forms" value="text"',
        html,
    )
    assert '<option value="planning">规划处</option>' in html
    assert 'name="helpers" value="planning"' in html
    assert 'id="field-link" name="link" type="url"' in html
    for name in (
        "title",
        "body",
        "copies",
        "normative",
        "formed_on",
        "consent",
        "reply_mode",
        "lead",
        "contact",
        "link",
    ):
        assert f'<label for="field-{name}">' in html, name


def test_the_page_form_is_turned_into_typed_answers(app, api, drill_task):
    """份数 "3" is the number 3, 是 is true, two checked 解读形式 are a list; the case carries them so."""
    case, task = drill_task
    pages = Pages(app)
    pages.log_in("zhang.wei")
    posted = {
        "title": "通知",
        "copies": "3",
        "normative": "true",
        "formed_on": "2026-03-02",
        "consent": "yes",
        "reply_mode": "public",
        "forms": ["text", "chart"],
        "lead": "planning",
        "helpers": ["legal", "finance"],
        "contact": "13800000000",
        "link": "https://example.cn/a",
    }
    done = pages.submit(f"/tasks/{task['id']}", f"/tasks/{task['id']}/complete", posted)
    assert done.status_code == 302, done.get_data(as_text=True)
    data = view(api, case)["data"]
    assert data["copies"] == 3 and data["normative"] is True and data["forms"] == ["text", "chart"]
    assert data["helpers"] == ["legal", "finance"] and data["lead"] == "planning"


def test_an_option_not_available_is_refused_beside_its_field(app, api, drill_task):
    """公开答复 while 不同意 was chosen: the reason stands under 答复方式, and 不同意 is still chosen."""
    case, task = drill_task
    pages = Pages(app)
    pages.log_in("zhang.wei")
    posted = {"title": "通知", "normative": "false", "consent": "no", "reply_mode": "public"}
    response = pages.submit(f"/tasks/{task['id']}", f"/tasks/{task['id']}/complete", posted)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        '<p class="field-error" id="field-reply_mode-error">“答复方式”不能选择“公开答复”：来信人不同意公开</p>'
        in html
    )
    assert '<option value="no" selected>不同意</option>' in html
    assert open_task(api, case)["id"] == task["id"]

"""The diagram editor (issue 12): bpmn-js with its properties panel for govflow's markup, in the
page /admin/diagrams/<key>/edit (the newest deployed version) or /admin/diagrams/new. Administrators
only: anyone else gets the not-found page. The page runs no inline script (CSP); the diagram and the
dropdowns' lists reach the bundle (static/build/editor.js) in data- attributes and by fetch."""

from __future__ import annotations

import json

from flask import render_template
from flask_login import current_user, login_required

from workflows.assignment import ROLE_LABELS

from ..services import deployment
from . import bp

NEW_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:govflow="urn:govflow:bpmn:1.0" \
id="Definitions_new" targetNamespace="urn:govflow:bpmn:new">
  <bpmn:process id="new_process" name="新流程" isExecutable="true">
    <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>flow_end</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="end" name="结束"><bpmn:incoming>flow_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_end" sourceRef="start" targetRef="end"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_new">
    <bpmndi:BPMNPlane id="Plane_new" bpmnElement="new_process">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36"/>\
</bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="400" y="160" width="36" height="36"/>\
</bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_end_di" bpmnElement="flow_end"><di:waypoint x="216" y="178"/>\
<di:waypoint x="400" y="178"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@bp.get("/admin/diagrams/<key>/edit")
@login_required
def edit_diagram(key: str):
    row = deployment.newest_definition(key) if current_user.is_admin else None
    if row is None:
        return render_template("not_found.html", what="流程图"), 404
    return _editor(key, row.name, row.version, bytes(row.xml).decode())


@bp.get("/admin/diagrams/new")
@login_required
def new_diagram():
    if not current_user.is_admin:
        return render_template("not_found.html", what="流程图"), 404
    return _editor("", "新流程", None, NEW_DIAGRAM)


def _editor(key: str, name: str, version: int | None, xml: str):
    roles = [{"value": role.value, "label": label} for role, label in ROLE_LABELS.items()]
    return render_template(
        "diagram_editor.html",
        key=key,
        name=name,
        version=version,
        xml=xml,
        roles=json.dumps(roles, ensure_ascii=False),
    )

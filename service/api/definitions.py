"""Administrators' diagram endpoints: check and deploy an uploaded diagram, its versions, a difference."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..models import ProcessDefinition
from ..services import definitions
from . import bp, serialize
from .views import int_arg, json_body


@bp.post("/process-definitions/check")
@login_required
def check_definition():
    body = json_body()
    checked = definitions.check_diagram(current_user, body.get("xml"))
    return jsonify({"key": checked.key, "problems": [p.to_dict() for p in checked.problems]})


@bp.post("/process-definitions")
@login_required
def deploy_definition():
    body = json_body()
    row, created = definitions.deploy_diagram(current_user, body.get("xml"), body.get("comment"))
    answer = {"key": row.key, "version": row.version, "created": created, **_deployment(row)}
    return jsonify(answer), 201 if created else 200


@bp.get("/process-definitions/<key>/versions")
@login_required
def definition_versions(key: str):
    items = [
        {
            "version": v.row.version,
            **_deployment(v.row),
            "content_hash": v.row.content_hash,
            "running_cases": v.running_cases,
        }
        for v in definitions.versions(current_user, key)
    ]
    return jsonify({"items": items})


@bp.get("/process-definitions/<key>/versions/<id:version>/xml")
@login_required
def definition_xml(key: str, version: int):
    return Response(definitions.version_xml(current_user, key, version), mimetype="application/xml")


@bp.get("/process-definitions/<key>/diff")
@login_required
def definition_diff(key: str):
    before, after = _version_arg("from"), _version_arg("to")
    return jsonify(definitions.diff_versions(current_user, key, before, after).to_dict())


def _version_arg(name: str) -> int:
    if request.args.get(name) is None:
        raise ServiceError("invalid_parameter", f"请指明要比较的版本 {name}", 400, field=name)
    return int_arg(name, 1, 1, 1_000_000)


def _deployment(row: ProcessDefinition) -> dict[str, Any]:
    return {
        "deployed_at": serialize.iso(row.deployed_at),
        "deployed_by": serialize.person(row.deployed_by),
        "comment": row.comment,
    }

"""Administrators' acts on a whole case: cancel it, move it to a newer version of its diagram."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from ..services import case_admin
from . import bp
from .views import instance_view, json_body


@bp.post("/process-instances/<id:instance_id>/cancel")
@login_required
def cancel_instance(instance_id: int):
    body = json_body()
    case_admin.cancel_case(current_user, instance_id, body.get("reason"), body.get("withdrawn", False))
    return jsonify(instance_view(instance_id))


@bp.post("/process-instances/<id:instance_id>/migrate")
@login_required
def migrate_instance(instance_id: int):
    case_admin.migrate_case(current_user, instance_id, json_body().get("version"))
    return jsonify(instance_view(instance_id))

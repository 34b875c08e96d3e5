"""委派 and 催办 on a task: delegate it to a colleague, who resolves it back; take it back; urge it."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from ..services import delegation, urging
from . import bp, serialize
from .views import json_body


@bp.post("/tasks/<id:task_id>/delegate")
@login_required
def delegate(task_id: int):
    body = json_body()
    task = delegation.delegate_task(current_user, task_id, body.get("to"), body.get("reason"))
    return jsonify(serialize.task(task))


@bp.post("/tasks/<id:task_id>/resolve")
@login_required
def resolve(task_id: int):
    body = json_body()
    task = delegation.resolve_task(current_user, task_id, body.get("data", {}), body.get("note"))
    return jsonify(serialize.task(task))


@bp.post("/tasks/<id:task_id>/take-back")
@login_required
def take_back(task_id: int):
    return jsonify(serialize.task(delegation.take_back_task(current_user, task_id)))


@bp.post("/tasks/<id:task_id>/urge")
@login_required
def urge(task_id: int):
    body = json_body()
    return jsonify(serialize.task(urging.urge_task(current_user, task_id, body.get("message"))))

"""退回 and 撤回 (issue 11): the steps a task may be sent back to, sending it back, withdrawing one's
own completed step. The use cases are services.rewind."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user, login_required

from ..services import rewind
from . import bp, serialize
from .views import json_body


@bp.get("/tasks/<id:task_id>/return-targets")
@login_required
def return_targets(task_id: int):
    return jsonify({"items": [_target(t) for t in rewind.return_targets(current_user, task_id)]})


@bp.post("/tasks/<id:task_id>/return")
@login_required
def return_task(task_id: int):
    body = json_body()
    return jsonify(_rewound(rewind.return_task(current_user, task_id, body.get("to"), body.get("reason"))))


@bp.post("/tasks/<id:task_id>/withdraw")
@login_required
def withdraw(task_id: int):
    body = json_body()
    return jsonify(_rewound(rewind.withdraw_task(current_user, task_id, body.get("reason"))))


def _target(target: rewind.ReturnTarget) -> dict[str, Any]:
    done = target.done
    return {
        "task_spec": target.task_spec,
        "name": done.name,
        "department": serialize.department(done.department),
        "completed_by": serialize.person(done.completed_by),
        "completed_at": serialize.iso(done.completed_at),
        "task_id": done.id,
    }


def _rewound(result: rewind.Rewound) -> dict[str, Any]:
    return {"task": serialize.task(result.task), "reopened": serialize.task(result.reopened)}

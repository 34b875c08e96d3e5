"""The organisation over the API (administrators): departments, people, deactivation (ORG-2, ORG-6)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..models import Department, HumanTask, User
from ..services import handover, organisation, tokens
from ..services.accounts import policy
from . import bp
from .views import json_body


def department_view(row: organisation.DepartmentRow | Department) -> dict[str, Any]:
    if isinstance(row, Department):
        return organisation.department_state(row)
    return {
        **organisation.department_state(row.department),
        "people": row.people,
        "tasks": row.tasks,
        "cases": row.cases,
        "deletable": row.deletable,
    }


def person_view(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.name,
        "active": user.active,
        "is_admin": user.is_admin,
        "memberships": [
            {"department": m.department.code, "department_name": m.department.name, "role": m.role}
            for m in user.memberships
        ],
        "oversees": [o.department.code for o in user.oversights],
        "must_change_password": user.must_change_password,
        "password_changed_at": user.password_changed_at.isoformat() if user.password_changed_at else None,
        "locked_until": _iso(organisation.locked_until(user)),
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _task_ref(task: HumanTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "name": task.name,
        "tracking_number": task.instance.tracking_number,
        "department": task.department.code,
    }


@bp.post("/departments")
@login_required
def create_department():
    department = organisation.create_department(current_user, json_body())
    return jsonify(department_view(department)), 201


@bp.put("/departments/<code>")
@login_required
def update_department(code: str):
    return jsonify(department_view(organisation.update_department(current_user, code, json_body())))


@bp.get("/users")
@login_required
def list_users():
    active = {"1": True, "0": False, None: None}.get(request.args.get("active"), ...)
    if active is ...:
        raise ServiceError("invalid_parameter", "active 必须是 0 或 1", 400, field="active")
    found = organisation.people(current_user, request.args.get("department") or None, active)
    return jsonify({"items": [person_view(u) for u in found]})


@bp.post("/users")
@login_required
def create_user():
    user, initial = organisation.create_person(current_user, json_body())
    return jsonify({**person_view(user), "initial_password": initial}), 201


@bp.get("/users/<username>")
@login_required
def get_user(username: str):
    user = organisation.person(current_user, username)
    held = handover.holdings(user)
    return jsonify(
        {
            **person_view(user),
            "holds": {
                "claimed": [_task_ref(t) for t in held.claimed],
                "delegated_to": [_task_ref(t) for t in held.delegated_to],
                "delegated_by": [_task_ref(t) for t in held.delegated_by],
            },
            "tokens": [tokens.token_view(t) for t in tokens.tokens_of(current_user, username)],
            "password_interval_days": policy().max_age_days,
        }
    )


@bp.put("/users/<username>")
@login_required
def update_user(username: str):
    return jsonify(person_view(organisation.update_person(current_user, username, json_body())))


@bp.post("/users/<username>/deactivate")
@login_required
def deactivate_user(username: str):
    body = json_body()
    dry_run = request.args.get("dry_run") == "1" or body.get("dry_run") is True
    done = handover.deactivate(current_user, username, dry_run=dry_run)
    return jsonify({"username": username, "dry_run": dry_run, "summary": done.summary, **done.as_dict()})


@bp.post("/users/<username>/reactivate")
@login_required
def reactivate_user(username: str):
    temporary = handover.reactivate(current_user, username)
    return jsonify({"username": username, "temporary_password": temporary, "must_change_password": True})

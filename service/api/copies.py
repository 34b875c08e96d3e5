"""抄送 and the leader overview in the JSON API (issue 11): the same use cases the pages call."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user, login_required

from ..models import CaseCopy
from ..services import copies, leader, queries
from ..services.inbox import Row, case_title
from . import bp, serialize
from .views import json_body, page_of, unread_paging


@bp.post("/process-instances/<id:instance_id>/copies")
@login_required
def copy_instance(instance_id: int):
    body = json_body()
    made = copies.copy_case(current_user, instance_id, body.get("to"), body.get("note"))
    return jsonify({"items": [copy_of_case(c) for c in made]}), 201


@bp.get("/process-instances/<id:instance_id>/copies")
@login_required
def instance_copies(instance_id: int):
    queries.instance_for_viewer(current_user, instance_id)  # 404 / 403 as the case itself
    return jsonify({"items": [copy_of_case(c) for c in copies.copies_of_case(instance_id)]})


@bp.get("/copies")
@login_required
def my_copies():
    page = copies.copies_for(current_user, *unread_paging())
    return jsonify({**page_of(page, copy_of_case), "unread": copies.unread_count(current_user)})


@bp.get("/leader/overview")
@login_required
def leader_overview():
    view = leader.overview(current_user)
    oversight = [
        {
            "department": serialize.department(group.department),
            "overdue": group.overdue,
            "escalated": group.escalated,
            "total": group.total,
            "items": [leader_row(r) for r in group.rows],
        }
        for group in view.departments
    ]
    waiting = {"items": [leader_row(r) for r in view.waiting], "total": view.waiting_total}
    return jsonify({"waiting": waiting, "oversight": oversight})


def copy_of_case(row: CaseCopy) -> dict[str, Any]:
    instance = row.instance
    return {
        "id": row.id,
        "instance": {
            "id": instance.id,
            "tracking_number": instance.tracking_number,
            "process": instance.definition.name,
            "title": case_title(instance.data or {}),
        },
        "task": {"id": row.task.id, "name": row.task.name} if row.task else None,
        "sender": serialize.person(row.sender),
        "recipient": serialize.person(row.recipient),
        "note": row.note,
        "created_at": serialize.iso(row.created_at),
        "read_at": serialize.iso(row.read_at),
    }


def leader_row(row: Row) -> dict[str, Any]:
    """A task as the leader pages list it: its case's title, the department it comes from, its
    deadline in words."""
    owner = row.task.instance.owning_department
    return {
        "task": serialize.task(row.task),
        "title": row.title,
        "from_department": serialize.department(owner or row.task.department),
        "deadline": row.deadline,
    }

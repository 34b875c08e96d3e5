"""转办 on the task page: send a task to another department with a reason (ESC-3), as
POST /api/v1/tasks/{id}/transfer does; a refusal is shown beside the field it concerns."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import cases
from . import bp
from .task_pages import not_found, refused_operation, visible_detail


@bp.post("/tasks/<id:task_id>/transfer")
@login_required
def task_transfer(task_id: int):
    detail = visible_detail(task_id)
    if detail is None:
        return not_found()
    department, reason = request.form.get("department", ""), request.form.get("reason", "")
    try:
        moved = cases.transfer_task(current_user, task_id, department, reason)
    except ServiceError as err:
        return refused_operation(detail, err, "transfer", {"department": department, "reason": reason})
    flash(f"已将“{moved.name}”转办至{moved.department.name}", "success")
    return redirect(url_for("web.inbox"))

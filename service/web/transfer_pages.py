"""转办 on the task page: send a task to another department with a reason (ESC-3), as
POST /api/v1/tasks/{id}/transfer does; a refusal is shown beside the field it concerns."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import cases, task_detail
from . import bp
from .task_pages import field_errors, not_found, task_page


@bp.post("/tasks/<id:task_id>/transfer")
@login_required
def task_transfer(task_id: int):
    try:
        detail = task_detail.task_detail(current_user, task_id)
    except ServiceError as err:
        if err.status in (403, 404):
            return not_found()
        raise
    department, reason = request.form.get("department", ""), request.form.get("reason", "")
    try:
        moved = cases.transfer_task(current_user, task_id, department, reason)
    except ServiceError as err:
        errors = field_errors(err)
        if not errors:  # no longer open, not one's to do
            flash(err.message, "error")
            return redirect(url_for("web.task", task_id=task_id))
        sent = {"department": department, "reason": reason}
        return task_page(detail, transfer_errors=errors, transfer_values=sent), err.status
    flash(f"已将“{moved.name}”转办至{moved.department.name}", "success")
    return redirect(url_for("web.inbox"))

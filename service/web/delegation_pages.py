"""委派 and 催办 on the task page (issue 11): the forms of templates/task/_op_delegate.html and
task/_urge.html, posting to the use cases the API calls (services.delegation, services.urging).

A refusal is a message on the task's page; the delegate's draft answer with a mistake is drawn
again with the message beside its field, as a completion is.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import delegation, task_detail, urging
from . import bp
from .task_pages import _act, _not_found, _page, _posted_values, submitted


@bp.post("/tasks/<id:task_id>/delegate")
@login_required
def task_delegate(task_id: int):
    to, reason = request.form.get("to"), request.form.get("reason")
    return _act(
        task_id,
        lambda user, task: delegation.delegate_task(user, task, to, reason),
        "已委派“{}”，受委派人办理完毕后会交回给您",
    )


@bp.post("/tasks/<id:task_id>/take-back")
@login_required
def task_take_back(task_id: int):
    return _act(task_id, delegation.take_back_task, "已收回委派，“{}”由您继续办理")


@bp.post("/tasks/<id:task_id>/urge")
@login_required
def task_urge(task_id: int):
    message = request.form.get("message")
    return _act(task_id, lambda user, task: urging.urge_task(user, task, message), "已催办“{}”")


@bp.post("/tasks/<id:task_id>/resolve")
@login_required
def task_resolve(task_id: int):
    try:
        detail = task_detail.task_detail(current_user, task_id)
    except ServiceError as err:
        if err.status in (403, 404):
            return _not_found()
        raise
    posted = request.form
    try:
        task = delegation.resolve_task(current_user, task_id, submitted(detail.form, posted), posted.get("note"))
    except ServiceError as err:
        errors: dict[str, list[str]] = {}
        for error in err.errors:
            errors.setdefault(error.get("field", ""), []).append(error["message"])
        if not errors:  # taken back or finished meanwhile: say so on the task's page
            flash(err.message, "error")
            return redirect(url_for("web.task", task_id=task_id))
        page = _page(detail, _posted_values(detail.form, posted), errors)
        return page, err.status
    flash(f"已将“{task.name}”交回{task.assignee.name if task.assignee else '委派人'}", "success")
    return redirect(url_for("web.inbox"))

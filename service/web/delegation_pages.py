"""委派 and 催办 on the task page (issue 11): the forms of templates/task/_op_delegate.html and
task/_urge.html, posting to the use cases the API calls (services.delegation, services.urging).

A refusal is a message on the task's page; the delegate's draft answer with a mistake is drawn
again with the message beside its field, as a completion is.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user, login_required

from ..services import delegation, urging
from . import bp
from .task_pages import act_on, submit_form


@bp.post("/tasks/<id:task_id>/delegate")
@login_required
def task_delegate(task_id: int):
    to, reason = request.form.get("to"), request.form.get("reason")
    return act_on(
        task_id,
        lambda user, _: delegation.delegate_task(user, task_id, to, reason),
        "已委派“{}”，受委派人办理完毕后会交回给您",
    )


@bp.post("/tasks/<id:task_id>/take-back")
@login_required
def task_take_back(task_id: int):
    return act_on(task_id, delegation.take_back_task, "已收回委派，“{}”由您继续办理")


@bp.post("/tasks/<id:task_id>/urge")
@login_required
def task_urge(task_id: int):
    message = request.form.get("message")
    return act_on(task_id, lambda user, _: urging.urge_task(user, task_id, message), "已催办“{}”")


@bp.post("/tasks/<id:task_id>/resolve")
@login_required
def task_resolve(task_id: int):
    return submit_form(
        task_id,
        lambda answer, posted: delegation.resolve_task(current_user, task_id, answer, posted.get("note")),
        lambda task: f"已将“{task.name}”交回{task.assignee.name if task.assignee else '委派人'}",
    )

"""退回 and 撤回 on the task page (issue 11): the forms of task/_op_rewind.html post here and go
through the same use cases as the API (services.rewind), which decide who may and say why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import rewind
from . import bp
from .task_pages import not_found, refused_operation, visible_detail


@bp.post("/tasks/<id:task_id>/return")
@login_required
def task_return(task_id: int):
    to, reason = request.form.get("to") or None, request.form.get("reason")
    return _rewind(task_id, lambda: rewind.return_task(current_user, task_id, to, reason), _returned)


@bp.post("/tasks/<id:task_id>/withdraw")
@login_required
def task_withdraw(task_id: int):
    reason = request.form.get("reason")
    return _rewind(task_id, lambda: rewind.withdraw_task(current_user, task_id, reason), _withdrawn)


def _returned(done: rewind.Rewound):
    who = done.reopened.assignee.name if done.reopened.assignee else done.reopened.department.name
    flash(f"已退回到“{done.reopened.name}”，由{who}重新办理", "success")
    return redirect(url_for("web.inbox"))


def _withdrawn(done: rewind.Rewound):
    flash(f"已撤回“{done.task.name}”，请重新办理", "success")
    return redirect(url_for("web.task", task_id=done.reopened.id))


def _rewind(task_id: int, act: Callable[[], rewind.Rewound], then: Callable[[rewind.Rewound], Any]):
    """Run the use case for a task this person may see (else the page says 不存在), then say what it did."""
    detail = visible_detail(task_id)
    if detail is None:
        return not_found()
    try:
        done = act()
    except ServiceError as err:
        return refused_operation(detail, err, "rewind", request.form)
    return then(done)

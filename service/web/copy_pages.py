"""抄送 on the pages (issue 11): the task page's form to copy a case, the list of its copies on the
task and case pages, and the inbox tab 抄送我的. It calls the use cases the API calls (copies.*)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import copies
from ..services.inbox import case_title
from ..services.queries import task_for_viewer
from . import bp, page_arg

PER_PAGE = 20


@bp.post("/tasks/<id:task_id>/copy")
@login_required
def task_copy(task_id: int):
    try:
        task, _ = task_for_viewer(current_user, task_id)
    except ServiceError as err:
        if err.status in (403, 404):
            return render_template("not_found.html", what="任务"), 404
        raise
    to = [name for name in request.form.getlist("to") if name]
    try:
        made = copies.copy_case(current_user, task.instance_id, to, request.form.get("note"), task.id)
    except ServiceError as err:
        flash(err.message, "error")
    else:
        flash("已抄送给" + "、".join(c.recipient.name for c in made), "success")
    return redirect(url_for("web.task", task_id=task_id))


def task_context(instance_id: int) -> dict[str, Any]:
    """What the task page's 抄送 partials need: whom one may copy to (None: the form is not
    offered) and the case's copies so far."""
    may = copies.may_copy(current_user, instance_id)
    return {
        "copy_people": copies.people_to_copy(current_user) if may else None,
        "copies": copies.copies_of_case(instance_id),
    }


def case_context(instance_id: int) -> dict[str, Any]:
    """The case page's 抄送 list; read after one's own copies were marked read on opening it."""
    found = copies.copies_of_case(instance_id)
    return {"copies": found, "copied_to_me": [c for c in found if c.recipient_id == current_user.id]}


def inbox_tab(context: dict[str, Any]):
    """The inbox's 抄送我的 tab: the copies sent to me, the newest first, unread ones marked."""
    unread_only = request.args.get("unread") == "1"
    page = copies.copies_for(current_user, unread_only, page_arg(), PER_PAGE)
    return render_template(
        "inbox.html",
        **context,
        page=page,
        copy_rows=[(c, case_title(c.instance.data or {})) for c in page.items],
        unread_only=unread_only,
        pages=max(1, -(-page.total // PER_PAGE)),
        link_args={"tab": "copies", **({"unread": "1"} if unread_only else {})},
    )

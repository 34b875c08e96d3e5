"""One's notifications: the list, newest first, and marking them read."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import notifications, queries
from . import bp, page_arg

PER_PAGE = 20


@bp.get("/notifications")
@login_required
def notification_list():
    page = queries.notifications_for(current_user, False, page_arg(), PER_PAGE)
    pages = max(1, -(-page.total // PER_PAGE))
    return render_template(
        "notifications.html",
        page=page,
        pages=pages,
        tracking_numbers=notifications.tracking_numbers(page.items),
        task_pages="web.task" in current_app.view_functions,  # the task page is linked once it exists
    )


@bp.post("/notifications/<id:notification_id>/read")
@login_required
def notification_read(notification_id: int):
    try:
        notifications.mark_read(current_user, notification_id)
    except ServiceError as err:
        if err.status == 404:
            return render_template("not_found.html", what="通知"), 404
        raise
    return redirect(_back())


@bp.post("/notifications/read-all")
@login_required
def notifications_read_all():
    notifications.mark_all_read(current_user)
    return redirect(_back())


def _back() -> str:
    """Back to the page of the list the button was on."""
    page = request.form.get("page", "")
    if page.isascii() and page.isdigit() and int(page) > 1:
        return url_for("web.notification_list", page=int(page))
    return url_for("web.notification_list")

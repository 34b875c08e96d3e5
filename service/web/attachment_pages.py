"""附件 on the task and case pages: the list with uploader and time, the upload form at a task this
person may act on, removal of one's own while the step is open, and the download (issue 11).

The same use cases as the API (services/attachments.py) decide everything; a page only offers what
they would allow, and a file, task or case this person may not see is the not-found page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import ServiceError
from ..services import attachments
from ..services.attachment_rules import size_words
from ..services.case_view import moment
from . import bp, too_large_page

UPLOAD_ENDPOINT = "web.attachment_upload"
ENVELOPE = 64 * 1024  # the multipart body around the file, and the CSRF token


@bp.before_app_request
def _upload_limit():
    """The upload form alone may send a body as large as an attachment. Set before the CSRF check,
    which is the first to read the body (app hooks run in the order they were registered)."""
    if request.endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = attachments.rules().max_bytes + ENVELOPE


@bp.post("/tasks/<id:task_id>/attachments")
@login_required
def attachment_upload(task_id: int):
    upload = request.files.get("file")
    chosen = upload if upload and upload.filename else None  # a form sent with no file chosen
    return _back_to_task(
        task_id,
        lambda: attachments.add_attachment(
            current_user, task_id, chosen.filename if chosen else None, chosen.stream if chosen else None
        ),
        "已上传附件“{}”",
        hidden=("task_not_found", "任务"),
    )


@bp.post("/tasks/<id:task_id>/attachments/<id:attachment_id>/remove")
@login_required
def attachment_remove(task_id: int, attachment_id: int):
    return _back_to_task(
        task_id,
        lambda: attachments.remove_attachment(current_user, attachment_id),
        "已删除附件“{}”",
        hidden=("attachment_not_found", "附件"),
    )


def _back_to_task(task_id: int, act: Callable[[], Any], done: str, hidden: tuple[str, str]):
    """Do it and go back to the task's 附件 with what happened; what may not be seen is not found."""
    try:
        row = act()
    except ServiceError as err:
        if err.code == hidden[0]:
            return render_template("not_found.html", what=hidden[1]), 404
        flash(err.message, "error")
    else:
        flash(done.format(row.filename), "success")
    return _to_panel(task_id)


def _to_panel(task_id: int | None):
    return redirect(url_for("web.task", task_id=task_id, _anchor="attachments"), 303)


@bp.get("/attachments/<id:attachment_id>")
@login_required
def attachment_download(attachment_id: int):
    try:
        return attachments.download_response(*attachments.open_attachment(current_user, attachment_id))
    except ServiceError as err:
        if err.status == 404:
            return render_template("not_found.html", what="附件"), 404
        raise


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(err: RequestEntityTooLarge):
    """A file over the limit, refused before it is read: said in Chinese on the task's page."""
    if request.endpoint != UPLOAD_ENDPOINT:
        return too_large_page()
    flash(attachments.too_large().message, "error")
    return _to_panel((request.view_args or {}).get("task_id"))


def task_panel(task) -> dict[str, Any]:
    """What task/_attachments.html shows: the case's files, and the upload form if allowed here."""
    rules = attachments.rules()
    types = "、".join(rules.extensions)
    return {
        "items": case_rows(task.instance_id),
        "may_upload": attachments.may_attach(current_user, task),
        "accept": rules.accept(),
        "limits": f"单个文件不超过 {rules.max_mb} MB，每个案件最多 {rules.per_case} 个；可上传：{types}",
    }


def case_rows(instance_id: int) -> list[dict[str, Any]]:
    """The case's files as the pages list them (the caller has checked the case may be seen)."""
    return [_row(a) for a in attachments.case_attachments(current_user, instance_id)]


def _row(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "task_id": row.task_id,
        "filename": row.filename,
        "size": size_words(row.size),
        "step": row.task.name if row.task else "",
        "uploader": row.uploaded_by.name,
        "at": moment(row.created_at),
        "may_remove": attachments.may_remove(current_user, row),
    }

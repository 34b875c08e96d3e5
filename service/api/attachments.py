"""Attachments (附件) over the API: upload at a task (multipart/form-data, field `file`), list a
case's, download one, remove one (issue 11). The rules are in services/attachments.py."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import ServiceError
from ..models import Attachment
from ..services import attachments
from . import bp, serialize
from .errors import http_error, problem
from .views import FILE_UPLOADS

# What a multipart body may carry besides the file itself: its boundaries, headers and name.
ENVELOPE = 64 * 1024
UPLOAD_ENDPOINT = "api.upload_attachment"
FILE_UPLOADS.add(UPLOAD_ENDPOINT)


@bp.post("/tasks/<id:task_id>/attachments")
@login_required
def upload_attachment(task_id: int):
    request.max_content_length = attachments.rules().max_bytes + ENVELOPE
    if request.mimetype != "multipart/form-data":
        raise ServiceError("unsupported_media_type", "请以 multipart/form-data 上传附件（字段 file）", 415)
    upload = request.files.get("file")
    row = attachments.add_attachment(
        current_user, task_id, upload.filename if upload else None, upload.stream if upload else None
    )
    return jsonify(attachment(row)), 201


@bp.get("/process-instances/<id:instance_id>/attachments")
@login_required
def list_attachments(instance_id: int):
    return jsonify(
        {"items": [attachment(row) for row in attachments.case_attachments(current_user, instance_id)]}
    )


@bp.get("/attachments/<id:attachment_id>/content")
@login_required
def attachment_content(attachment_id: int):
    return attachments.download_response(*attachments.open_attachment(current_user, attachment_id))


@bp.delete("/attachments/<id:attachment_id>")
@login_required
def remove_attachment(attachment_id: int):
    attachments.remove_attachment(current_user, attachment_id)
    return "", 204


@bp.errorhandler(RequestEntityTooLarge)
def too_large(err: RequestEntityTooLarge):
    """An upload over the limit is refused naming the field and the limit; any other body, as before."""
    if request.endpoint == UPLOAD_ENDPOINT:
        refusal = attachments.too_large()
        return problem(refusal.status, refusal.code, refusal.message, field=refusal.field)
    return http_error(err)


def attachment(row: Attachment) -> dict[str, Any]:
    return {
        "id": row.id,
        "instance_id": row.instance_id,
        "task": {"id": row.task.id, "name": row.task.name} if row.task else None,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "uploaded_by": serialize.person(row.uploaded_by),
        "created_at": serialize.iso(row.created_at),
        "removable": attachments.may_remove(current_user, row),
        "content_url": f"{bp.url_prefix}/attachments/{row.id}/content",
    }

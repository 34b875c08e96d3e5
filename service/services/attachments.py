"""附件: files people attach to a case at one of its steps (issue 11; PUB-1 counts attachments as part
of an item). Each public function that changes something is one transaction; the bytes live in the
file store (storage.py), the row names them.

Who: whoever may complete an open task now (its department and role, four eyes, not claimed by
someone else) may attach a file at it; whoever may see the case may list and download its files;
for anyone else the case, the task and the file do not exist (404). The uploader (or an
administrator) may remove a file while the step it was added at is still open; the row stays,
marked removed, and the history keeps both lines (ORG-4).

The row and its file: an upload stores the bytes under a fresh key first and then commits the row
that names them, so a committed row never names missing bytes. A refused upload deletes its bytes at
once. Bytes whose commit failed for another reason, or whose process died between the store and the
commit, are named by no row: `sweep_stray_files` (`flask files-sweep`) deletes every stored key
that no live row names once it is STRAY_AGE old, old enough that no upload can still be between its
store and its commit. A removal commits first and deletes the bytes after; if that fails, the same
sweep deletes them.
"""

from __future__ import annotations

import logging
from typing import IO

from flask import Response, current_app, request
from sqlalchemy import func, select
from werkzeug.wsgi import wrap_file

from ..errors import ServiceError, conflict, forbidden, invalid, not_found
from ..extensions import db
from ..models import Attachment, HumanTask, ProcessInstance, User
from ..models.events import EventKind
from .attachment_rules import AttachmentRules, clean_name, content_disposition
from .cases import claimed_by_other, lock_case_of, task_to_act_on
from .engine import now
from .org import can_see_task
from .queries import case_for_viewer
from .storage import StoredFile, file_store, new_key
from .unit import event, in_transaction
from .writes import versioned_update

log = logging.getLogger("govflow.attachments")
STRAY_AGE = 3600.0  # seconds


def rules() -> AttachmentRules:
    """The limits of the running app (GOVFLOW_ATTACHMENT_* settings)."""
    return current_app.extensions["govflow_attachment_rules"]


def add_attachment(user: User, task_id: int, filename: str | None, source: IO[bytes] | None) -> Attachment:
    """Attach a file at an open task; its name cleaned, its type decided by its extension, its size
    and the number of files per case limited."""
    _attachable(user, task_id)  # who may not attach never writes to the disk
    name, media_type = _checked_file(filename, source)
    assert source is not None
    # End the read: the put below holds no transaction open, and the transaction that follows
    # reads the task again after taking the case's lock, not this copy.
    db.session.rollback()
    key = new_key()
    stored = file_store().put(key, source)
    try:
        return in_transaction(lambda: _add(user, task_id, name, media_type, key, stored))
    except ServiceError:
        _discard(key)  # refused before anything was written: the bytes are nobody's
        raise


def may_attach(user: User, task: HumanTask) -> bool:
    """Would add_attachment at this task be allowed to this person now (the file aside)?"""
    try:
        _attachable(user, task.id)
    except ServiceError:
        return False
    return True


def case_attachments(user: User, instance_id: int) -> list[Attachment]:
    """The case's attachments, oldest first, if this person may see the case (removed ones not)."""
    _visible_case(user, instance_id)
    query = (
        select(Attachment)
        .where(Attachment.instance_id == instance_id, Attachment.removed_at.is_(None))
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(query))


def open_attachment(user: User, attachment_id: int) -> tuple[Attachment, IO[bytes]]:
    """An attachment and its bytes to read, if this person may see its case."""
    row = _live_attachment(user, attachment_id)
    try:
        return row, file_store().open(row.storage_key)
    except FileNotFoundError:
        log.error("attachment %s: no stored bytes under key %s", row.id, row.storage_key)
        raise ServiceError("attachment_file_missing", "附件文件缺失，请联系系统管理员", 404) from None


def download_response(row: Attachment, stream: IO[bytes]) -> Response:
    """The bytes as a download, never shown in the browser: `attachment`, the type we decided,
    no sniffing, and a sandbox in case a browser renders it anyway."""
    response = Response(
        wrap_file(request.environ, stream), content_type=row.content_type, direct_passthrough=True
    )
    response.content_length = row.size
    response.headers["Content-Disposition"] = content_disposition(row.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def remove_attachment(user: User, attachment_id: int) -> Attachment:
    """Remove one's own attachment while its step is open: the row stays, marked removed."""
    row = in_transaction(lambda: _remove(user, attachment_id))
    _discard(row.storage_key)
    return row


def may_remove(user: User, row: Attachment) -> bool:
    """Would remove_attachment of this attachment be allowed to this person now?"""
    return _removal_refused(user, row) is None


def sweep_stray_files(min_age: float = STRAY_AGE) -> int:
    """Delete stored bytes no live attachment names, and unfinished writes, older than `min_age`
    seconds; returns how many were deleted."""
    store = file_store()
    removed = store.sweep_partial(min_age)
    stray = list(store.keys(min_age))
    live = set(db.session.scalars(select(Attachment.storage_key).where(Attachment.removed_at.is_(None))))
    db.session.rollback()
    for key in stray:
        if key not in live:
            store.delete(key)
            removed += 1
    return removed


def _add(user: User, task_id: int, name: str, media_type: str, key: str, stored: StoredFile) -> Attachment:
    lock_case_of(task_id)
    task = _attachable(user, task_id)
    row = Attachment(
        instance_id=task.instance_id,
        task_id=task.id,
        uploaded_by_id=user.id,
        filename=name,
        content_type=media_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=key,
        created_at=now(),
    )
    db.session.add(row)
    db.session.flush()
    details = {"task": task.name, "filename": name, "attachment": row.id, "size": stored.size}
    event(task.instance_id, user, EventKind.ATTACHMENT_ADDED, task, {**details, "sha256": stored.sha256})
    return row


def _attachable(user: User, task_id: int) -> HumanTask:
    """The task, if this person may attach a file at it now; else the refusal (404 to whoever may
    not see it, 403 to whoever may not act on it, 409 when it is not open, claimed or the case full)."""
    task = db.session.get(HumanTask, task_id)
    if task is None or not can_see_task(user, task):
        raise not_found("任务", "task_not_found")
    task = task_to_act_on(user, task_id)
    if task.assignee_id not in (None, user.id) and not user.is_admin:
        raise claimed_by_other(task)
    limit = rules().per_case
    if _live_count(task.instance_id) >= limit:
        raise conflict(f"每个案件最多上传{limit}个附件，请先删除不需要的附件", "too_many_attachments")
    return task


def _live_count(instance_id: int) -> int:
    query = select(func.count(Attachment.id)).where(
        Attachment.instance_id == instance_id, Attachment.removed_at.is_(None)
    )
    return db.session.scalar(query) or 0


def _checked_file(filename: str | None, source: IO[bytes] | None) -> tuple[str, str]:
    """The cleaned name and media type of an upload, or the refusal naming the field `file`."""
    if source is None:
        raise _bad_file("required", "请选择要上传的文件")
    name = clean_name(filename)
    media_type = rules().media_type(name)
    if media_type is None:
        allowed = "、".join(rules().extensions)
        raise _bad_file("file_type_not_allowed", f"不能上传“{name}”：只能上传以下类型的文件：{allowed}")
    source.seek(0, 2)
    size = source.tell()
    source.seek(0)
    if size == 0:
        raise _bad_file("file_empty", f"“{name}”是空文件")
    if size > rules().max_bytes:
        raise too_large()
    return name, media_type


def too_large() -> ServiceError:
    """The refusal of a file over the size limit (413, naming the field `file`)."""
    return ServiceError("file_too_large", f"附件不能超过 {rules().max_mb} MB", 413, field="file")


def _bad_file(code: str, message: str) -> ServiceError:
    return invalid(message, [{"field": "file", "code": code, "message": message}])


def _visible_case(user: User, instance_id: int) -> ProcessInstance:
    try:
        return case_for_viewer(user, instance_id)
    except ServiceError as err:
        if err.status == 403:  # one may not learn that a case one may not see exists
            raise not_found("案件", "instance_not_found") from None
        raise


def _live_attachment(user: User, attachment_id: int) -> Attachment:
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.removed_at is not None:
        raise not_found("附件", "attachment_not_found")
    try:
        _visible_case(user, row.instance_id)
    except ServiceError as err:
        raise not_found("附件", "attachment_not_found") from err
    return row


def _remove(user: User, attachment_id: int) -> Attachment:
    task_id = db.session.scalar(select(Attachment.task_id).where(Attachment.id == attachment_id))
    if task_id is not None:
        lock_case_of(task_id)  # a step completed meanwhile is seen closed
    row = _live_attachment(user, attachment_id)
    refusal = _removal_refused(user, row)
    if refusal is not None:
        raise refusal
    versioned_update(row, removed_at=now(), removed_by_id=user.id)
    details = {"task": row.task.name if row.task else "", "filename": row.filename, "attachment": row.id}
    event(row.instance_id, user, EventKind.ATTACHMENT_REMOVED, row.task_id, details)
    return row


def _removal_refused(user: User, row: Attachment) -> ServiceError | None:
    if row.removed_at is not None:
        return not_found("附件", "attachment_not_found")
    if row.uploaded_by_id != user.id and not user.is_admin:
        return forbidden("只能删除自己上传的附件", "not_uploader")
    if row.task is None or row.task.status != "open":
        return conflict("附件所在环节已办结，附件随案归档，不能删除", "step_closed")
    return None


def _discard(key: str) -> None:
    """Delete bytes nobody names; a failure only leaves them to the sweep."""
    try:
        file_store().delete(key)
    except OSError:
        log.warning("could not delete stored file %s; files-sweep will", key, exc_info=True)

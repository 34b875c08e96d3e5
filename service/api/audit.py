"""The audit log over the API (ORG-4, issues 12 and 14): administrative entries and case history,
read only, administrators only."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from ..services import audit_log
from . import bp, serialize
from .views import int_arg, page_of


@bp.get("/audit")
@login_required
def read_audit_log():
    wanted = audit_log.filter_of(request.args)
    page = int_arg("page", 1, 1, 100000)
    found = audit_log.read_log(current_user, wanted, page, int_arg("per_page", 20, 1, 100))
    return jsonify(page_of(found, _entry))


def _entry(row: audit_log.LogItem) -> dict[str, Any]:
    return {
        "source": row.source,
        "id": row.id,
        "at": serialize.iso(row.at),
        "actor": serialize.person(row.actor),
        "kind": row.kind,
        "kind_label": audit_log.kind_label(row.kind),
        "target_type": row.target_type,
        "target_id": row.target_id,
        "tracking_number": row.tracking_number,
        "task_id": row.task_id,
        "summary": row.summary,
        "before": row.before,
        "after": row.after,
        "sealed": row.sealed,
        "seq": row.seq,
        "hash": row.hash,
    }

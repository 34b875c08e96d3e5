"""The administrative audit log over the API (ORG-4, issue 12): read only, administrators only."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from ..models import AuditEntry
from ..services import audit
from . import bp, serialize
from .views import int_arg, page_of


@bp.get("/audit")
@login_required
def audit_log():
    wanted = audit.filter_of(request.args)
    page = int_arg("page", 1, 1, 100000)
    found = audit.read_log(current_user, wanted, page, int_arg("per_page", 20, 1, 100))
    return jsonify(page_of(found, _entry))


def _entry(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": serialize.iso(row.at),
        "actor": serialize.person(row.actor),
        "kind": row.kind,
        "kind_label": audit.kind_label(row.kind),
        "target_type": row.target_type,
        "target_id": row.target_id,
        "summary": row.summary,
        "before": row.before,
        "after": row.after,
    }

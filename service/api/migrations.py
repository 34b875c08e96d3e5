"""Moving running cases of a diagram to a newer version, with a dry run (administrators, issue 12)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user, login_required

from ..services import migrations
from . import bp
from .views import json_body


@bp.post("/process-definitions/<key>/migrations")
@login_required
def migrate_definition_cases(key: str):
    body = json_body()
    report = migrations.migrate_cases(
        current_user,
        key,
        from_version=body.get("from_version"),
        to_version=body.get("to_version"),
        cases=body.get("cases"),
        dry_run=body.get("dry_run"),
    )
    return jsonify(report_view(report))


def report_view(report: migrations.Report) -> dict[str, Any]:
    """The per-case outcomes and their counts, as the API answers them."""
    return {
        "dry_run": report.dry_run,
        "items": [
            {
                "case_id": item.case_id,
                "tracking_number": item.tracking_number,
                "from_version": item.from_version,
                "to_version": item.to_version,
                "outcome": item.outcome,
                "reason": item.reason,
                "renamed": item.renamed,
                "tasks": item.tasks,
            }
            for item in report.items
        ],
        "moved": report.moved,
        "refused": report.refused,
    }

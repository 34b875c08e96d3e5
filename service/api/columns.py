"""The register of the website's columns (COL-1..4) and the inspection risk report (NAT-7)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from workflows.columns import RiskLine
from workflows.periods import Period

from ..services import column_risk, columns
from ..services.columns import STATE_LABELS, STATUS_LABELS, ColumnView
from . import bp, serialize
from .views import json_body


@bp.get("/columns")
@login_required
def list_columns():
    status = request.args.get("status")
    return jsonify({"items": [column_json(item) for item in columns.register(status)]})


@bp.post("/columns")
@login_required
def add_column():
    row = columns.add_column(current_user, json_body())
    return jsonify(column_json(columns.view(row))), 201


@bp.get("/columns/<id:column_id>")
@login_required
def get_column(column_id: int):
    return jsonify(column_json(columns.view(columns.column(column_id))))


@bp.put("/columns/<id:column_id>")
@login_required
def update_column(column_id: int):
    row = columns.update_column(current_user, column_id, json_body())
    return jsonify(column_json(columns.view(row)))


@bp.get("/columns/risk")
@login_required
def column_risk_report():
    found = column_risk.report(current_user)
    return jsonify(
        {
            "day": found.day.isoformat(),
            "failed": found.failed,
            "lines": [_line(line) for line in found.lines],
            "columns": [column_json(item) for item in found.register],
        }
    )


def _period(period: Period) -> dict[str, Any]:
    return {"amount": period.amount, "unit": period.unit.value, "label": period.label}


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def column_json(item: ColumnView) -> dict[str, Any]:
    row = item.column
    return {
        "id": row.id,
        "name": row.name,
        "path": row.path,
        "level": row.level,
        "kind": row.kind,
        "kind_label": item.kind_label,
        "department": serialize.department(row.department),
        "interval": _period(item.interval),
        "default_interval": _period(item.default_interval),
        "interval_days": row.interval_days,
        "content_plan": row.content_plan,
        "last_update": _day(row.last_update),
        "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "opened_on": row.opened_on.isoformat(),
        "closed_on": _day(row.closed_on),
        "state": item.state.state,
        "state_label": STATE_LABELS[item.state.state],
        "stale_since": _day(item.state.stale_since),
        "due_on": item.state.due_on.isoformat(),
        "updated_at": serialize.iso(row.updated_at),
        "updated_by": serialize.person(row.updated_by),
        "version": row.version,
    }


def _line(line: RiskLine) -> dict[str, Any]:
    return {
        "key": line.key,
        "label": line.label,
        "fail_at": line.fail_at,
        "count": line.count,
        "failed": line.failed,
        "names": list(line.names),
    }

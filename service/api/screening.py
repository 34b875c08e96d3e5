"""The 错敏 word list (administrators change it, staff read it) and the screening check (PUB-9)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user, login_required

from workflows.screening import Severity

from ..models import ScreeningTerm
from ..services import screening
from . import bp, serialize
from .views import int_arg, json_body, page_of


@bp.get("/screening/terms")
@login_required
def list_screening_terms():
    page = screening.list_terms(
        request.args.get("q", ""), int_arg("page", 1, 1, 100000), int_arg("per_page", 20, 1, 100)
    )
    return jsonify(page_of(page, _term))


@bp.post("/screening/terms")
@login_required
def add_screening_term():
    return jsonify(_term(screening.add_term(current_user, json_body()))), 201


@bp.put("/screening/terms/<id:term_id>")
@login_required
def update_screening_term(term_id: int):
    return jsonify(_term(screening.update_term(current_user, term_id, json_body())))


@bp.delete("/screening/terms/<id:term_id>")
@login_required
def delete_screening_term(term_id: int):
    screening.delete_term(current_user, term_id)
    return "", 204


@bp.post("/screening/check")
@login_required
def check_screening():
    return jsonify(screening.check(json_body().get("fields")))


def _term(row: ScreeningTerm) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "category": row.category,
        "severity": row.severity,
        "severity_label": Severity(row.severity).label,
        "suggestion": row.suggestion,
        "note": row.note,
        "created_at": serialize.iso(row.created_at),
        "updated_at": serialize.iso(row.updated_at),
        "updated_by": serialize.person(row.updated_by),
        "version": row.version,
    }

"""审批意见 routes: a case's opinions in the order they were given (issue 11)."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from ..services import opinions
from . import bp, serialize


@bp.get("/process-instances/<id:instance_id>/opinions")
@login_required
def list_opinions(instance_id: int):
    said = opinions.case_opinions(current_user, instance_id)
    return jsonify({"items": [serialize.opinion(o) for o in said]})

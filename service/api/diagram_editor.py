"""What the diagram editor offers in its dropdowns that no other endpoint lists: the service-task
operations of the handler registry (issue 12). Administrators only; the server checks every value
again on 检查 and deploy."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from workflows.handlers import HANDLERS

from ..errors import forbidden
from . import bp


@bp.get("/service-operations")
@login_required
def service_operations():
    if not current_user.is_admin:
        raise forbidden("只有系统管理员可以编辑流程图")
    items = [
        {"name": h.name, "label": h.label, "parameters": sorted(h.parameters)}
        for h in sorted(HANDLERS.values(), key=lambda h: h.name)
    ]
    return jsonify({"items": items})

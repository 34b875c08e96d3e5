"""管理 → 定期工作 (REC-1..6, NAT-4): the active profile's recurring duties and the occurrence each
opens next, read-only, so the office sees what the service will open and when."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from ..services import clocks
from ..services.duties import duty_rows
from ..services.engine import engine
from . import bp
from .admin_pages import admins_only


@bp.get("/admin/duties")
@login_required
def admin_duties():
    admins_only()
    return render_template(
        "admin/duties.html", profile=engine().profile, rows=duty_rows(), today=clocks.today()
    )

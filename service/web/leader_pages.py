"""领导督办 (issue 11): a leader's page — what waits for their signature, and what is overdue or
escalated in the departments they oversee, by department; each row one click from its task.

The facts are GET /api/v1/leader/overview's (services/leader.overview); anyone who is no leader
gets the refusal page (403).
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ..services import leader as leader_view
from . import bp


@bp.get("/leader")
@login_required
def leader():
    return render_template("leader.html", view=leader_view.overview(current_user))

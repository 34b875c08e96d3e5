"""GET /health (issue 15): for a load balancer, 200 while the service can serve (status "ok" or
"degraded") and 503 when it cannot (the database is unreachable); for the operator, what waits.

Anyone may read the status and each check's word ("ok", "down", "late"…): they say nothing an
attacker could use. The details (the sweep's last run, the oldest due work, queued jobs, workers)
and the sentences saying what waits are for a request from this machine (127.0.0.1 / ::1, where a
monitoring agent or an operator with ssh asks) or from a signed-in administrator. No secret (URL,
password, host name) is ever shown.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from .services import health

bp = Blueprint("health", __name__)
LOOPBACK = frozenset({"127.0.0.1", "::1"})


@bp.get("/health")
def report():
    found = health.check()
    body: dict = {"status": found.status, "checks": found.checks}
    if _may_see_details(found):
        body["details"] = found.details
        body["waiting"] = found.waiting
    response = jsonify(body)
    response.status_code = 503 if found.status == "down" else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _may_see_details(found: health.Health) -> bool:
    if request.remote_addr in LOOPBACK:
        return True
    # Who is signed in is read from the database: not asked when it is down.
    return found.checks.get("database") == "ok" and bool(
        current_user.is_authenticated and current_user.is_admin
    )

"""The status page (issue 13, REQ-5, NAT-2): a citizen looks their case up with its tracking number
and query code, reads what public_status lets them read, and sends a 补正 when one is asked.

The code travels only in a POST body, never in a URL. Every look-up counts against the status limit;
a wrong pair also counts against the wrong-code limit and is logged (address and number typed, never
the code), and says only that the pair is wrong. A right pair keeps the case's access id in the
session for a short while, so the correction form does not carry the code again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address

from ...errors import ServiceError
from ...services import public_access, public_status
from ...services.engine import now
from . import bp
from .guard import configured, limiter, log

SESSION_KEY = "public_case"
SENT_KEY = "public_correction_sent"
HELD_FOR = timedelta(minutes=30)
WRONG_PAIR = "受理编号或查询码不正确"


@bp.get("/track")
def track_form():
    return render_template("public/track.html", number="", errors={})


@bp.post("/track")
@limiter.limit(configured("GOVFLOW_PUBLIC_STATUS_LIMIT"))
@limiter.limit(
    configured("GOVFLOW_PUBLIC_WRONG_CODE_LIMIT"), deduct_when=lambda response: bool(g.get("wrong_pair"))
)
def track():
    number = request.form.get("tracking_number", "").strip()[:40]
    code = request.form.get("query_code", "")
    errors = {}
    if not number:
        errors["tracking_number"] = "请填写受理编号"
    if not code.strip():
        errors["query_code"] = "请填写查询码"
    if errors:
        return render_template("public/track.html", number=number, errors=errors), 422
    access = public_access.find(number, code)
    if access is None:
        g.wrong_pair = True
        log.warning("wrong tracking number or query code from %s for %r", get_remote_address(), number)
        return render_template("public/track.html", number=number, errors={}, wrong=WRONG_PAIR), 404
    session[SESSION_KEY] = {"id": access.id, "until": (now() + HELD_FOR).isoformat()}
    return _status_page(access)


@bp.post("/track/correction")
@limiter.limit(configured("GOVFLOW_PUBLIC_FORM_LIMIT"))
def correct():
    access = _held_access()
    if access is None:
        return render_template("public/track.html", number="", errors={}, expired=True), 403
    text = request.form.get("correction", "")
    try:
        public_status.send_correction(access.id, text)
    except ServiceError as err:
        field = next((e.get("message") for e in err.errors or [] if e.get("field") == "correction"), None)
        message = None if field else err.message
        return _status_page(access, correction_error=field, message=message, text=text[:6000]), err.status
    # Post/redirect/get: reloading the page that says it was sent does not send it again.
    session[SENT_KEY] = True
    return redirect(url_for("public.held_status"), 303)


@bp.get("/track/status")
@limiter.limit(configured("GOVFLOW_PUBLIC_STATUS_LIMIT"))
def held_status():
    """The case a right pair opened in this session (for 30 minutes), without asking for the code."""
    access = _held_access()
    if access is None:
        return redirect(url_for("public.track_form"))
    return _status_page(access, sent=session.pop(SENT_KEY, False))


def _held_access():
    held = session.get(SESSION_KEY)
    try:
        fresh = isinstance(held, dict) and datetime.fromisoformat(str(held["until"])) > now()
    except (KeyError, ValueError):
        fresh = False
    if not fresh:
        session.pop(SESSION_KEY, None)
        return None
    return public_status.access_by_id(int(held["id"]))


def _status_page(access, **extra):
    return render_template("public/status.html", status=public_status.status_of(access), **extra)

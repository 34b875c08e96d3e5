"""公众提交 pages (issue 13): the list of the public's ways in, and each one's form.

A form is the channel's start form drawn as the staff start page draws it (one labelled control per
field), plus the challenge (an image, or a sum in words for whoever cannot see it); its answers go
to the use case public_intake.submit. A refusal is said beside each field and summed up at the top;
a wrong challenge answer stores nothing. The done page shows the tracking number and the query code
once and is never cached.
"""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request
from flask_wtf.csrf import CSRFError

from workflows.public_channels import CHANNELS, Channel

from ...errors import ServiceError
from ...services import public_intake
from ..task_pages import field_errors, field_views, posted_values, submitted
from . import bp, guard
from .guard import configured, limiter

CHALLENGE_FIELD = "challenge"
CHALLENGE_ID = "field-challenge"
WRONG_CHALLENGE = "验证码不正确或已过期，请按新的图片或算题重新填写"


@bp.route("/")
def index():
    return render_template("public/index.html", channels=list(CHANNELS.values()))


@bp.route("/<channel>/new", methods=["GET", "POST"])
@limiter.limit(configured("GOVFLOW_PUBLIC_FORM_LIMIT"), methods=["POST"])
@limiter.limit(configured("GOVFLOW_PUBLIC_PAGE_LIMIT"), methods=["GET"])
def new(channel: str):
    try:
        chosen, _parsed, form = public_intake.form_of(channel)
    except ServiceError as err:
        if err.status != 404:
            raise
        return render_template("public/not_found.html"), 404
    if request.method == "GET":
        return _form_page(chosen, form, {}, {})
    values = posted_values(form, request.form)
    data = submitted(form, request.form)
    if not guard.challenge_passed(request.form.get(CHALLENGE_FIELD, "")):
        errors = {CHALLENGE_FIELD: [WRONG_CHALLENGE]}
        try:  # say what else is wrong too, so one more round fixes everything
            public_intake.check(chosen.key, data)
        except ServiceError as err:
            errors = field_errors(err) | errors
        return _form_page(chosen, form, values, errors, 422)
    try:
        instance, code = public_intake.submit(chosen.key, data)
    except ServiceError as err:
        return _form_page(chosen, form, values, field_errors(err) or {"": [err.message]}, err.status)
    page = render_template(
        "public/done.html",
        channel=chosen,
        tracking_number=instance.tracking_number,
        code=code,
        told=bool(str(instance.data.get("applicant_contact") or "").strip()),
    )
    return _never_cached(page, 200)


@bp.errorhandler(CSRFError)
def expired(err: CSRFError):
    """A form sent without its page's token (an old tab, cookies blocked): said in the public's words."""
    return render_template("public/expired.html"), 400


def _form_page(chosen: Channel, form, values: dict[str, list[str]], errors: dict[str, list[str]], status=200):
    fields = field_views(form)
    page = render_template(
        "public/new.html",
        channel=chosen,
        fields=fields,
        values=values,
        errors=errors,
        summary=_summary(fields, errors),
        challenge=guard.new_challenge(),
        challenge_field=CHALLENGE_FIELD,
        challenge_id=CHALLENGE_ID,
    )
    return _never_cached(page, status)


def _summary(fields: list[dict[str, Any]], errors: dict[str, list[str]]) -> list[tuple[str | None, str]]:
    """The messages for the top of the form, in the form's order, each with the control it is about."""
    shown = [(v["id"], message) for v in fields for message in errors.get(v["f"].name, [])]
    shown += [(CHALLENGE_ID, message) for message in errors.get(CHALLENGE_FIELD, [])]
    named = {v["f"].name for v in fields} | {CHALLENGE_FIELD}
    others = [messages for name, messages in errors.items() if name not in named]
    shown += [(None, message) for messages in others for message in messages]
    return shown


def _never_cached(page: str, status: int):
    """A page holding a one-time challenge or query code: kept by no browser or proxy cache."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response

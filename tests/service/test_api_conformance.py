"""A bounded schemathesis run over /api/v1/openapi.json, as an administrator and as a staff member.

Generated requests (valid and invalid) hit every operation: none may answer 5xx, and every answer
must be one the description documents — its status, its content type, its headers and the shape
of its body. Half of the generated ids are swapped for ids of real rows, so the answers about
existing cases, tasks, terms and notifications are checked too, not only 404s.
"""

from __future__ import annotations

import os
import random

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from service.api.openapi import openapi_document
from tests.db import restore_starter_terms
from tests.service import flows
from tests.service.flows import act
from tests.service.test_attachments_api import attached
from tests.unit.test_publishing_flow import DRAFT

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
USERS = ("admin", "wang.fang")  # an administrator, and a planning information officer
# Per operation, each example sent as both users; GOVFLOW_CONFORMANCE_EXAMPLES=500 for a deeper run.
EXAMPLES = int(os.environ.get("GOVFLOW_CONFORMANCE_EXAMPLES", "25"))

# The description the API serves (it is built without the app), loaded at collection time; the
# requests go to the test app in-process.
schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture
def real_ids(app, api):
    """A few real rows to aim at: cases in progress with tasks, a notification, the word list."""
    from service.extensions import db
    from service.models import Notification, ScreeningTerm
    from tests.service.test_deadlines import sweep

    case = flows.start_disclosure(api)
    flows.register(api, case["id"])
    case = act(
        api,
        case,
        "draft_reply",
        "wang.fang",
        {"draft_action": "submit", "category": "disclosed", "reply_text": "目录见附件。"},
    )
    other = flows.start_disclosure(api)
    flows.register(api, other["id"])
    # A joint item one co-department has confirmed: a task detail with a countersign round (issue 11).
    joint = flows.start(api, "publishing", "wang.fang", {**DRAFT, "co_departments": ["legal", "planning"]})
    act(
        api,
        joint,
        "co_confirm",
        "chen.jing",
        {"co_decision": "confirm", "co_comment": "同意"},
        department="legal",
    )
    sweep(app, "2026-03-30T02:00:00+00:00")  # reminders: notifications exist
    with app.app_context():
        terms = list(db.session.scalars(select(ScreeningTerm.id).limit(5)))
        notes = list(db.session.scalars(select(Notification.id).limit(5)))
        db.session.rollback()
    views = [flows.view(api, c) for c in (case, other, joint)]
    tasks = [t["id"] for v in views for t in v["open_tasks"] + v["done_tasks"]]
    files = [
        attached(api, v["open_tasks"][0]["id"], "admin", name=f"材料{n}.pdf") for n, v in enumerate(views)
    ]
    return {
        **account_targets(app),
        "instance_id": [v["id"] for v in views],
        "task_id": tasks,
        "term_id": terms,
        "notification_id": notes,
        "attachment_id": [f["id"] for f in files],
        "year": [2026, 2027],
        "key": ["disclosure_request", "survey", "publishing"],
    }


# Aimed only at rows of their own: a generated revoke or reset must not hit the tests' tokens or
# the demo people's passwords.
ALWAYS_REAL = ("token_id", "username")


def account_targets(app) -> dict:
    """A throwaway account and a token of the administrator for the account operations to act on."""
    from service.extensions import db
    from service.models import User
    from service.services import org, tokens

    with app.app_context():
        if db.session.scalar(select(User).where(User.username == "conformance.probe")) is None:
            org.create_user("conformance.probe", "探针", "Probe-pw-2026", admin=True)  # in no lane
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        token, _ = tokens.create_token(admin, "conformance")
        return {"token_id": [token.id], "username": ["conformance.probe"]}


@pytest.fixture
def starter_terms_kept(app):
    """Generated requests may change the word list: the next tests start from the starter list again."""
    yield
    with app.app_context():
        restore_starter_terms()


@pytest.fixture
def organisation_kept(app):
    """Generated requests may add departments and people: they go again (the organisation outlives tests)."""
    yield
    from service.services import demo
    from tests.service.org_fixtures import remove_departments, remove_people

    with app.app_context():
        from service.extensions import db
        from service.models import Department, User

        kept = {p[0] for p in demo.PEOPLE} | {"admin", "conformance.probe"}
        people = [u for u in db.session.scalars(select(User.username)) if u not in kept]
        codes = {d[0] for d in demo.DEPARTMENTS}
        departments = [c for c in db.session.scalars(select(Department.code)) if c not in codes]
        db.session.rollback()
    if people:
        remove_people(app, *people)
    if departments:
        remove_departments(app, *departments)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_answer_is_documented_and_none_is_a_server_error(
    case, app, tokens, real_ids, starter_terms_kept, organisation_kept
):
    """Does every generated request, as an administrator and as an officer, get a documented, non-5xx answer?"""
    case.operation.schema.app = app
    chooser = random.Random(repr((case.path_parameters, case.query, case.body)))
    for name in list(case.path_parameters or {}):
        if name in real_ids and (name in ALWAYS_REAL or chooser.random() < 0.5):
            case.path_parameters[name] = chooser.choice(real_ids[name])
    for user in USERS:
        case.call_and_validate(app=app, headers={"Authorization": f"Bearer {tokens[user]}"}, checks=CHECKS)

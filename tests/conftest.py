"""Shared fixtures: one migrated database per run (PostgreSQL in CI, SQLite otherwise)."""

from __future__ import annotations

import os

import pytest

from tests.db import delete_cases
from workflows.clock import FixedClock

START_OF_TEST = "2026-03-02T01:00:00+00:00"  # a Monday, 09:00 in Beijing


@pytest.fixture(scope="session")
def clock():
    return FixedClock(START_OF_TEST)


@pytest.fixture(scope="session")
def sender():
    """Outgoing e-mail and SMS are the edge of the system: tests keep them instead of sending."""
    from service.mail import RecordingSender

    return RecordingSender()


@pytest.fixture(scope="session")
def database_overrides(tmp_path_factory):
    # Attachments' bytes and backups go to folders of this run, never to instance/.
    overrides = {
        "TESTING": True,
        "GOVFLOW_FILES": str(tmp_path_factory.mktemp("files")),
        "GOVFLOW_BACKUP_DIR": str(tmp_path_factory.mktemp("backups")),  # the sweeper's daily backup
        # Every test asks from 127.0.0.1: the failure limits per address (issue 15) stay out of the
        # way of tests of wrong passwords and tokens; tests/service/test_failure_limits.py sets its own.
        "GOVFLOW_LOGIN_LIMIT": "100000/minute",
        "GOVFLOW_BAD_TOKEN_LIMIT": "100000/minute",
    }
    if not os.environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return overrides


@pytest.fixture(scope="session")
def app(database_overrides, clock, sender):
    from flask_migrate import upgrade

    from service import create_app
    from service.services import demo, deployment

    app = create_app(database_overrides, clock=clock, sender=sender)
    with app.app_context():
        upgrade()
        demo.seed_demo()
        deployment.deploy_directory(app.config["BPMN_DIR"])
    return app


@pytest.fixture(autouse=True)
def _fresh_cases(request, clock):
    """Each test starts with no cases and the clock back at the start; the organisation stays."""
    clock.set(START_OF_TEST)
    if "sender" in request.fixturenames:
        request.getfixturevalue("sender").sent.clear()
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        delete_cases()
    yield
    with app.app_context():
        delete_cases()


@pytest.fixture
def demo_passwords(app):
    """Tests that change a demo password or disable an account give it back afterwards."""
    from tests.service.pages import reset_password

    changed: list[str] = []
    yield changed
    for username in changed:
        reset_password(app, username)


@pytest.fixture(scope="session")
def tokens(app):
    from service.services import demo, tokens

    def make(username: str) -> str:  # for the longest term allowed: tests move the clock by months
        return tokens.create_token_for(username, "tests", days=365)

    with app.app_context():
        return {u[0]: make(u[0]) for u in demo.PEOPLE} | {"admin": make("admin")}


class Api:
    """Calls the JSON API as a given demo user."""

    def __init__(self, client, tokens):
        self.client = client
        self.tokens = tokens

    def fresh(self) -> Api:
        """The same app through a new client (one per thread, as each worker has its own)."""
        return Api(self.client.application.test_client(), self.tokens)

    def call(self, method, path, user=None, json=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return self.client.open(f"/api/v1{path}", method=method, json=json, headers=headers, **kwargs)

    def get(self, path, user=None, **kwargs):
        return self.call("GET", path, user, **kwargs)

    def post(self, path, user=None, json=None, **kwargs):
        return self.call("POST", path, user, json=json, **kwargs)


@pytest.fixture
def api(app, tokens):
    return Api(app.test_client(), tokens)


@pytest.fixture(scope="session")
def api_for_profile(database_overrides, clock, sender, tokens, app):
    """The same database served under another agency profile: api_for_profile("hainan-sasac")."""
    from service import create_app

    made = {}

    def make(profile: str) -> Api:
        if profile not in made:
            served = create_app(
                {**database_overrides, "GOVFLOW_PROFILE": profile}, clock=clock, sender=sender
            )
            made[profile] = Api(served.test_client(), tokens)
        return made[profile]

    return make


# People and departments a test adds or deactivates: the organisation outlives each test, so they go
# again (or come back) afterwards.
@pytest.fixture
def qian(app):
    from tests.service.org_fixtures import remove_people

    yield "qian.yu"
    remove_people(app, "qian.yu")


@pytest.fixture
def wang_fang_back(app):
    from tests.service.org_fixtures import give_back

    yield "wang.fang"
    give_back(app, "wang.fang")


@pytest.fixture
def archive(app):
    from tests.service.org_fixtures import remove_departments

    yield "archive"
    remove_departments(app, "archive")


@pytest.fixture
def postgresql(app):
    """For a test of PostgreSQL itself. Without it (`make test` on SQLite) the test is skipped; when
    DATABASE_URL is set, as `.ci/run` sets it, a database that is not PostgreSQL fails the test."""
    from service.extensions import db

    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        return
    if os.environ.get("DATABASE_URL"):
        pytest.fail(f"DATABASE_URL is set but the database is {dialect}: this test needs PostgreSQL")
    pytest.skip("needs PostgreSQL as the running database (set DATABASE_URL, as .ci/run does)")

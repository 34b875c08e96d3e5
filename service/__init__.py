"""The govflow Flask application: create_app only wires the parts together."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from workflows.clock import Clock, SystemClock
from workflows.engine.calendar_functions import calendar_functions
from workflows.engine.runner import ProcessRunner
from workflows.handlers.approval import ApprovalChain
from workflows.handlers.screening import ContentScreening
from workflows.profiles import ProfileError, load_profile

from . import auth, cli, config, observability
from .extensions import csrf, db, end_reads_with_commit, enforce_sqlite_rules, migrate
from .mail import sender_from_config
from .models import LARGEST_INTEGER
from .services.attachment_rules import AttachmentRules
from .services.calendar import current_calendar
from .services.engine import Engine
from .services.jobs import InlinePublisher, Publisher, Sender
from .services.screening import current_word_list
from .services.storage import FileStore, LocalFileStore

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(
    overrides: dict[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    publisher: Publisher | None = None,
    sender: Sender | None = None,
    files: FileStore | None = None,
) -> Flask:
    """Build the app from the environment, then `overrides`.

    `clock` defaults to the system's; `publisher` (where background jobs go) to Celery when
    REDIS_URL is set, else running them in-process; `sender` (e-mail/SMS) to SMTP when
    MAIL_SMTP_HOST is set, else the console; `files` (where attachments' bytes go) to a folder on
    this server, GOVFLOW_FILES (instance/files). A profile looser than the national rules stops the
    app from starting, with a message naming the value.
    """
    app = Flask(__name__, instance_relative_config=True, static_folder="web/static")
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in JSON

    observability.init_app(app)  # first: every later hook and log line knows the request's id
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", enforce_sqlite_rules)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg"):
        with app.app_context():
            end_reads_with_commit(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    auth.init_app(app)
    profile = _profile(app)
    runner = ProcessRunner(
        functions=calendar_functions(current_calendar, lambda name: profile.deadline(name).terms),
        services={
            ContentScreening.name: ContentScreening(current_word_list),
            ApprovalChain.name: ApprovalChain(lambda: profile, _department_code),
        },
    )
    app.extensions["govflow"] = Engine(clock=clock or SystemClock(), profile=profile, runner=runner)
    app.extensions["govflow_started"] = app.extensions["govflow"].clock.now()  # /health: a sweep to come
    app.extensions["govflow_sender"] = sender or sender_from_config(app.config)
    app.extensions["govflow_publisher"] = publisher or _default_publisher(app)
    app.extensions["govflow_files"] = files or LocalFileStore(app.config["GOVFLOW_FILES"])
    app.extensions["govflow_attachment_rules"] = AttachmentRules.from_config(app.config)

    app.url_map.converters["id"] = RowId
    from . import hardening
    from . import health as health_page
    from .api import bp as api_bp
    from .api.errors import http_error
    from .web import bp as web_bp
    from .web.public import bp as public_bp
    from .web.public import guard

    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(health_page.bp)
    guard.init_app(app)
    csrf.init_app(app)  # every page form carries a token
    # The API needs none: a bearer token is never sent by a browser on its own, and a request on a
    # session must have a JSON body (api.views.refuse_cross_site_posts), which no other site's form
    # can send and which a cross-site script may only send after a CORS preflight we never grant.
    csrf.exempt(api_bp)
    hardening.init_app(app)
    cli.init_app(app)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        return http_error(err) if request.path.startswith("/api/") else err

    return app


class RowId(IntegerConverter):
    """A row id in a URL. One beyond the database's integer range names no row: it is looked up as
    0, which no row has, and gets the endpoint's own 404 instead of a database error (a converter
    that refused it would make Werkzeug answer 405)."""

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= LARGEST_INTEGER else 0


def _profile(app: Flask):
    try:
        return load_profile(app.config["GOVFLOW_PROFILE"])
    except ProfileError as err:
        raise RuntimeError(f"GOVFLOW_PROFILE: {err}") from err


def _default_publisher(app: Flask) -> Publisher:
    if app.config.get("REDIS_URL"):
        from .celery_app import CeleryPublisher, init_celery

        init_celery(app)
        return CeleryPublisher()
    return InlinePublisher()


def _department_code(text: str) -> str | None:
    """A department's code from its code or name, as the organisation in the database has it."""
    from .services.org import org_view

    return org_view().department_code(text)

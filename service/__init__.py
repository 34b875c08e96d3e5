"""The govflow Flask application: create_app only wires the parts together."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

from workflows.clock import Clock, SystemClock

from . import auth, cli, config
from .extensions import db, enforce_sqlite_rules, migrate
from .services.engine import Engine

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(overrides: dict[str, Any] | None = None, *, clock: Clock | None = None) -> Flask:
    """Build the app from the environment, then `overrides`; `clock` defaults to the system's."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in JSON

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", enforce_sqlite_rules)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    auth.init_app(app)
    app.extensions["govflow"] = Engine(clock=clock or SystemClock())

    from .api import bp as api_bp
    from .api.errors import http_error
    from .web import bp as web_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    cli.init_app(app)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        return http_error(err) if request.path.startswith("/api/") else err

    return app

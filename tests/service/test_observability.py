"""What the operator reads (issue 15): a request id on every answer and in the logs, JSON log lines,
and clean refusals while the database cannot be reached."""

from __future__ import annotations

import io
import json
import logging

import pytest

from service import observability

CLOSED_PORT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/govflow_e_nowhere?connect_timeout=2"


def test_does_every_answer_carry_a_request_id_and_keep_a_callers_plain_one(app):
    """Is a new id given to each request, a caller's short plain X-Request-ID kept, and anything
    else (too long, odd characters) replaced?"""
    client = app.test_client()
    first, second = client.get("/login"), client.get("/login")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    kept = client.get("/login", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept.headers["X-Request-ID"] == "lb-1234abcd"
    for odd in ("x" * 65, "<script>alert(1)</script>", "a b c d e f g h", "short"):
        assert client.get("/login", headers={"X-Request-ID": odd}).headers["X-Request-ID"] != odd


@pytest.fixture
def json_log():
    """Every log line as JSON into a buffer for the test; the previous handlers back afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    buffer = io.StringIO()
    observability.use_json_logs(buffer)
    yield buffer
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in before:
        root.addHandler(handler)
    root.setLevel(level)


def test_is_each_log_line_one_json_object_with_the_request_and_who_asked(app, api, json_log):
    """With JSON logs, is the line a request ends with one object naming time, level, logger, message,
    request id, method, path, status, duration and the user?"""
    answer = api.get("/tasks", "zhang.wei", headers={"X-Request-ID": "trace-0001"})
    assert answer.status_code == 200
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    (line,) = [entry for entry in lines if entry["logger"] == "govflow.access"]
    assert line["request_id"] == "trace-0001" and line["level"] == "INFO" and line["time"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/tasks", 200)
    assert line["duration_ms"] >= 0 and isinstance(line["user_id"], int)
    assert line["message"] == "GET /api/v1/tasks 200"


def test_does_a_fault_show_the_request_id_the_log_has(app_with_faults, json_log):
    """Does a 500 problem carry `request_id` (the X-Request-ID header's), and the log's JSON line
    with the trace the same id, in one line?"""
    answer = app_with_faults.test_client().get("/api/v1/_explode")
    body = answer.get_json()
    assert answer.status_code == 500 and body["request_id"] == answer.headers["X-Request-ID"]
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    (fault,) = [entry for entry in lines if entry["logger"] == "govflow.errors"]
    assert fault["request_id"] == body["request_id"] and "hunter2" in fault["exception"]
    assert "hunter2" not in answer.get_data(as_text=True)


@pytest.fixture
def app_with_faults(database_overrides, clock):
    from service import create_app

    app = create_app(database_overrides, clock=clock)

    @app.get("/api/v1/_explode")
    def explode():
        raise RuntimeError("secret detail: password=hunter2")

    return app


@pytest.fixture
def unreachable_database(database_overrides, clock):
    """The service with its database refusing connections (a closed port)."""
    from service import create_app

    return create_app({**database_overrides, "SQLALCHEMY_DATABASE_URI": CLOSED_PORT_DATABASE}, clock=clock)


def test_while_the_database_refuses_connections_is_every_answer_a_clean_503(unreachable_database, tokens):
    """With the database unreachable, does the API answer 503 problem+json database_unavailable with
    Retry-After, a page a Chinese 503 page, and /health 503 "down"?"""
    client = unreachable_database.test_client()
    answer = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['zhang.wei']}"})
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["code"] == "database_unavailable" and "数据库" in body["title"]
    assert body["request_id"] == answer.headers["X-Request-ID"] and int(answer.headers["Retry-After"]) > 0
    page = client.get("/public/replies")  # a page that reads the database
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and "服务暂时不可用" in html and page.headers["X-Request-ID"] in html
    assert "Traceback" not in html and "psycopg" not in html and "127.0.0.1" not in html
    health = client.get("/health")
    assert health.status_code == 503 and health.get_json()["status"] == "down"
    assert health.get_json()["checks"]["database"] == "down"


def test_after_postgresql_drops_every_connection_does_the_next_request_succeed(app, postgresql, api):
    """When PostgreSQL ends every connection of the service (as a restart does) between two requests,
    does the next request succeed without restarting the service?"""
    import psycopg

    assert api.get("/tasks", "zhang.wei").status_code == 200
    with app.app_context():
        from service.extensions import db

        pooled = db.engine.pool.checkedin()
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    assert pooled >= 1  # the first request left a connection in the pool for the next
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert ended and ended[0] >= 1
    assert api.get("/tasks", "zhang.wei").status_code == 200
    assert api.get("/tasks", "wang.fang").status_code == 200

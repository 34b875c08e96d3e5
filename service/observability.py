"""What the operator reads (issue 15): a request id on every request and, when asked for, one JSON
object per log line.

Every request gets an id: the caller's X-Request-ID when it is short and plain (a proxy or load
balancer that already numbers requests keeps its number), else a new one. It goes back in the
X-Request-ID response header, into every log line written while the request runs, and into the
answer to an unexpected error, so a person quoting it leads the operator to the lines.

GOVFLOW_LOG_FORMAT=json makes every log line a JSON object (time, level, logger, message,
request_id, and for the one line each request ends with: method, path, status, duration_ms,
user_id); the default, text, keeps the lines `make run` prints readable.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import inspect

from .models import User

HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
ACCESS = logging.getLogger("govflow.access")
# The members a request's closing line carries besides the message.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    if app.config.get("GOVFLOW_LOG_FORMAT") == "json":
        use_json_logs()


def request_id() -> str | None:
    """The id of the request being answered (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        g.request_id = _incoming_id() or secrets.token_hex(8)
    return g.request_id


def _incoming_id() -> str | None:
    given = request.headers.get(HEADER, "")
    return given if ACCEPTED_ID.match(given) else None


def _start() -> None:
    g.request_started = time.monotonic()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id() or ""
    started = g.get("request_started")
    elapsed = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    ACCESS.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": elapsed,
            "user_id": _user_id(),
        },
    )
    return response


def _user_id() -> int | None:
    """Who asked, when already known: never loads a user (nor touches the database) to find out."""
    user = g.get("_login_user")
    if user is None or not isinstance(user, User):
        return None
    # The identity the session knows, not the attribute: after a commit or a rollback the attribute
    # is expired, and reading it would query the database (which may be the thing that failed).
    state: Any = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line; an exception's trace goes in `exception`, inside the same line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry.update({name: getattr(record, name) for name in REQUEST_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def use_json_logs(stream: Any = None) -> logging.Handler:
    """Send every log line to `stream` (standard error) as JSON; replaces the root's handlers."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return handler

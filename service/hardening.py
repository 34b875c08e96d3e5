"""What every response carries whatever answered it: safety headers, and a fault that tells nothing.

An unexpected error is logged with the request's id (observability.py) and answered, on the API
as a problem in Chinese and on a page as a Chinese page, with that id as the reference, never a
stack trace or the error's text: the person quotes the reference, the operator finds it in the log.
A database that cannot be reached (restarted, refusing connections) is no fault of ours: 503 with
Retry-After, and the next request tries again on a fresh connection (pool_pre_ping, config.py).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from .api.errors import problem
from .extensions import db
from .observability import request_id

# Pages load their scripts and styles from this origin only (no inline script) and are framed by
# no other site; what is not a page gets neither a script nor a frame.
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
log = logging.getLogger("govflow.errors")
RETRY_AFTER_SECONDS = 5


def init_app(app: Flask) -> None:
    hops = int(app.config.get("GOVFLOW_PROXY_HOPS", 0))
    if hops:  # only the proxies' own headers are trusted, never more than they are
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.after_request(_safety_headers)
    app.register_error_handler(Exception, _unexpected)
    app.register_error_handler(InternalServerError, _unexpected)  # an explicit abort(500) too
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(DBAPIError, _database_unavailable)


def _safety_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


def _unexpected(err: Exception) -> ResponseReturnValue:
    reference = request_id() or "-"
    log.error("unexpected error, reference %s", reference, exc_info=err)
    if not request.path.startswith("/api/"):
        return render_template("service_error.html", status=500, reference=reference), 500
    return problem(
        500,
        "internal_error",
        f"服务器内部错误，请稍后重试；如仍有问题，请将参考编号 {reference} 告知系统管理员",
        reference=reference,
        request_id=reference,
    )


def _database_unavailable(err: DBAPIError) -> ResponseReturnValue:
    """The database went away or refuses connections: 503 and try again soon. Any other database
    error (a broken rule, a bad statement) is still a fault of ours."""
    if not (isinstance(err, OperationalError) or err.connection_invalidated):
        return _unexpected(err)
    db.session.remove()  # the connection is gone: the next request checks one out afresh
    reference = request_id() or "-"
    log.error("database unavailable, reference %s: %s", reference, type(err.orig or err).__name__)
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if not request.path.startswith("/api/"):
        page = render_template("service_error.html", status=503, reference=reference)
        return page, 503, retry
    response = problem(
        503,
        "database_unavailable",
        "数据库暂时无法连接，请稍后重试",
        reference=reference,
        request_id=reference,
    )
    response.headers.update(retry)
    return response

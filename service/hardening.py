"""What every response carries whatever answered it: safety headers, and a fault that tells nothing.

An unexpected error is logged with a short reference and answered as a problem in Chinese that
gives the reference, never a stack trace or the error's text: the person quotes the reference,
the operator finds it in the log.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response
from werkzeug.exceptions import InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from .api.errors import problem

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


def init_app(app: Flask) -> None:
    hops = int(app.config.get("GOVFLOW_PROXY_HOPS", 0))
    if hops:  # only the proxies' own headers are trusted, never more than they are
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.after_request(_safety_headers)
    app.register_error_handler(Exception, _unexpected)
    app.register_error_handler(InternalServerError, _unexpected)  # an explicit abort(500) too


def _safety_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


def _unexpected(err: Exception) -> Response:
    reference = secrets.token_hex(6)
    log.error("unexpected error, reference %s", reference, exc_info=err)
    return problem(
        500,
        "internal_error",
        f"服务器内部错误，请稍后重试；如仍有问题，请将参考编号 {reference} 告知系统管理员",
        reference=reference,
    )

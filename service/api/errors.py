"""Every refusal leaves the API as application/problem+json with a stable code."""

from __future__ import annotations

from typing import Any

from flask import Response, json
from werkzeug.exceptions import HTTPException

from ..errors import ServiceError
from . import bp

PROBLEM = "application/problem+json"

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthorized", "请先登录或提供有效的访问令牌"),
    403: ("forbidden", "您无权执行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("payload_too_large", "请求内容过大"),
    415: ("unsupported_media_type", "请求内容必须是 JSON（Content-Type: application/json）"),
}


def problem(status: int, code: str, message: str, **extra: Any) -> Response:
    """Build a problem+json response (RFC 9457) with our code and a Chinese message."""
    body = {"type": f"urn:govflow:problem:{code}", "title": message, "status": status, "code": code}
    body.update({k: v for k, v in extra.items() if v not in (None, [])})
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)


@bp.errorhandler(ServiceError)
def service_error(err: ServiceError) -> Response:
    return problem(err.status, err.code, err.message, field=err.field, errors=err.errors)


def http_error(err: HTTPException) -> Response:
    """Werkzeug's HTML errors replaced by problems, for any /api/ path."""
    code, message = HTTP_MESSAGES.get(err.code or 500, ("http_error", err.description or ""))
    return problem(err.code or 500, code, message)

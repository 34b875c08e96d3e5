"""Errors the use cases raise; the API turns each into application/problem+json."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass
class ServiceError(Exception):
    """A refusal with a stable snake_case code, a Chinese message and an HTTP status."""

    code: str
    message: str
    status: int = 400
    field: str | None = None
    errors: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def not_found(what: str, code: str = "not_found") -> ServiceError:
    return ServiceError(code, f"{what}不存在", 404)


def forbidden(message: str, code: str = "forbidden") -> ServiceError:
    return ServiceError(code, message, 403)


def conflict(message: str, code: str = "conflict") -> ServiceError:
    return ServiceError(code, message, 409)


def invalid(message: str, errors: list[dict[str, Any]], code: str = "validation_failed") -> ServiceError:
    field_name = errors[0]["field"] if errors else None
    return ServiceError(code, message, 422, field=field_name, errors=errors)

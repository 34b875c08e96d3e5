"""Errors the use cases raise; the API turns each into application/problem+json."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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


def field_error(field: str, code: str, message: str) -> dict[str, Any]:
    """One entry of a 422's `errors`: the field, a stable code and the Chinese message."""
    return {"field": field, "code": code, "message": message}


def take_version(data: Any, values: dict[str, Any], errors: list[dict[str, Any]]) -> None:
    """Copy the version the client read into `values` (to answer a concurrent change with 409), or
    note in `errors` that it is missing."""
    version = data.get("version") if isinstance(data, Mapping) else None
    if isinstance(version, int) and not isinstance(version, bool):
        values["version"] = version
    else:
        errors.append(field_error("version", "required", "请提供读取时的版本号 version"))

"""The OpenAPI 3.1 description of /api/v1.

A test checks it names every route; a bounded schemathesis run (tests/service/test_api_conformance.py)
checks that every answer the API gives is one it describes: its status, content type and body.
"""

from __future__ import annotations

from typing import Any

from .paths import paths
from .schemas import schemas


def openapi_document() -> dict[str, Any]:
    """The API description served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "govflow API",
            "version": "1",
            "description": "政务网站业务流程服务接口。错误以 application/problem+json 返回，"
            "含稳定的 code、中文 title，以及指明出错字段的 field / errors。",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": schemas(),
        },
        "paths": paths(),
    }

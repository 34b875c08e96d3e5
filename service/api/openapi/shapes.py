"""Building blocks of the description: strict objects, nullable values, references.

Every response object is strict (no field it does not list, every listed field present unless
marked optional), so a field a serializer adds or drops without the description is a failure of the
conformance run (tests/service/test_api_conformance.py), not a silent drift.
"""

from __future__ import annotations

from typing import Any

STRING: dict[str, Any] = {"type": "string"}
INTEGER: dict[str, Any] = {"type": "integer"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
DATE: dict[str, Any] = {"type": "string", "format": "date"}
MOMENT: dict[str, Any] = {"type": "string", "format": "date-time"}
ANY_OBJECT: dict[str, Any] = {"type": "object"}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], optional: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    """A strict object: these properties and no others, all required but the optional ones."""
    out: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }
    if description:
        out["description"] = description
    return out


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def page(item: str) -> dict[str, Any]:
    """A page of a list, as views.page_of shapes it."""
    return obj({"items": array(ref(item)), "total": INTEGER, "page": INTEGER, "per_page": INTEGER})


def capped_page(item: str, cap: int) -> dict[str, Any]:
    """A page whose total may stop at a bound: total_capped true means there are more than total."""
    described = page(item)
    described["properties"]["total_capped"] = {
        **BOOLEAN,
        "description": f"true：只数到 {cap} 条（或数到本页末尾），实际多于 total，可继续翻页",
    }
    described["required"].append("total_capped")
    return described


def one_of(*values: str | None) -> dict[str, Any]:
    return {"enum": list(values)}

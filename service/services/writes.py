"""Writing the rows a step changes with plain statements instead of the ORM's unit of work.

A step changes a handful of known columns on two or three rows. The unit of work would
rediscover that by diffing every loaded object and sorting mapper dependencies on each flush,
which costs more than the workflow step itself. Here each change is one UPDATE guarded by the
row's version (a stale copy raises StaleDataError, the same 409 as before) and the loaded object
is then told the new values as committed, so it reads correctly without a flush.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, inspect, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db


def versioned_update(obj: Any, **changes: Any) -> None:
    """UPDATE one row if nobody changed it since it was read; reflect the change on `obj`.

    Keys are column attributes, or relationship attributes given an object (or None), which
    are written through their foreign key column.
    """
    mapper = inspect(obj).mapper
    values: dict[str, Any] = {}
    for key, value in changes.items():
        relationship = mapper.relationships.get(key)
        if relationship is None:
            values[key] = value
            continue
        (column,) = relationship.local_columns
        values[column.key] = value.id if value is not None else None
    table = mapper.local_table
    version = obj.version
    statement = _update_statement(table, tuple(sorted(values)))
    params = {**values, "row_id": obj.id, "row_version": version, "next_version": version + 1}
    if db.session.connection().execute(statement, params).rowcount != 1:
        raise StaleDataError(f"{table.name} {obj.id} was changed by someone else")
    for key, value in {**values, **changes, "version": version + 1}.items():
        set_committed_value(obj, key, value)


def insert_row(model: type, **values: Any) -> int:
    """INSERT one row and return its id (no object is built or tracked)."""
    result = db.session.connection().execute(_returning_insert(model.__table__), values)  # type: ignore[attr-defined]
    return int(result.scalar_one())


def insert_rows(model: type, rows: list[dict[str, Any]]) -> None:
    """INSERT rows whose ids nobody needs (no RETURNING, one executemany)."""
    if rows:
        db.session.connection().execute(_plain_insert(model.__table__), rows)  # type: ignore[attr-defined]


@cache
def _plain_insert(table: Table):
    return insert(table)


# Statements are built once per shape: building and cache-keying a fresh statement on every call
# costs more than running it.
@cache
def _update_statement(table: Table, keys: tuple[str, ...]):
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("row_version"))
        .values({**{key: bindparam(key) for key in keys}, "version": bindparam("next_version")})
    )


@cache
def _returning_insert(table: Table):
    """INSERT into a table, returning the new id."""
    return insert(table).returning(table.c.id)

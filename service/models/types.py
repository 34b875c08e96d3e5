"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The largest value an integer column holds (PostgreSQL's integer): ids and versions beyond it name
# no row, and sending one to the database would fail the query.
LARGEST_INTEGER = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Stores UTC without zone (SQLite keeps none) and always returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if isinstance(value, datetime) else value

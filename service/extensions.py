"""Extension objects, created unbound; create_app binds them with init_app."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep migrations reproducible on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The models' base class (typed, unlike db.Model); Flask-SQLAlchemy uses it as db.Model."""

    metadata = MetaData(naming_convention=NAMING)


# Objects stay readable after commit: a request serializes what it just wrote without reloading it.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def enforce_sqlite_rules(dbapi_connection, _record) -> None:
    """Make the embedded SQLite keep foreign keys and wait for locks, as PostgreSQL would.

    WAL with synchronous=NORMAL survives a crash of the service without losing a commit or
    corrupting the file; only an OS crash or power cut can drop the last commits. That is the
    trade-off for the embedded default; production runs on PostgreSQL.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()

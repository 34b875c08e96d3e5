"""Extension objects, created unbound; create_app binds them with init_app."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.exc import SQLAlchemyError
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


def end_reads_with_commit(engine) -> None:
    """End a PostgreSQL transaction that only read with COMMIT instead of ROLLBACK (issue 15).

    psycopg forgets every prepared statement of a connection on ROLLBACK (`DEALLOCATE ALL`: a
    rolled-back DROP or ALTER could leave one pointing at nothing) and starts counting each query's
    uses again, so a request that ends its reads with a rollback throws the prepared statements of
    the pooled connection away and the next request never reaches prepare_threshold. A transaction
    that ran nothing but SELECTs changed nothing: COMMIT ends it exactly as ROLLBACK would, and
    keeps them. Anything else (a write, DDL, a failed statement) still ends with ROLLBACK.
    """
    import psycopg
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "begin")
    def _began(conn) -> None:
        conn.info["govflow_only_read"] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _ran(conn, _cursor, statement: str, _params, _context, _many) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info["govflow_only_read"] = False

    @event.listens_for(engine, "rollback")
    def _ending(conn) -> None:
        # A connection the server cut (a restart) has nothing left to keep: even asking for its
        # info raises (PendingRollbackError), and the rollback that follows lets the pool replace
        # it, so the request's own error stays what it was (a 503), never this listener's.
        try:
            if conn.invalidated or not conn.info.get("govflow_only_read"):
                return
            raw = conn.connection.dbapi_connection
            if (
                raw is not None
                and not raw.closed
                and raw.info.transaction_status == TransactionStatus.INTRANS
            ):
                raw.commit()  # psycopg's rollback then finds no transaction and sends nothing
        except (psycopg.Error, SQLAlchemyError):
            return

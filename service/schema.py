"""The schema at start-up (issue 15): one process changes it, every other one waits for it.

`flask --app service upgrade` (boot.sh migrate, the one-off `migrate` service of compose.yaml)
brings the database to the code's revision, loads the starter 错敏 word list into an empty one and
deploys bpmn/. `flask --app service wait-for-schema` (boot.sh web, worker and beat) polls until the
database answers and its revision is the code's, and gives up after GOVFLOW_SCHEMA_WAIT_SECONDS
with a message saying what it found: a web node never migrates, so two of them starting at once
cannot both change the schema.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from .extensions import db
from .models import Department
from .services import screening

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")
WAIT_VARIABLE = "GOVFLOW_SCHEMA_WAIT_SECONDS"
WAIT_SECONDS = 120.0  # unless WAIT_VARIABLE says
POLL_SECONDS = 2.0
CONNECT_SECONDS = 5


@dataclass(frozen=True)
class SchemaState:
    """What the database holds against what the code expects; `problem` is None when they agree."""

    expected: tuple[str, ...]
    found: tuple[str, ...] | None  # None: the database did not answer
    error: str = ""

    @property
    def problem(self) -> str | None:
        wanted = "、".join(self.expected)
        if self.found is None:
            return f"数据库无法连接（{self.error}）"
        if not self.found:
            return f"数据库尚未建表（应为版本 {wanted}）：请先运行 boot.sh migrate"
        if set(self.found) != set(self.expected):
            found = "、".join(self.found)
            return f"数据库版本为 {found}，本程序需要 {wanted}：请先运行 boot.sh migrate"
        return None


def code_heads() -> tuple[str, ...]:
    """The revision(s) the code's migrations end at."""
    return tuple(sorted(ScriptDirectory(MIGRATIONS_DIR).get_heads()))


def schema_state() -> SchemaState:
    """Ask the database for its revision (never changing anything)."""
    expected = code_heads()
    url = db.engine.url
    # A server that does not answer at all (a host down, a firewall) fails within seconds, not minutes.
    timeout = {"connect_timeout": CONNECT_SECONDS} if url.get_backend_name() == "postgresql" else {}
    probe = create_engine(url, connect_args=timeout, poolclass=NullPool)
    try:
        with probe.connect() as connection:
            found = MigrationContext.configure(connection).get_current_heads()
    except SQLAlchemyError as err:
        return SchemaState(expected, None, str(err.__cause__ or err).strip().splitlines()[0])
    finally:
        probe.dispose()
    return SchemaState(expected, tuple(sorted(found)))


def wait_for_schema(seconds: float, poll: float = POLL_SECONDS, say=click.echo) -> SchemaState:
    """Poll until the schema is the code's or `seconds` have passed; each new finding is said once."""
    limit = time.monotonic() + seconds
    said = None
    while True:
        state = schema_state()
        if state.problem is None or time.monotonic() >= limit:
            return state
        if state.problem != said:
            say(f"等待数据库：{state.problem}")
            said = state.problem
        time.sleep(max(0.0, min(poll, limit - time.monotonic())))


@click.command("wait-for-schema")
@with_appcontext
@click.option(
    "--timeout",
    type=float,
    default=None,
    help=f"Seconds to wait (default GOVFLOW_SCHEMA_WAIT_SECONDS, else {WAIT_SECONDS:.0f}).",
)
def wait_for_schema_command(timeout: float | None) -> None:
    """Wait until the database answers and its schema is this code's revision; exit 1 after the timeout."""
    seconds = timeout if timeout is not None else float(os.environ.get(WAIT_VARIABLE, WAIT_SECONDS))
    state = wait_for_schema(seconds)
    if state.problem is not None:
        raise click.ClickException(f"等待 {seconds:g} 秒后放弃启动：{state.problem}")
    click.echo(f"数据库版本 {'、'.join(state.expected)}：就绪")


@click.command("upgrade")
@with_appcontext
def upgrade_command() -> None:
    """Run once per release, before web, worker and beat start: migrate the schema to this code's
    revision, load the starter 错敏 word list into an empty one, and deploy bpmn/ (once the
    organisation has departments: its lanes name them)."""
    from flask_migrate import upgrade

    upgrade(directory=MIGRATIONS_DIR)
    click.echo(f"数据库版本 {'、'.join(code_heads())}")
    added = screening.load_starter_terms()
    click.echo(f"错敏词库：载入初始词表 {added} 条" if added else "错敏词库已有词语：未载入初始词表")
    if not db.session.scalar(select(func.count()).select_from(Department)):
        db.session.rollback()
        click.echo("尚无部门：流程图未部署。建好组织机构（或 seed-demo）后运行 deploy")
        return
    db.session.rollback()
    from .cli import deploy

    click.get_current_context().invoke(deploy, directory=current_app.config["BPMN_DIR"])

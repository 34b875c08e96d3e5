"""The app the benchmarks measure: migrated, demo organisation, bpmn/ deployed."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def prepared_app(name: str):
    """An app on DATABASE_URL when set, else on a throwaway SQLite file called `name`."""
    from flask_migrate import upgrade

    from service import create_app
    from service.services import demo, deployment

    overrides = {}
    if not os.environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tempfile.mkdtemp()}/{name}.db"
    app = create_app(overrides)
    with app.app_context():
        logging.disable(logging.INFO)  # the migration log is not part of the figure
        upgrade()
        logging.disable(logging.NOTSET)
        demo.seed_demo()
        deployment.deploy_directory(app.config["BPMN_DIR"])
    return app


def local_postgresql(name: str) -> str:
    """DATABASE_URL when set (a PostgreSQL database the bench may fill), else a freshly created
    database `name` on the local server (127.0.0.1, user postgres), which DATABASE_URL then names."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return fresh_postgresql(name)


def fresh_postgresql(name: str) -> str:
    """A new empty database `name` on the local server (127.0.0.1, user postgres), dropped first if
    it exists; DATABASE_URL then names it."""
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{name}"
    return os.environ["DATABASE_URL"]


def cleared_for_filling() -> tuple[int, int, int]:
    """Delete every case (its tasks, clocks and history) before a bench fills its own; answer the
    ids it fills with: the disclosure diagram's, 规划处's and 王芳's (of 规划处)."""
    from sqlalchemy import delete, select

    from service.extensions import db
    from service.models import (
        CaseEvent,
        Deadline,
        Department,
        HumanTask,
        ProcessDefinition,
        ProcessInstance,
        User,
    )

    for model in (Deadline, CaseEvent, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    definition = db.session.scalar(
        select(ProcessDefinition.id).where(ProcessDefinition.key == "disclosure_request").limit(1)
    )
    planning = db.session.scalar(select(Department.id).where(Department.code == "planning"))
    wang_fang = db.session.scalar(select(User.id).where(User.username == "wang.fang"))
    return definition, planning, wang_fang


def store_rows(db, cases: list[dict], table, rows: list[dict], batch: int = 10000) -> None:
    """Bulk-insert made-up cases with one row each of `table` (same order), commit, and refresh the
    planner's statistics so the measured queries run on the plans a real database would use."""
    from sqlalchemy import insert

    from service.models import ProcessInstance

    for start in range(0, len(cases), batch):
        db.session.execute(insert(ProcessInstance.__table__), cases[start : start + batch])
        db.session.execute(insert(table), rows[start : start + batch])
    db.session.commit()
    analyze = "ANALYZE" if db.engine.dialect.name == "sqlite" else f"ANALYZE process_instance, {table.name}"
    db.session.execute(db.text(analyze))
    db.session.commit()

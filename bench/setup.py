"""The app the benchmarks measure: migrated, demo organisation, bpmn/ deployed."""

from __future__ import annotations

import logging
import os
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

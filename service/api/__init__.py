"""The JSON API under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401  (routes register on import)
    accounts,
    attachments,
    audit,
    case_admin,
    columns,
    copies,
    deadlines,
    definitions,
    delegation,
    diagram_editor,
    errors,
    migrations,
    opinions,
    organisation,
    reports,
    rewind,
    screening,
    statistics,
    views,
)

"""The column register outlives each test's cases: tests that add columns remove them afterwards."""

from __future__ import annotations

from sqlalchemy import delete


def remove_columns(app) -> None:
    from service.extensions import db
    from service.models import SiteColumn

    with app.app_context():
        db.session.execute(delete(SiteColumn))
        db.session.commit()


def add(api, user="xu.ming", **fields):
    """Register a column through the API as `user`; returns its JSON."""
    body = {"name": "工作动态", "path": "/xwzx/gzdt", "level": 2, "kind": "news", "department": "planning"}
    response = api.post("/columns", user, {**body, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()

"""Web nodes behind a load balancer (issue 15): the client's address is read from the proxy's
X-Forwarded-For only when GOVFLOW_PROXY_HOPS says a proxy is there (ORG-2's lock-out by address and
the public rate limits count per client, not per proxy)."""

from __future__ import annotations

from sqlalchemy import select

from service import create_app
from service.extensions import db
from service.models import LoginFailure
from tests.service.pages import Pages


def _failed_from(app, hops: int, connection: str, forwarded: str) -> str:
    """The address a wrong log-in is counted against, on a node with `hops` proxies in front."""
    node = create_app({**app.config, "GOVFLOW_PROXY_HOPS": hops})
    Pages(node).submit(
        "/login",
        data={"username": "proxy.probe", "password": "wrong"},
        environ_base={"REMOTE_ADDR": connection},
        headers={"X-Forwarded-For": forwarded},
    )
    with app.app_context():
        address = db.session.scalar(
            select(LoginFailure.address).where(LoginFailure.username == "proxy.probe")
        )
        db.session.rollback()
    return address


def test_org2_behind_one_proxy_is_a_failed_log_in_counted_against_the_client(app):
    """With GOVFLOW_PROXY_HOPS=1, is a wrong log-in counted against the address the proxy forwards (ORG-2)?"""
    assert _failed_from(app, 1, "10.0.0.9", "198.51.100.7") == "198.51.100.7"


def test_org2_without_a_proxy_is_a_forged_forwarded_address_ignored(app):
    """With no proxy configured, is a client's own X-Forwarded-For ignored, so it cannot dodge a lock-out (ORG-2)?"""
    assert _failed_from(app, 0, "10.0.0.9", "198.51.100.7") == "10.0.0.9"

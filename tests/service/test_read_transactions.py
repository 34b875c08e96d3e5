"""Requests that only read end their transaction with COMMIT, keeping the connection's prepared
statements (issue 15): nothing a person sees may change by it. A change that fails is still undone,
a revoked token stops working at once, and two people completing one task still get one 200 and
one 409."""

from __future__ import annotations

import threading

from sqlalchemy import select, text, update

from service.extensions import db
from service.models import User
from service.services import tokens
from service.services.accounts import user_named
from tests.service.flows import open_task, start_disclosure

PREPARED = text("SELECT count(*) FROM pg_prepared_statements")


def test_a_connection_that_only_read_keeps_its_prepared_statements(app, postgresql):
    """After a transaction of reads ends, does the connection still hold the statements it prepared, so the next
    request runs them without parsing and planning again (issue 15)?"""
    query = select(User.name).where(User.username == "zhang.wei")
    with app.app_context(), db.engine.connect() as conn:
        for _ in range(6):  # psycopg prepares a query on its fifth use
            assert conn.execute(query).scalar_one()
        conn.rollback()
        assert conn.execute(PREPARED).scalar_one() >= 1


def test_a_change_that_is_rolled_back_is_still_undone(app):
    """A request that wrote and then failed: is its change gone, as it was before (issue 15)?"""
    with app.app_context():
        before = db.session.scalar(select(User.name).where(User.username == "zhang.wei"))
        db.session.rollback()
        with db.engine.connect() as conn:
            conn.execute(select(User.id)).all()  # read first, then write
            conn.execute(update(User).where(User.username == "zhang.wei").values(name="改错了"))
            conn.rollback()
            assert conn.execute(select(User.name).where(User.username == "zhang.wei")).scalar_one() == before


def test_org2_a_revoked_token_stops_working_at_once_though_it_worked_a_moment_before(app):
    """A token used for reads a few times on the same pooled connections, then revoked: is the very next
    request refused with 401 (ORG-2, issue 15)?"""
    with app.app_context():
        owner = user_named("wang.fang")
        token, secret = tokens.create_token(owner, "撤销测试", days=30)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    for _ in range(6):
        assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    with app.app_context():
        tokens.revoke_token(user_named("wang.fang"), token.id)
    response = client.get("/api/v1/tasks", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_two_people_completing_one_task_at_the_same_moment_get_one_200_and_one_409(api):
    """Two 办公室 staff press 提交 on the same 登记 together: does one succeed and the other get 409, with the
    case moved on once (issue 15)?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    data = {"owning_department": "planning", "received_on": "2026-03-02", "registration_decision": "accept"}
    start = threading.Barrier(2)
    statuses: list[int] = []

    def press(client) -> None:
        start.wait()
        statuses.append(client.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": data}).status_code)

    threads = [threading.Thread(target=press, args=(api.fresh(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert open_task(api, case["id"])["task_spec"] != task["task_spec"]

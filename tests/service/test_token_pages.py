"""The 访问令牌 page (ORG-2): a token made with a name and term, its secret shown once, revoked."""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from service.extensions import db
from service.models import ApiToken, User
from tests.service.pages import logged_in


def drop_tokens(app, username: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name != "tests"))
        db.session.commit()


def test_org2_does_the_token_page_show_a_new_secret_once_and_revoke_it(app):
    """Does 新建令牌 show the secret once, the list never again, and 撤销 end the token?"""
    pages = logged_in(app, "liu.yang")
    made = pages.submit("/account/tokens", data={"name": "周报<脚本>", "days": "30"})
    html = made.get_data(as_text=True)
    assert made.status_code == 201 and "请立即复制保存" in html
    secret = re.search(r'<code class="token-secret">([^<]+)</code>', html).group(1)
    assert "周报&lt;脚本&gt;" in html and "周报<脚本>" not in html  # typed text escaped
    listed = pages.text("/account/tokens")
    assert secret not in listed and "从未使用" in listed and "2026-04-01" in listed
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/tasks", headers=headers).status_code == 200
    token_id = re.search(r'id="token-(\d+)"', listed).group(1)
    revoked = pages.submit("/account/tokens", f"/account/tokens/{token_id}/revoke", follow_redirects=True)
    assert "已撤销" in revoked.get_data(as_text=True)
    assert app.test_client().get("/api/v1/tasks", headers=headers).status_code == 401
    drop_tokens(app, "liu.yang")


def test_org2_does_the_token_page_say_what_is_wrong_beside_the_field(app):
    """Are a missing name and a term beyond 365 days said in Chinese beside their fields?"""
    pages = logged_in(app, "liu.yang")
    response = pages.submit("/account/tokens", data={"name": "", "days": "400"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写令牌名称" in html
    refused = pages.submit("/account/tokens", data={"name": "长期", "days": "400"})
    assert refused.status_code == 422 and "有效期须为 1 至 365 天" in refused.get_data(as_text=True)


def test_org2_may_one_revoke_anothers_token_from_the_page(app, api):
    """Is revoking someone else's token refused on the page, leaving it working?"""
    other = api.post("/tokens", "wang.fang", json={"name": "别人的"}).json
    pages = logged_in(app, "liu.yang")
    response = pages.submit("/account/tokens", f"/account/tokens/{other['id']}/revoke")
    assert response.status_code == 403 and "只能撤销自己的令牌" in response.get_data(as_text=True)
    headers = {"Authorization": f"Bearer {other['token']}"}
    assert app.test_client().get("/api/v1/tasks", headers=headers).status_code == 200
    drop_tokens(app, "wang.fang")


def test_org2_is_the_token_page_reached_from_the_password_page(app):
    """Does the 修改密码 page lead to 访问令牌, without a new item in the header?"""
    html = logged_in(app, "liu.yang").text("/password")
    assert 'href="/account/tokens"' in html
    header = html.split("</header>")[0]
    assert "访问令牌" not in header

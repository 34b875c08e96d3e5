"""网站栏目 pages (COL-1..4, NAT-7): the register for administrators and the information centre, its add
and edit forms (errors beside their fields, a stale version refused, the change audit-logged), and the
risk page /stats/columns for the office, the centre and principal leaders only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.service.column_fixtures import add, remove_columns
from tests.service.pages import logged_in

FORM = {
    "name": "通知公告",
    "path": "/tzgg",
    "level": "1",
    "kind": "notice",
    "department": "office",
    "interval_days": "",
    "last_update": "",
    "content_plan": "",
}


@pytest.fixture(autouse=True)
def _no_columns(app):
    remove_columns(app)
    yield
    remove_columns(app)


def test_col1_the_centre_registers_a_column_and_sees_it_listed(app):
    """Does 徐明 (信息中心) register 通知公告 for 办公室 and see it listed as a blank column (COL-1, NAT-7)?"""
    pages = logged_in(app, "xu.ming")
    response = pages.submit("/columns", data=FORM)
    assert response.status_code == 302
    html = pages.text("/columns")
    assert "通知公告" in html and "/tzgg" in html and "空白栏目" in html and "6个月" in html


def test_col1_a_form_error_is_said_beside_its_field_and_input_is_escaped(app):
    """Is a missing owner said beside 责任处室, and a typed name shown escaped (COL-1)?"""
    pages = logged_in(app, "xu.ming")
    response = pages.submit("/columns", data={**FORM, "department": "", "name": "<b>x</b>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="add-department-error"' in html and "请选择一个“责任部门”" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_col4_an_edit_on_a_stale_version_is_refused_and_a_change_is_audit_logged(app, api):
    """Is a save made on an old version refused with 409, and a hand-entered last update written to the audit log (COL-4)?"""
    from service.extensions import db
    from service.models import AuditEntry

    made = add(api)
    pages = logged_in(app, "xu.ming")
    edit = {
        **FORM,
        "name": "工作动态",
        "path": "/xwzx/gzdt",
        "kind": "news",
        "level": "2",
        "department": "planning",
        "last_update": "2026-03-01",
        "status": "open",
    }
    ok = pages.submit(f"/columns/{made['id']}", data={**edit, "version": str(made["version"])})
    assert ok.status_code == 302
    stale = pages.submit(f"/columns/{made['id']}", data={**edit, "version": str(made["version"])})
    assert stale.status_code == 409 and "该栏目已被他人修改" in stale.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "site_column").order_by(AuditEntry.id.desc())
        ).first()
        assert entry.kind == "column_changed" and entry.after["last_update"] == "2026-03-01"


@pytest.mark.parametrize(
    ("user", "status"), [("wang.fang", 403), ("zhang.wei", 403), ("xu.ming", 200), ("admin", 200)]
)
def test_col1_only_admins_and_the_centre_keep_the_register(app, user, status):
    """May only administrators and the information centre open the register page (COL-1)?"""
    assert logged_in(app, user).get("/columns").status_code == status


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("wang.fang", 403),
        ("zhao.lei", 403),
        ("zhang.wei", 200),
        ("xu.ming", 200),
        ("zhou.qiang", 200),
        ("admin", 200),
    ],
)
def test_nat7_the_risk_page_is_for_the_office_the_centre_and_principal_leaders(app, user, status):
    """May a department officer and a leader in charge not read the risk page, and the office and the centre read it (NAT-7)?"""
    assert logged_in(app, user).get("/stats/columns").status_code == status


def test_nat7_the_risk_page_lists_each_line_with_its_count(app, api):
    """Does the risk page say the empty-columns line is met with 1 of 5, naming the column (NAT-7)?"""
    add(api)
    html = logged_in(app, "zhang.wei").text("/stats/columns")
    line = html.split('id="line-empty"', 1)[1].split("</tr>", 1)[0]
    assert "≥ 5" in line and '<td class="count">1</td>' in line and "达标" in line and "工作动态" in line


def test_col1_the_drafter_is_offered_the_registers_columns_and_may_still_type_one(app, api):
    """Does 王芳's 发布栏目 suggest the register's open columns by path, and stay a plain text box while the register is empty (COL-1)?"""
    pages = logged_in(app, "wang.fang")
    empty = pages.text("/start/publishing")
    assert 'id="field-column"' in empty and "field-column-list" not in empty
    add(api)
    html = pages.text("/start/publishing")
    assert 'list="field-column-list"' in html
    assert '<option value="/xwzx/gzdt">工作动态（规划处）</option>' in html

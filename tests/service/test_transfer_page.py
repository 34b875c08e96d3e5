"""转办 on the task page (issue 11, ESC-3): 王芳 sends a draft that belongs to 法规处 there with her
reason; the deadline keeps running; a missing reason or department is said beside its field.

national profile; the request was registered on Mon 2 Mar 2026.
"""

from __future__ import annotations

from tests.service.flows import open_task, view
from tests.service.pages import logged_in, page_text
from tests.service.test_inbox_api import registered


def test_esc3_wang_fang_transfers_the_draft_to_legal_with_her_reason_and_the_deadline_runs_on(api, app):
    """Does the task land in 法规处's queue, with the reason in the history and the due day unchanged?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    wang = logged_in(app, "wang.fang")
    page = f"/tasks/{task['id']}"
    assert "转至处室" in wang.text(page)
    moved = wang.submit(page, f"{page}/transfer", {"department": "legal", "reason": "该信息由法规处制作"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/inbox")
    assert "已将“起草答复”转办至法规处" in page_text(wang.get("/inbox"))
    after = open_task(api, case)
    assert after["id"] == task["id"] and after["department"]["code"] == "legal"
    assert after["due_at"] == task["due_at"]  # ESC-3: a transfer does not restart the clock
    history = view(api, case)["history"]
    (line,) = [e for e in history if e["kind"] == "task_transferred"]
    assert line["details"]["reason"] == "该信息由法规处制作"
    chen = logged_in(app, "chen.jing")  # 法规处: she now sees it and may act on it
    assert "转办" in chen.text(page) and ">签收</button>" in chen.text(page)
    assert wang.get(page).status_code == 404  # no longer 规划处's to see


def test_esc3_a_transfer_without_reason_or_department_says_so_beside_each_field(api, app):
    """Is each missing answer named next to its field, and does the task stay where it was?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    wang = logged_in(app, "wang.fang")
    page = f"/tasks/{task['id']}"
    refused = wang.submit(page, f"{page}/transfer", {"department": "", "reason": "  "})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="transfer-department-error"' in html and "请选择有效的部门" in html
    assert 'id="transfer-reason-error"' in html and "请填写转办理由" in html
    assert open_task(api, case)["department"]["code"] == "planning"


def test_someone_of_another_department_cannot_transfer_the_task_by_posting_the_form(api, app):
    """Does 陈静 (法规处), who may not see 规划处's draft, get the not-found page when she posts a transfer?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    chen = logged_in(app, "chen.jing")
    posted = chen.submit(
        "/inbox", f"/tasks/{task['id']}/transfer", {"department": "legal", "reason": "我来办"}
    )
    assert posted.status_code == 404
    assert open_task(api, case)["department"]["code"] == "planning"

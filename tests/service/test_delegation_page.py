"""委派 on the task page and in the inbox (issue 11): 王芳 hands 起草答复 to 吴敏, who hands back a draft
answer; 王芳 finds her form filled from it and completes the step.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing; the request is due Mon 30 Mar 24:00
(REQ-2) and stays 王芳's throughout.
"""

from __future__ import annotations

import re

from tests.service.flows import open_task
from tests.service.pages import csrf_token, logged_in, page_text
from tests.service.test_delegation_api import DRAFT, delegated_draft
from tests.service.test_inbox_api import registered


def actions(html: str) -> str:
    """The 办理 section of a task page."""
    return html[
        html.index('<section class="panel actions"') : html.index(
            '<section class="panel" aria-labelledby="steps-head">'
        )
    ]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_req2_wang_fang_delegates_wu_min_hands_back_and_wang_fang_completes_from_the_draft(app, api):
    """The whole path on the pages: the 委派 form, 吴敏's form and 交回, 王芳's prefilled form and 办理完成."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    page = f"/tasks/{task['id']}"
    wang = logged_in(app, "wang.fang")
    offered = actions(wang.text(page))
    assert '<label for="delegate-to">受委派人</label>' in offered
    assert (
        '<option value="wu.min">吴敏</option>' in offered
        and '<option value="liu.yang">刘洋</option>' in offered
    )
    assert 'value="wang.fang"' not in offered  # not herself
    given = wang.submit(page, f"{page}/delegate", {"to": "wu.min", "reason": "请先整理目录"})
    assert given.status_code == 302 and given.headers["Location"] == page
    html = wang.text(page)
    shown = text(actions(html))
    assert "王芳已委派给吴敏办理（2026-03-02 09:00），委派说明：请先整理目录。" in shown
    assert ">收回委派</button>" in html and '<form class="task-form"' not in html
    assert "办理人 王芳（已委派给吴敏）" in text(html)

    wu = logged_in(app, "wu.min")
    html = wu.text(page)
    assert "王芳委派您办理此任务（2026-03-02 09:00），委派说明：请先整理目录。" in text(html)
    assert f'action="{page}/resolve"' in html and ">办理完毕，交回委派人</button>" in html
    assert '<select id="field-category" name="category"' in html and ">收回委派</button>" not in html
    handed = wu.submit(page, f"{page}/resolve", {**DRAFT, "note": "年份已核对"})
    assert handed.status_code == 302 and handed.headers["Location"] == "/inbox"
    assert "已将“起草答复”交回王芳" in wu.text("/inbox")

    html = wang.text(page)
    assert "吴敏 已办理完毕交回（2026-03-02 09:00）：年份已核对" in text(html)
    assert '<option value="disclosed" selected>予以公开</option>' in html
    assert ">目录已整理，见附件。</textarea>" in html and ">办理完成</button>" in html
    done = wang.submit(page, f"{page}/complete", DRAFT)
    assert done.status_code == 302 and open_task(api, case)["task_spec"] == "section_review"


def test_a_draft_with_a_mistake_is_shown_again_with_the_message_beside_the_field(app, api):
    """吴敏 hands back without 答复内容: 422, the message under that field, her note and choices kept."""
    case, task = delegated_draft(api)
    page = f"/tasks/{task['id']}"
    wu = logged_in(app, "wu.min")
    response = wu.submit(
        page, f"{page}/resolve", {"draft_action": "submit", "category": "disclosed", "note": "<b>初稿</b>"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(
        r'id="field-reply_text"[^>]*aria-invalid="true".*?<p class="field-error" id="field-reply_text-error">请填写“答复内容”</p>',
        html,
        re.S,
    )
    assert '<option value="disclosed" selected>予以公开</option>' in html
    assert ">&lt;b&gt;初稿&lt;/b&gt;</textarea>" in html
    assert open_task(api, case)["delegate"]["username"] == "wu.min"


def test_the_inbox_rows_say_who_delegated_and_to_whom(app, api):
    """吴敏's row reads 委派 王芳委派给您 under 待我办理; 王芳's under 我的在办 reads 王芳，已委派给吴敏."""
    case, task = delegated_draft(api)
    wu = page_text(logged_in(app, "wu.min").get("/inbox"))
    assert "起草答复" in wu and "规划处 委派 王芳委派给您" in wu and "待我办理 1 我的在办 1" in wu
    wang = logged_in(app, "wang.fang")
    assert "这里暂时没有任务" in page_text(wang.get("/inbox"))  # it waits for 吴敏, not for her
    mine = page_text(wang.get("/inbox?tab=mine"))
    assert "规划处 王芳，已委派给吴敏 剩余20个工作日" in mine


def test_the_delegator_takes_it_back_on_the_page(app, api):
    """王芳 presses 收回委派: the form to complete is hers again; 吴敏's page no longer offers 交回."""
    case, task = delegated_draft(api)
    page = f"/tasks/{task['id']}"
    wu = logged_in(app, "wu.min")
    stale = wu.text(page)
    wang = logged_in(app, "wang.fang")
    taken = wang.submit(page, f"{page}/take-back")
    assert taken.status_code == 302
    html = wang.text(page)
    assert "已收回委派，“起草答复”由您继续办理" in html and ">办理完成</button>" in html
    assert '<label for="delegate-to">' in html  # she may delegate again
    assert ">办理完毕，交回委派人</button>" not in wu.text(page)
    late = wu.client.post(f"{page}/resolve", data={"csrf_token": csrf_token(stale), **DRAFT})
    assert late.status_code == 302 and "该任务没有委派给他人" in wu.text(page)


def test_nobody_else_is_offered_delegation_and_a_forged_post_is_refused(app, api):
    """刘洋 sees no 委派 form on 王芳's task; his hand-made post is a message; 陈静's is the not-found page."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    page = f"/tasks/{task['id']}"
    liu = logged_in(app, "liu.yang")
    html = liu.text(page)
    assert 'id="delegate-to"' not in html and "该任务已由王芳签收办理" in html
    forged = liu.client.post(f"{page}/delegate", data={"csrf_token": csrf_token(html), "to": "wu.min"})
    assert forged.status_code == 302 and "该任务已由王芳签收" in liu.text(page)
    chen = logged_in(app, "chen.jing")
    token = csrf_token(chen.text("/inbox"))
    hidden = chen.client.post(f"{page}/delegate", data={"csrf_token": token, "to": "wu.min"})
    assert hidden.status_code == 404
    refused = logged_in(app, "wang.fang").submit(page, f"{page}/delegate", {"to": ""})
    assert refused.status_code == 302
    assert open_task(api, case)["delegate"] is None

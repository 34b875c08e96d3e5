"""催办 on the task page and in the inbox (issue 11, ESC-1): 张伟, who registered the request, opens
规划处's 起草答复 from the case page and urges it; the count and who urged last stand on the page.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

from tests.service.flows import open_task
from tests.service.pages import csrf_token, logged_in, page_text
from tests.service.test_delegation_page import actions, text
from tests.service.test_inbox_api import registered


def test_esc1_zhang_wei_urges_the_draft_from_the_case_page(app, api, clock):
    """张伟 follows the case page's link to 起草答复, urges with a message; the page then counts it and
    offers no second urge within the hour; 王芳's inbox row is marked 被催办."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    page = f"/tasks/{task['id']}"
    zhang = logged_in(app, "zhang.wei")
    assert f'href="{page}"' in zhang.text(f"/cases/{case['id']}")
    html = zhang.text(page)
    assert "该任务由规划处的办理人员办理，您可以查看。" in text(html)
    assert '<label for="urge-message">催办留言（选填）</label>' in html and ">催办</button>" in html
    assert ">签收</button>" not in html and 'id="delegate-to"' not in html
    clock.set("2026-03-02T02:30:00+00:00")
    urged = zhang.submit(page, f"{page}/urge", {"message": "申请人来电询问进度"})
    assert urged.status_code == 302 and urged.headers["Location"] == page
    html = zhang.text(page)
    assert "已催办“起草答复”" in html
    assert "被催办 已催办1次（最近：张伟，2026-03-02 10:30）" in text(actions(html))
    assert ">催办</button>" not in html and "您在一小时内已催办过该任务。" in html

    wang = logged_in(app, "wang.fang")
    assert "剩余20个工作日 被催办" in page_text(wang.get("/inbox"))
    own = wang.text(page)
    assert "已催办1次（最近：张伟，2026-03-02 10:30）" in text(own) and ">催办</button>" not in own
    assert "申请人来电询问进度" in page_text(wang.get("/notifications"))


def test_the_leader_in_charge_urges_and_others_see_no_button(app, api):
    """赵磊 (分管规划处) is offered 催办; 孙丽 gets the not-found page, also for a hand-made post."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    page = f"/tasks/{task['id']}"
    zhao = logged_in(app, "zhao.lei")
    assert ">催办</button>" in zhao.text(page)
    assert zhao.submit(page, f"{page}/urge").status_code == 302
    assert open_task(api, case)["urge_count"] == 1
    sun = logged_in(app, "sun.li")
    assert sun.get(page).status_code == 404
    forged = sun.client.post(f"{page}/urge", data={"csrf_token": csrf_token(sun.text("/inbox"))})
    assert forged.status_code == 404 and open_task(api, case)["urge_count"] == 1


def test_a_refused_urge_is_a_message_on_the_page(app, api):
    """张伟's message of 201 characters is refused with its reason; nothing is counted."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    page = f"/tasks/{task['id']}"
    zhang = logged_in(app, "zhang.wei")
    refused = zhang.submit(page, f"{page}/urge", {"message": "催" * 201})
    assert refused.status_code == 302
    assert "催办留言不能超过 200 个字" in zhang.text(page)
    assert open_task(api, case)["urge_count"] == 0

"""抄送 on the pages (issue 11): the task page's form and list, the case page's list, the inbox tab
抄送我的, and the case a copy lets its reader see.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. 张伟 (办公室) registers a
disclosure request for 规划处.
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.pages import logged_in, page_text
from tests.service.test_copies_api import copied
from tests.service.test_inbox_api import registered


@pytest.fixture
def person(app):
    """A browser logged in through the log-in page: person("liu.yang")."""
    return lambda username: logged_in(app, username)


def registration_of(api, case):
    (done,) = flows.view(api, case)["done_tasks"]
    return done


def test_zhang_wei_copies_from_the_step_he_did_and_liu_yang_reads_it_from_his_inbox(api, person):
    """张伟 copies the request from 登记申请 to 刘洋 with a note; 刘洋's 抄送我的 shows it unread until he opens the case."""
    case = registered(api, "2026-03-02")
    step = registration_of(api, case)
    zhang = person("zhang.wei")
    html = zhang.text(f"/tasks/{step['id']}")
    assert "<summary>抄送</summary>" in html and '<optgroup label="规划处">' in html
    assert '<option value="liu.yang">刘洋（处室负责人）</option>' in html
    assert 'value="zhang.wei"' not in html  # not oneself
    done = zhang.submit(
        f"/tasks/{step['id']}", f"/tasks/{step['id']}/copy", {"to": ["liu.yang"], "note": "请关注答复口径"}
    )
    assert done.status_code == 302 and done.headers["Location"] == f"/tasks/{step['id']}"
    text = page_text(zhang.get(f"/tasks/{step['id']}"))
    assert "已抄送给刘洋" in text
    assert "抄送 刘洋 张伟 抄送于 2026-03-02 09:00（登记申请） 未读 附言：请关注答复口径" in text

    liu = person("liu.yang")
    inbox = page_text(liu.get("/inbox"))
    assert "抄送我的 1" in inbox
    tab = page_text(liu.get("/inbox?tab=copies"))
    assert case["tracking_number"] in tab and "请公开2025年建设用地规划许可证发放目录" in tab
    assert "张伟 （登记申请） 请关注答复口径 2026-03-02 09:00 未读" in tab
    assert "未读 1 项" in tab
    seen = page_text(liu.get(f"/cases/{case['id']}"))
    assert "刘洋 张伟 抄送于 2026-03-02 09:00（登记申请） 已读 2026-03-02 09:00" in seen
    assert "抄送 登记申请；阅知人 刘洋；附言：请关注答复口径" in seen  # the history line
    assert "本案件已抄送给您阅知" in seen
    after = page_text(liu.get("/inbox?tab=copies"))
    assert "已读 2026-03-02 09:00" in after and "抄送我的 0" in after
    assert "没有未读的抄送" in page_text(liu.get("/inbox?tab=copies&unread=1"))
    assert "抄送 刘洋" in page_text(zhang.get(f"/cases/{case['id']}"))  # 张伟 sees it read


def test_a_copy_lets_hu_jun_read_the_case_but_not_its_tasks(api, person):
    """胡军 (信访处) copied: the case page, its diagram and the search show it; its task stays not found to him."""
    case = registered(api, "2026-03-02")
    hu = person("hu.jun")
    assert hu.get(f"/cases/{case['id']}").status_code == 404
    copied(api, case, "zhang.wei", ["hu.jun"])
    assert hu.get(f"/cases/{case['id']}").status_code == 200
    assert hu.get(f"/cases/{case['id']}/diagram").status_code == 200
    assert case["tracking_number"] in page_text(hu.get("/cases?q=" + case["tracking_number"]))
    draft = flows.open_task(api, case)
    assert hu.get(f"/tasks/{draft['id']}").status_code == 404
    page = hu.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "起草答复" in page and f'href="/tasks/{draft["id"]}"' not in page  # named, not a dead link
    refused = hu.submit(f"/cases/{case['id']}", f"/tasks/{draft['id']}/copy", {"to": ["ma.li"]})
    assert refused.status_code == 404


def test_the_form_is_offered_only_to_those_who_may_copy(api, person):
    """王芳 may act on 起草答复: the form; 赵磊 oversees 规划处 and may look, not copy: no form, and a forged post is refused."""
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    assert "<summary>抄送</summary>" in person("wang.fang").text(f"/tasks/{draft['id']}")
    zhao = person("zhao.lei")
    assert "<summary>抄送</summary>" not in zhao.text(f"/tasks/{draft['id']}")
    forged = zhao.submit(f"/tasks/{draft['id']}", f"/tasks/{draft['id']}/copy", {"to": ["hu.jun"]})
    assert forged.status_code == 302
    text = page_text(zhao.get(f"/tasks/{draft['id']}"))
    assert "只有本案件待办环节的办理人员或办理过本案件的人员可以抄送" in text
    assert flows.view(api, case)["history"][-1]["kind"] != "case_copied"


def test_copying_nobody_or_a_stranger_says_why_and_copies_nothing(api, person):
    """王芳 submits without choosing anyone, then a name nobody has: each time the reason in Chinese."""
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    wang = person("wang.fang")
    wang.submit(f"/tasks/{draft['id']}", f"/tasks/{draft['id']}/copy", {"note": "请阅"})
    assert "请选择抄送对象" in page_text(wang.get(f"/tasks/{draft['id']}"))
    wang.submit(f"/tasks/{draft['id']}", f"/tasks/{draft['id']}/copy", {"to": ["no.one"]})
    assert "以下人员不存在或已停用：no.one" in page_text(wang.get(f"/tasks/{draft['id']}"))
    assert api.get(f"/process-instances/{case['id']}/copies", "wang.fang").get_json()["items"] == []


def test_the_form_needs_its_csrf_token(api, person):
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    response = person("wang.fang").client.post(f"/tasks/{draft['id']}/copy", data={"to": "hu.jun"})
    assert response.status_code == 400


def test_a_note_is_shown_as_text_everywhere(api, person):
    """A note <script>… is escaped on the task page, the case page and in the inbox tab."""
    case = registered(api, "2026-03-02")
    copied(api, case, "zhang.wei", ["liu.yang"], "<script>alert(1)</script>")
    draft = flows.open_task(api, case)
    liu = person("liu.yang")
    for path in ("/inbox?tab=copies", f"/tasks/{draft['id']}", f"/cases/{case['id']}"):
        html = liu.text(path)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_copy_notification_links_to_the_case(api, person):
    """刘洋's notification says 抄送 and links to the case; opening the case reads it."""
    case = registered(api, "2026-03-02")
    copied(api, case, "zhang.wei", ["liu.yang"], "请阅")
    liu = person("liu.yang")
    html = liu.text("/notifications")
    assert "抄送" in page_text(liu.get("/notifications")) and f'href="/cases/{case["id"]}"' in html
    liu.get(f"/cases/{case['id']}")
    assert 'id="unread-count"' not in liu.text("/notifications")


def test_an_unknown_inbox_tab_names_copies_among_the_tabs(person):
    response = person("liu.yang").get("/inbox?tab=nope")
    assert response.status_code == 400 and "copies" in response.get_data(as_text=True)

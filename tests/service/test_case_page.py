"""The case page GET /cases/<id> and the case search GET /cases (issue 11).

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. A disclosure request registered as
received on Mon 2 Mar is due for its reply on Mon 30 Mar 24:00 (REQ-2: 20 working days).
"""

from __future__ import annotations

import re

import pytest

from tests.service import flows
from tests.service.pages import Pages, logged_in, page_text
from tests.service.test_inbox_api import registered


@pytest.fixture
def browser(app):
    """A browser session logged in through the log-in page as a demo user: browser("wang.fang")."""
    return lambda username: logged_in(app, username).client


def test_req2_a_registered_request_shows_its_deadlines_and_history_in_chinese(api, browser):
    """王芳 opens a request registered 2 Mar: the reply deadline (20 working days, due 2026-03-30 24:00, 剩余20个工作日), registration 按期办结, and the history in order in Chinese."""
    case = registered(api, "2026-03-02", applicant="李四")
    response = browser("wang.fang").get(f"/cases/{case['id']}")
    assert response.status_code == 200
    text = page_text(response)
    assert case["process"]["name"] in text
    assert case["tracking_number"] in text and "李四" in text and "办理中" in text
    assert "规划处" in text  # the owning department
    assert "20个工作日" in text and "剩余20个工作日" in text
    assert "到期 2026-03-30 24:00" in text  # as Mon 30 Mar closes, not "03-31 00:00"
    assert "按期办结" in text  # 登记申请 was done on its day
    history = re.findall(r'<li class="history-([a-z_]+)">', response.get_data(as_text=True))
    assert history[0] == "started"
    assert history.index("task_completed") > history.index("task_created")
    assert "发起案件" in text and "生成待办" in text and "办结环节" in text and "张伟" in text
    draft = flows.open_task(api, case)
    assert f'href="/tasks/{draft["id"]}"' in response.get_data(as_text=True)
    assert "起草答复" in text


def test_the_diagram_json_names_the_finished_current_and_overdue_steps(api, browser):
    """The drawing's data: 登记申请 finished, 起草答复 current, nothing overdue yet; the XML is the deployed diagram."""
    case = registered(api, "2026-03-02")
    response = browser("wang.fang").get(f"/cases/{case['id']}/diagram")
    assert response.status_code == 200
    marks = response.get_json()
    assert "<bpmn:definitions" in marks["xml"] or "definitions" in marks["xml"]
    draft = flows.open_task(api, case)
    assert marks["current"] == [draft["task_spec"]]
    assert marks["overdue"] == []
    done = [t["task_spec"] for t in flows.view(api, case)["done_tasks"]]
    assert marks["finished"] == sorted(set(done))


def test_esc1_an_overdue_step_is_marked_on_the_page_and_in_the_diagram_data(api, browser, clock):
    """On Wed 1 Apr the reply due Mon 30 Mar is overdue: 已超期2个工作日 marked 超期 in text, and 起草答复 is in the overdue list."""
    case = registered(api, "2026-03-02")
    clock.set("2026-04-01T02:00:00+00:00")
    client = browser("wang.fang")
    text = page_text(client.get(f"/cases/{case['id']}"))
    assert "已超期2个工作日" in text and "超期" in text
    marks = client.get(f"/cases/{case['id']}/diagram").get_json()
    assert marks["overdue"] == marks["current"] == [flows.open_task(api, case)["task_spec"]]


def test_another_departments_officer_gets_not_found_for_page_and_diagram(api, browser):
    """胡军 of 信访办 is not involved in a planning disclosure request: 404 on both, the page in Chinese."""
    case = registered(api, "2026-03-02")
    client = browser("hu.jun")
    page = client.get(f"/cases/{case['id']}")
    assert page.status_code == 404 and "案件不存在" in page.get_data(as_text=True)
    assert client.get(f"/cases/{case['id']}/diagram").status_code == 404
    assert client.get("/cases/999999").status_code == 404


def test_the_pages_need_a_login(api, app):
    case = registered(api, "2026-03-02")
    response = Pages(app).get(f"/cases/{case['id']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_user_text_is_escaped_on_the_case_page_and_in_search(api, browser):
    """An applicant named <script>… is shown as text, never as markup."""
    case = registered(api, "2026-03-02", applicant="<script>alert(1)</script>")
    client = browser("wang.fang")
    for path in (f"/cases/{case['id']}", "/cases?q=script"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_finds_by_tracking_number_and_applicant_not_other_departments_cases(api, browser):
    """王芳 finds her department's request by its number and by 李四; 胡军 of 信访办 finds neither."""
    mine = registered(api, "2026-03-02", applicant="李四")
    other = registered(api, "2026-03-02", applicant="王小明")
    client = browser("wang.fang")
    by_number = page_text(client.get(f"/cases?q={mine['tracking_number']}"))
    assert mine["tracking_number"] in by_number and other["tracking_number"] not in by_number
    by_name = client.get("/cases?q=李四").get_data(as_text=True)
    assert f'href="/cases/{mine["id"]}"' in by_name and f'href="/cases/{other["id"]}"' not in by_name
    everything = page_text(client.get("/cases"))
    assert "共 2 件" in everything
    outsider = browser("hu.jun")
    assert mine["tracking_number"] not in page_text(outsider.get(f"/cases?q={mine['tracking_number']}"))
    assert "没有找到符合条件的案件" in page_text(outsider.get("/cases?q=李四"))


def test_search_escapes_like_wildcards_and_is_linked_from_the_header(api, browser):
    registered(api, "2026-03-02", applicant="李四")
    client = browser("wang.fang")
    assert "没有找到符合条件的案件" in page_text(client.get("/cases?q=%25"))
    assert "共 1 件" in page_text(client.get("/cases?q=四"))
    assert 'href="/cases"' in client.get("/inbox").get_data(as_text=True)
    assert client.get("/cases?q=" + "字" * 101).status_code == 400


def test_pet2_nat5_xingning_the_page_shows_which_date_binds_the_lateness_and_the_waiting_window(
    app, api, api_for_profile, clock
):
    """xingning: received Mon 20 Apr 2026, its 2-working-day target (22 Apr) binds before the 60-day ceiling (22 Jun); answered Fri 24 Apr: 超期2个工作日办结; the petitioner's 30-day review window is marked 等待外部."""
    from tests.service.flows import serve
    from tests.service.test_petition_api import replied

    other = serve("xingning", api, app, api_for_profile)
    case = replied(other.api, clock, "2026-04-20", "2026-04-22", "2026-04-24")
    pages = Pages(other.app)
    assert pages.log_in("hu.jun").status_code == 302
    response = pages.get(f"/cases/{case['id']}")
    assert response.status_code == 200
    text = page_text(response)
    assert "超期2个工作日办结" in text
    assert "承诺时限 2个工作日（2026-04-22）" in text and "法定时限到期 2026-06-22" in text
    assert "以何为准 本地承诺时限" in text
    html = response.get_data(as_text=True)
    assert re.search(r'class="deadline-card deadline-running waiting">', html)
    assert "等待外部" in text
    # History lines about a deadline name it by its label, not its code.
    assert "开始计时 信访事项办理期限" in text and "停止计时（期限已满足） 信访事项办理期限" in text
    assert "开始计时 请求复查期限；等待外部" in text


def test_an_unknown_history_kind_is_shown_by_its_code(app):
    """A history line of a kind the page has no words for still shows, by its code."""
    from service.models import CaseEvent
    from service.services.case_view import history_lines

    (line,) = history_lines([CaseEvent(kind="survey_reopened", details={}, actor=None, at=None)])
    assert (line.what, line.who) == ("survey_reopened", "系统")


def test_search_lists_twenty_cases_a_page_newest_first(api, browser):
    """张伟 started 21 requests: the first page holds the 20 newest, the second the first one."""
    started = [flows.start(api, "disclosure_request", "zhang.wei", flows.START) for _ in range(21)]
    client = browser("zhang.wei")
    first = client.get("/cases").get_data(as_text=True)
    assert "共 21 件" in first and "第 1 / 2 页" in first
    assert f'href="/cases/{started[-1]["id"]}"' in first and f'href="/cases/{started[0]["id"]}"' not in first
    second = client.get("/cases?page=2").get_data(as_text=True)
    assert re.findall(r'href="/cases/(\d+)"', second) == [str(started[0]["id"])]


def test_a_case_id_beyond_the_databases_range_is_not_found_not_a_fault(browser):
    """/cases/99999999999999999999 (and its diagram data) is the Chinese not-found page, as the API's ids are."""
    client = browser("zhang.wei")
    for path in ("/cases/99999999999999999999", "/cases/99999999999999999999/diagram"):
        assert client.get(path).status_code == 404, path


def test_every_kind_of_history_line_has_its_chinese_words():
    """Does every history kind a use case can write read as Chinese on the case page, not as a code?"""
    from service.models.events import EventKind
    from service.services.case_view import EVENT_LABELS

    assert [kind for kind in EventKind if kind not in EVENT_LABELS] == []

"""管理 → 流程图 → 迁移运行中的案件 (issue 12): 预演, then 执行迁移 of the same selection."""
# ruff: noqa: F811  (deploy: a fixture of test_case_migration, used here by name)

from __future__ import annotations

import re

from .flows import view
from .pages import csrf_token, logged_in, page_text
from .test_case_migration import DRILL_KEY, deploy, drill, drill_v1, drill_v2, start_drill  # noqa: F401

DIAGRAM = f"/admin/diagrams/{DRILL_KEY}"
ACTION = f"{DIAGRAM}/migrations"
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The execute form's hidden fields, as the browser would send them."""
    form = html[html.index('value="execute"') - 200 :]
    return [(name, value) for name, value in HIDDEN.findall(form)]


def test_org4_preview_lists_the_case_then_execute_moves_it(app, api, deploy):
    """Does 预演 list the case on version 1 as movable, its task renamed, changing nothing, and 执行迁移 then move it?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill_v2())
    pages = logged_in(app, "admin")
    section = page_text(pages.get(DIAGRAM))
    assert "迁移运行中的案件" in section and "第 1 版（1 件运行中）" in section
    preview = pages.submit(DIAGRAM, ACTION, {"action": "preview", "to_version": "2"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    text = page_text(preview)
    assert "迁移预演" in text and "可以迁移 1 件" in text and "预演没有做任何改动" in text
    assert case["tracking_number"] in text and "改名：办理 → 受理办理" in text
    assert "执行迁移" in text
    assert view(api, case)["process"]["version"] == 1
    fields = [("csrf_token", csrf_token(html)), *hidden_fields(html)]
    assert ("case", str(case["id"])) in fields and ("to_version", "2") in fields
    done = pages.client.post(ACTION, data=_multi(fields))
    result = page_text(done)
    assert done.status_code == 200 and "迁移结果" in result and "已迁移 1 件" in result
    assert "执行迁移" not in result
    assert view(api, case)["process"]["version"] == 2


def test_execute_only_runs_the_selection_that_was_rehearsed(app, api, deploy):
    """A case id added to the rehearsed form, or no dry run at all: is 执行迁移 refused, nothing moved?"""
    deploy(drill_v1())
    first, second = start_drill(api), start_drill(api)
    deploy(drill_v2())
    pages = logged_in(app, "admin")
    html = pages.submit(
        DIAGRAM, ACTION, {"action": "preview", "from_version": "1", "to_version": "2"}
    ).get_data(as_text=True)
    fields = [(n, v) for n, v in hidden_fields(html) if (n, v) != ("case", str(second["id"]))]
    fields.append(("csrf_token", csrf_token(html)))
    altered = pages.client.post(ACTION, data=_multi(fields))
    assert altered.status_code == 422 and "请先预演" in page_text(altered)
    unrehearsed = pages.submit(
        DIAGRAM, ACTION, {"action": "execute", "to_version": "2", "case": str(first["id"])}
    )
    assert unrehearsed.status_code == 422 and "请先预演" in page_text(unrehearsed)
    assert [view(api, c)["process"]["version"] for c in (first, second)] == [1, 1]


def test_a_refused_case_shows_its_reason_and_no_execute_button_and_names_are_escaped(app, api, deploy):
    """A version dropping the open task: does 预演 say why in Chinese and offer no 执行迁移; is a diagram's name shown as typed?"""
    deploy(drill_v1())
    case = start_drill(api)
    deploy(drill(task_id="handle_v2"))
    pages = logged_in(app, "admin")
    preview = pages.submit(DIAGRAM, ACTION, {"action": "preview"})
    text = page_text(preview)
    assert "不能迁移 1 件" in text and "待办任务“办理”（handle）在新版本中不存在" in text
    assert "执行迁移" not in text
    assert view(api, case)["process"]["version"] == 1
    deploy(drill(name="&lt;i&gt;受理"))
    html = pages.submit(DIAGRAM, ACTION, {"action": "preview", "to_version": "3"}).get_data(as_text=True)
    assert "改名：办理 → &lt;i&gt;受理" in html and "<i>受理" not in html


def test_others_and_forged_posts_are_refused(app, api, deploy):
    """Does staff get 404, a post without the CSRF token 400, and a version that does not exist a message?"""
    deploy(drill_v1())
    start_drill(api)
    deploy(drill_v2())
    officer = logged_in(app, "li.na")
    assert officer.submit("/inbox", ACTION, {"action": "preview"}).status_code == 404
    admin = logged_in(app, "admin")
    assert admin.client.post(ACTION, data={"action": "preview"}).status_code == 400
    wrong = admin.submit(DIAGRAM, ACTION, {"action": "preview", "to_version": "9"})
    assert wrong.status_code == 422 and "没有第 9 版" in page_text(wrong)


def _multi(fields: list[tuple[str, str]]):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)

"""收件箱: the staff's inbox page, tabs with counts, filters, rows by deadline (issue 11).

It reads the same use cases as GET /tasks and /tasks/counts, so nobody sees on the page what the
API would not show them.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import copies, queries
from ..services import inbox as inbox_rows
from ..services.deployment import latest_definitions
from . import bp, copy_pages, page_arg

PER_PAGE = 20
# tab: (scope, status) as list_tasks takes them, and the tab's name.
TABS = {
    "actionable": ("actionable", "open", "待我办理"),
    "mine": ("mine", "open", "我的在办"),
    "department": ("department", "open", "本处室"),
    "done": ("mine", "done", "已办"),
}
DUE_STATES = {"soon": "即将到期", "overdue": "已超期", "provisional": "期限暂定"}


COPIES_TAB = "copies"  # 抄送我的: copies of cases sent to me (copy_pages), counted unread


@bp.get("/inbox")
@login_required
def inbox():
    tab = request.args.get("tab") or "actionable"
    tabs = {
        "tab": tab,
        "tabs": [(key, label) for key, (_, _, label) in TABS.items()] + [(COPIES_TAB, "抄送我的")],
        "counts": {**queries.task_counts(current_user), COPIES_TAB: copies.unread_count(current_user)},
    }
    if tab == COPIES_TAB:
        return copy_pages.inbox_tab(tabs)
    if tab not in TABS:
        raise ServiceError(
            "invalid_parameter", "tab 只能是 actionable、mine、department、done 或 copies", 400, field="tab"
        )
    scope, status, _ = TABS[tab]
    process = request.args.get("process") or None
    due = request.args.get("due") or None
    if status == "done":
        due = None  # a deadline state means nothing for finished work
    q = request.args.get("q") or ""
    page = queries.list_tasks(current_user, scope, status, page_arg(), PER_PAGE, due, process, q or None)
    filters = {"process": process or "", "due": due or "", "q": q}
    return render_template(
        "inbox.html",
        **tabs,
        flows=[(row.key, row.name) for row in latest_definitions()],
        due_states=DUE_STATES,
        filters=filters,
        page=page,
        rows=inbox_rows.rows(page.items),
        pages=None if page.total_capped else max(1, -(-page.total // PER_PAGE)),  # None: not counted
        link_args={"tab": tab, **{k: v for k, v in filters.items() if v}},
    )

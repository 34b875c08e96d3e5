"""Server-rendered staff pages: a face beside the JSON API over the same use cases in services/.

Every page form carries a CSRF token (Flask-WTF, set up in create_app); a page that needs a person
sends anyone without a session to /login?next=… (service.auth).
"""

from datetime import datetime

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from workflows.calendar import SERVICE_TZ

from ..errors import ServiceError
from ..services import column_risk, columns, notifications, org, statistics

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("index.html")


@bp.app_context_processor
def header():
    """What the header of every page shows: who is logged in, for which department, unread count."""
    if not current_user.is_authenticated:
        return {}
    department = org.home_department(current_user)
    return {
        "department_name": department.name if department else "",
        "unread_count": notifications.unread_count(current_user),
        "is_leader": org.is_leader(current_user),  # the 领导督办 link
        "sees_statistics": statistics.may_read(current_user),  # the 统计 link
        "keeps_columns": columns.may_keep(current_user),  # the 网站栏目 link
        "sees_column_risk": column_risk.may_read(current_user),
    }


@bp.app_template_filter("beijing_iso")
def beijing_iso(moment: str) -> str:
    """An ISO moment from a shared view (a token's) as people here read it."""
    return beijing(datetime.fromisoformat(moment))


@bp.app_template_filter("beijing")
def beijing(moment: datetime) -> str:
    """A moment as people here read it: Beijing time, to the minute."""
    return moment.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")


def page_arg(most: int = 100000) -> int:
    """The ?page= a person asked for; anything that is no page number reads as the first page."""
    raw = request.args.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 1
    return max(1, min(number, most))


@bp.errorhandler(ServiceError)
def refused(err: ServiceError):
    """A use case's refusal on a page (a hand-made address with a filter that does not exist): the
    message in Chinese on a page, not the API's problem+json."""
    return render_template("refused.html", message=err.message, field=err.field), err.status


def too_large_page():
    """A form whose body is over the request limit (a word list or a settings file to import), refused
    before it is read: said in Chinese, with the way back to the page it came from."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024 // 1024
    message = f"提交的内容超过 {limit} MB，未保存任何内容：请拆分成较小的文件后再提交"
    came_from = request.referrer or ""
    back = came_from if came_from.startswith(request.host_url) else None
    return render_template("refused.html", message=message, back=back), 413


@bp.app_errorhandler(CSRFError)
def csrf_refused(err: CSRFError):
    return render_template("csrf_error.html"), 400


from . import (  # noqa: E402,F401  (pages register on import)
    account,
    admin_audit,
    admin_calendar,
    admin_duties,
    admin_pages,
    admin_screening,
    attachment_pages,
    case_pages,
    column_pages,
    copy_pages,
    delegation_pages,
    diagram_editor_pages,
    inbox,
    leader_pages,
    migration_pages,
    notification_pages,
    org_pages,
    report_pages,
    rewind_pages,
    start_pages,
    stats_pages,
    task_pages,
    token_pages,
    transfer_pages,
)

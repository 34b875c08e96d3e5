"""Server-rendered staff pages: a face beside the JSON API over the same use cases in services/.

Every page form carries a CSRF token (Flask-WTF, set up in create_app); a page that needs a person
sends anyone without a session to /login?next=… (service.auth).
"""

import importlib
import importlib.util
from datetime import datetime

from flask import Blueprint, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from workflows.calendar import SERVICE_TZ

from ..services import notifications, org

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
    }


@bp.app_template_filter("beijing")
def beijing(moment: datetime) -> str:
    """A moment as people here read it: Beijing time, to the minute."""
    return moment.astimezone(SERVICE_TZ).strftime("%Y-%m-%d %H:%M")


@bp.app_errorhandler(CSRFError)
def csrf_refused(err: CSRFError):
    return render_template("csrf_error.html"), 400


from . import account, notification_pages  # noqa: E402,F401  (pages register on import)

# The inbox (service/web/inbox.py, endpoint web.inbox) comes from its own branch; on merge this
# becomes a plain `from . import inbox` beside the others. Only a missing module is skipped: an
# inbox that fails to import still fails loudly.
if importlib.util.find_spec(f"{__name__}.inbox") is not None:
    importlib.import_module(f"{__name__}.inbox")

"""Server-rendered pages (the staff pages come later; for now the landing page)."""

from flask import Blueprint, render_template

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("index.html")


from . import inbox  # noqa: E402,F401

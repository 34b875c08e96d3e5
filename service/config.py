"""Settings from the environment; the defaults make `make run` work with nothing else."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: DATABASE_URL, or an SQLite file under instance/."""
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'govflow.db'}"
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    return raw


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(instance_path: str) -> dict:
    """The configuration the app starts with, before any overrides a caller passes."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL"), instance_path),
        # A pooled connection is checked before use, so one a restarted PostgreSQL dropped is
        # replaced instead of failing a request (issue 15); with SQLite the check costs next to nothing.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Log lines: "text" (readable, the default) or "json" (one object per line, issue 15).
        "GOVFLOW_LOG_FORMAT": os.environ.get("GOVFLOW_LOG_FORMAT", "text"),
        # Failed attempts per address before further attempts wait (issue 15): wrong bearer tokens on
        # the API, failed log-ins on the log-in page.
        "GOVFLOW_BAD_TOKEN_LIMIT": os.environ.get("GOVFLOW_BAD_TOKEN_LIMIT", "20/minute;200/day"),
        "GOVFLOW_LOGIN_LIMIT": os.environ.get("GOVFLOW_LOGIN_LIMIT", "10/minute;100/day"),
        "GOVFLOW_PROFILE": os.environ.get("GOVFLOW_PROFILE", "national"),
        # The code of the department that compiles the statistics (办公室): its people read them all.
        "GOVFLOW_OFFICE_DEPARTMENT": os.environ.get("GOVFLOW_OFFICE_DEPARTMENT", "office"),
        # The information centre that keeps the column register (COL-2, COL-4).
        "GOVFLOW_CENTRE_DEPARTMENT": os.environ.get("GOVFLOW_CENTRE_DEPARTMENT", "info_center"),
        # The hour (Beijing time) at which a deadline's last day closes; 24 = midnight at its end.
        "GOVFLOW_DAY_CLOSES_AT": int(os.environ.get("GOVFLOW_DAY_CLOSES_AT", "24")),
        # Without Redis, `flask serve` runs the sweep in-process every this many seconds.
        "GOVFLOW_SWEEP_SECONDS": int(os.environ.get("GOVFLOW_SWEEP_SECONDS", "60")),
        # A due clock or timer the sweep handed out is published again only after this many seconds
        # if its job has not finished by then (a lost job, issue 15).
        "GOVFLOW_REQUEUE_SECONDS": int(os.environ.get("GOVFLOW_REQUEUE_SECONDS", "300")),
        # The audit chain's head appended to a file kept outside the database, hourly (issue 14).
        "GOVFLOW_AUDIT_ANCHORS": os.environ.get("GOVFLOW_AUDIT_ANCHORS", ""),
        "GOVFLOW_AUDIT_ANCHOR_MINUTES": int(os.environ.get("GOVFLOW_AUDIT_ANCHOR_MINUTES", "60")),
        "MAIL_SMTP_HOST": os.environ.get("MAIL_SMTP_HOST") or None,
        "MAIL_SMTP_PORT": os.environ.get("MAIL_SMTP_PORT") or None,
        "MAIL_SMTP_USER": os.environ.get("MAIL_SMTP_USER") or None,
        "MAIL_SMTP_PASSWORD": os.environ.get("MAIL_SMTP_PASSWORD") or None,
        "MAIL_SMTP_STARTTLS": os.environ.get("MAIL_SMTP_STARTTLS") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM") or None,
        # SMS (issue 13): console, log or package.module:Class (service/mail.py); unset: the console
        # without SMTP, the log with it.
        "GOVFLOW_SMS_GATEWAY": os.environ.get("GOVFLOW_SMS_GATEWAY") or None,
        # Where the public reaches this service: notices to applicants end with its status page.
        "GOVFLOW_PUBLIC_URL": os.environ.get("GOVFLOW_PUBLIC_URL", "http://localhost:5000").rstrip("/"),
        # The largest body a public form may send (issue 13): the longest letter in Chinese, sent
        # form-encoded, is under 100 KB; anything larger is refused before it is read.
        "GOVFLOW_PUBLIC_MAX_BYTES": int(os.environ.get("GOVFLOW_PUBLIC_MAX_BYTES", str(256 * 1024))),
        "BPMN_DIR": os.environ.get("GOVFLOW_BPMN_DIR", str(REPO_ROOT / "bpmn")),
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # Attachments (issue 11): the folder of the local file store, and the limits. The upload
        # routes alone take a body this large; every other request keeps MAX_CONTENT_LENGTH.
        "GOVFLOW_FILES": os.environ.get("GOVFLOW_FILES") or str(Path(instance_path) / "files"),
        # The daily backup (ORG-5): its folder and how many of the newest to keep.
        "GOVFLOW_BACKUP_DIR": os.environ.get("GOVFLOW_BACKUP_DIR") or str(Path(instance_path) / "backups"),
        "GOVFLOW_BACKUP_KEEP": int(os.environ.get("GOVFLOW_BACKUP_KEEP", "14")),
        "GOVFLOW_ATTACHMENT_MAX_MB": int(os.environ.get("GOVFLOW_ATTACHMENT_MAX_MB", "20")),
        "GOVFLOW_ATTACHMENTS_PER_CASE": int(os.environ.get("GOVFLOW_ATTACHMENTS_PER_CASE", "20")),
        # Comma-separated extensions, e.g. "pdf,ofd,docx"; empty: attachment_rules.MEDIA_TYPES.
        "GOVFLOW_ATTACHMENT_TYPES": os.environ.get("GOVFLOW_ATTACHMENT_TYPES", ""),
        # The staff pages' session cookie: never readable by script, not sent with another site's
        # requests, and only over HTTPS when the service is served over HTTPS (GOVFLOW_HTTPS=1).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("GOVFLOW_HTTPS") == "1",
        # How many reverse proxies (load balancers) stand in front and set X-Forwarded-For/-Proto: the
        # client's address (log-in lock-outs, the public rate limits) is read from them. 0: the
        # connection's address, and a client's own X-Forwarded-For is ignored.
        "GOVFLOW_PROXY_HOPS": int(os.environ.get("GOVFLOW_PROXY_HOPS", "0")),
        # A form's CSRF token lasts as long as the session: a long form left open must still submit.
        "WTF_CSRF_TIME_LIMIT": None,
        # Account rules (ORG-2): GOVFLOW_ACCOUNT_MIN_LENGTH, _HISTORY, _MAX_AGE_DAYS, … (the field
        # names of workflows.accounts.AccountPolicy); absent ones keep the policy's defaults.
        **{key: int(value) for key, value in os.environ.items() if key.startswith("GOVFLOW_ACCOUNT_")},
    }

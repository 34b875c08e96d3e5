"""Operator commands: `flask --app service <command>`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.serving import run_simple

from workflows.engine.problems import DiagramProblem
from workflows.engine.timers import to_moment
from workflows.engine.validation import validate_diagram
from workflows.profiles import PROFILES

from .errors import ServiceError
from .extensions import db
from .models import User
from .services import (
    attachments,
    audit_anchor,
    audit_chain,
    backup,
    backup_daily,
    calendar,
    case_admin,
    demo,
    deployment,
    jobs,
    opinion_backfill,
    org,
    restore,
    screening,
    tokens,
)
from .services.engine import now
from .services.jobs import InlinePublisher
from .services.org import org_view
from .services.screening_files import read_rows, write_csv
from .sweeper import start_sweeper


def init_app(app: Flask) -> None:
    from .schema import upgrade_command, wait_for_schema_command

    for command in (
        upgrade_command,
        wait_for_schema_command,
        seed_demo,
        create_user,
        create_token,
        deploy,
        validate,
        sweep,
        files_sweep,
        calendar_day,
        calendar_confirm,
        screening_import,
        screening_export,
        cancel_case,
        migrate_case,
        backfill_opinions,
        serve,
        audit_group,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


def _fail(err: ServiceError) -> None:
    lines = [err.message]
    if len(err.errors) > 1:  # an import names every row at fault; its message sums up only a few
        lines += [f"  - {e['message']}" for e in err.errors]
    raise click.ClickException("\n".join(lines))


def _report(files: list[Path], check: Callable[[Path], list[DiagramProblem]], outcome: str = "") -> None:
    """Print each diagram's problems, one a line (the message names the element, then the code).

    Raises ClickException (exit 1) when any diagram has one: `validate` and a refused `deploy` both
    end here, so an administrator reads the same report from either.
    """
    failed = 0
    for path in files:
        problems = check(path)
        click.echo(f"{path.name}: {'ok' if not problems else f'{len(problems)} 个问题'}")
        for problem in problems:
            click.echo(f"  - {problem}")
        failed += bool(problems)
    if failed:
        raise click.ClickException(f"{len(files)} 个流程图中有 {failed} 个不能部署{outcome}")


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password", default=demo.DEMO_PASSWORD, show_default=True, help="Password of every demo account."
)
def seed_demo(password: str) -> None:
    """Create the demo organisation (departments, people, roles); safe to run again."""
    created = demo.seed_demo(password)
    click.echo(
        f"demo organisation ready: {created['departments']} departments and {created['users']} people added, "
        f"{created['terms']} screening terms loaded"
    )


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--name", required=True, help="Real name (姓名).")
@click.option("--department", help="Department code.")
@click.option("--role", help="member, information_officer, section_head, leader_in_charge, principal_leader")
@click.option("--admin", is_flag=True, help="An administrator needs no department.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(username, name, department, role, admin, password) -> None:
    """Create a person's account."""
    try:
        user = org.create_user(username, name, password, department=department, role=role, admin=admin)
    except ServiceError as err:
        _fail(err)
    click.echo(f"created {user.username} ({user.name})")


@click.command("create-token")
@with_appcontext
@click.argument("username")
@click.option("--name", default="命令行令牌", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=None, help="Days until it expires (default 90, at most 365).")
def create_token(username: str, name: str, days: int | None) -> None:
    """Print a new bearer token for a person."""
    try:
        click.echo(tokens.create_token_for(username, name, days))
    except ServiceError as err:
        _fail(err)


@click.command("deploy")
@with_appcontext
@click.argument("directory", required=False)
def deploy(directory: str | None) -> None:
    """Deploy the diagrams in bpmn/ (or DIRECTORY), all or none, after every check `validate` makes;
    unchanged files get no new version."""
    folder = Path(directory or current_app.config["BPMN_DIR"])
    try:
        results = deployment.deploy_directory(folder)
    except ServiceError as err:
        if err.code == "invalid_diagram":  # nothing was stored: say what is wrong in every file
            files = sorted(folder.glob("*.bpmn"))
            _report(files, lambda p: deployment.diagram_problems(p.stem, p.read_bytes()), "，一个也没有部署")
        _fail(err)
    for r in results:
        click.echo(f"{r.key}: version {r.version}" + (" (new)" if r.created else " (unchanged)"))


@click.command("sweep")
@with_appcontext
@click.option(
    "--now", "moment", help="Sweep as if it were this moment (ISO date-time; naive = Beijing time)."
)
def sweep(moment: str | None) -> None:
    """Run one sweep: fire due timers, send due reminders and escalations, deliver messages."""
    at = None
    if moment:
        try:
            at = to_moment(moment)
        except ValueError as err:
            raise click.BadParameter(f"not an ISO date-time: {moment}", param_hint="--now") from err
    report = jobs.sweep(at, InlinePublisher())
    click.echo(f"sweep at {(at or jobs.now()).isoformat()}: {report}")


@click.command("files-sweep")
@with_appcontext
@click.option(
    "--min-age",
    "minutes",
    type=click.IntRange(min=1),
    default=int(attachments.STRAY_AGE // 60),
    show_default=True,
    help="Only files stored at least this many minutes ago (an upload still being committed is younger).",
)
def files_sweep(minutes: int) -> None:
    """Delete stored files no attachment names (a crash between storing and committing, a removal
    whose file could not be deleted) and unfinished writes."""
    removed = attachments.sweep_stray_files(minutes * 60.0)
    click.echo(f"files-sweep: {removed} stray file(s) deleted")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path())
def backup_command(path: str) -> None:
    """Write a consistent backup of the database and the stored files to PATH (a new .tar.gz file,
    or in a folder that exists, a new govflow-YYYYMMDD-HHMMSS.tar.gz in it), with its SHA-256 beside
    it; a file that exists is never overwritten (ORG-5)."""
    target = Path(path)
    if target.is_dir():
        target = target / backup_daily.backup_name(now())
    try:
        manifest = backup.write_backup(target)
    except ServiceError as err:
        _fail(err)
    click.echo(f"备份已写出：{target}（{_held(manifest)}）")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Only check every checksum of the backup; write nothing.")
def restore_command(path: str, check: bool) -> None:
    """Restore the backup at PATH into this empty database (migrated to the backup's revision) and
    the file store, all or nothing, after checking every checksum (ORG-5)."""
    try:
        manifest = restore.verify_backup(Path(path)) if check else restore.restore_backup(path)
    except ServiceError as err:
        _fail(err)
    if check:
        click.echo(f"备份完好：{manifest['created_at']} 的数据（{_held(manifest)}），未写入任何数据")
        return
    click.echo(f"已恢复 {manifest['created_at']} 的备份（{_held(manifest)}）；可用 audit verify 核对审计链")


def _held(manifest: dict) -> str:
    rows = sum(t["rows"] for t in manifest["tables"])
    tables, files = len(manifest["tables"]), len(manifest["files"])
    return f"数据库版本 {manifest['revision']}，{tables} 张表 {rows} 行，{files} 个附件文件"


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit chain (issue 14)."""


@audit_group.command("verify")
@click.option(
    "--anchors",
    "anchors_file",
    type=click.Path(dir_okay=False),
    help="a file of anchors kept outside the database (default: GOVFLOW_AUDIT_ANCHORS)",
)
@with_appcontext
def audit_verify(anchors_file: str | None) -> None:
    """Seal what is pending, then recompute the whole chain and compare it with the anchors kept
    outside the database: OK with the count, or the first broken link (its seq, the row and what
    differs) and exit code 1."""
    path = Path(anchors_file) if anchors_file else audit_anchor.anchors_path()
    if path is not None and not path.exists():
        raise click.ClickException(f"锚点文件 {path} 不存在")
    try:
        anchors = audit_anchor.read(path) if path is not None else []
    except audit_anchor.AnchorFileError as err:
        raise click.ClickException(str(err)) from err
    sealed = audit_chain.seal()
    verdict = audit_chain.verify(anchors)
    if verdict.broken:
        broken = verdict.broken
        row = f"{broken.table} #{broken.id}" if broken.table else "（无此条）"
        raise click.ClickException(
            f"审计链断裂：第 {broken.seq} 条（{row}）：{broken.problem}；之前的 {verdict.count} 条完好"
        )
    checked = f"，与 {len(anchors)} 个外部锚点相符" if anchors else ""
    counted = f"共 {verdict.count} 条（本次封存 {sealed} 条）{checked}"
    click.echo(f"OK：审计链完好，{counted}，末尾哈希 {verdict.head_hash}")


@click.command("calendar-day")
@with_appcontext
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--workday/--holiday", required=True, help="A make-up workday (调休上班) or a holiday (放假).")
@click.option("--note", default="", help="e.g. 春节 or 春节调休.")
@click.option("--as", "username", default="admin", show_default=True, help="The administrator entering it.")
def calendar_day(day, workday: bool, note: str, username: str) -> None:
    """Enter or correct one day of the official calendar; running deadlines are recomputed."""
    try:
        calendar.set_day(_admin(username), day.date(), workday, note)
    except ServiceError as err:
        _fail(err)
    click.echo(f"{day.date().isoformat()}: {'工作日' if workday else '休息日'} {note}".rstrip())


@click.command("calendar-confirm")
@with_appcontext
@click.argument("year", type=int)
@click.option("--withdraw", is_flag=True, help="Withdraw the confirmation: deadlines are provisional again.")
@click.option("--as", "username", default="admin", show_default=True)
def calendar_confirm(year: int, withdraw: bool, username: str) -> None:
    """Declare a year's official days complete (NAT-8), or withdraw that; prints the days that count."""
    change = calendar.withdraw_year if withdraw else calendar.confirm_year
    try:
        view = change(_admin(username), year)
    except ServiceError as err:
        _fail(err)
    click.echo(f"{year}: {'已确认（正式）' if view['official'] else '未确认（暂定）'}")
    for label, key in (("录入", "entered_days"), ("暂按法定节假日", "provisional_days")):
        for day in view[key]:
            kind = "上班" if day["workday"] else "放假"
            click.echo(f"  {label} {day['day']} {kind} {day['note']}".rstrip())


@click.command("screening-import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Also remove the terms FILE does not list.")
@click.option("--as", "username", default="admin", show_default=True, help="The administrator importing it.")
@click.option("--if-empty", is_flag=True, help="Only when the word list has no terms yet (first start).")
def screening_import(file: str, replace: bool, username: str, if_empty: bool) -> None:
    """Load a 错敏 word list from FILE (.csv in UTF-8 or .xlsx, header row), all or nothing."""
    if if_empty and screening.all_terms():
        click.echo("the word list has terms already: nothing imported")
        return
    try:
        counts = screening.import_terms(_admin(username), read_rows(file), replace=replace)
    except ServiceError as err:
        _fail(err)
    click.echo(", ".join(f"{count} {what}" for what, count in counts.items()))


@click.command("screening-export")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def screening_export(file: str) -> None:
    """Write the 错敏 word list to FILE.csv (UTF-8, header row), ready to edit and import again."""
    if not file.lower().endswith(".csv"):
        raise click.BadParameter("the file name must end in .csv", param_hint="FILE")
    click.echo(f"{write_csv(file, screening.all_terms())} terms written to {file}")


@click.command("cancel-case")
@with_appcontext
@click.argument("instance_id", type=int)
@click.option("--reason", required=True, help="Why the case is cancelled (撤销理由), kept in its history.")
@click.option("--withdrawn", is_flag=True, help="The applicant withdrew (撤回): clocks close as withdrawn.")
@click.option("--as", "username", default="admin", show_default=True, help="The administrator cancelling it.")
def cancel_case(instance_id: int, reason: str, withdrawn: bool, username: str) -> None:
    """Cancel a running case: its open tasks leave every inbox, its deadlines and timers stop."""
    try:
        instance = case_admin.cancel_case(_admin(username), instance_id, reason, withdrawn)
    except ServiceError as err:
        _fail(err)
    click.echo(f"{instance.tracking_number}: {'申请人已撤回' if withdrawn else '已撤销'}（{reason.strip()}）")


@click.command("migrate-case")
@with_appcontext
@click.argument("instance_id", type=int)
@click.option("--version", type=int, help="The version to move to (default: the newest).")
@click.option("--as", "username", default="admin", show_default=True, help="The administrator moving it.")
def migrate_case(instance_id: int, version: int | None, username: str) -> None:
    """Move a running case to a newer version of its diagram; refused, naming them, if tasks would be lost."""
    try:
        moved = case_admin.migrate_case(_admin(username), instance_id, version)
    except ServiceError as err:
        _fail(err)
    click.echo(f"{moved.instance.tracking_number}: 第 {moved.from_version} 版 → 第 {moved.to_version} 版")


@click.command("backfill-opinions")
@with_appcontext
def backfill_opinions() -> None:
    """Copy the opinions given before migration 0011_opinion from the history into their table (once)."""
    click.echo(f"{opinion_backfill.backfill_opinions()} opinions added")


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the app; without REDIS_URL the sweep runs in this process every GOVFLOW_SWEEP_SECONDS."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        start_sweeper(app)
        click.echo(f"in-process sweep every {app.config['GOVFLOW_SWEEP_SECONDS']} s (no REDIS_URL)")
    # Flask ignores app.run() inside a CLI command, so start the development server directly.
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def _admin(username: str):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    return user


@click.command("validate")
@with_appcontext
@click.argument("directory", required=False)
@click.option(
    "--org",
    type=click.Choice(["database", "demo"]),
    default="database",
    show_default=True,
    help="Resolve lanes against the departments in the database, or the demo organisation (no database).",
)
def validate(directory: str | None, org: str) -> None:
    """Check every diagram in bpmn/ (or DIRECTORY) before deploying it; exit 1 on any problem."""
    folder = Path(directory or current_app.config["BPMN_DIR"])
    files = sorted(folder.glob("*.bpmn"))
    if not files:
        raise click.ClickException(f"no .bpmn files in {folder}")
    view = demo.org_view() if org == "demo" else org_view()
    _report(files, lambda path: validate_diagram(path.read_bytes(), path.stem, view, PROFILES))

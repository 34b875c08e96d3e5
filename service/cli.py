"""Operator commands: `flask --app service <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .errors import ServiceError
from .services import demo, deployment, org


def init_app(app: Flask) -> None:
    for command in (seed_demo, create_user, create_token, deploy):
        app.cli.add_command(command)


def _fail(err: ServiceError) -> None:
    raise click.ClickException(err.message)


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password", default=demo.DEMO_PASSWORD, show_default=True, help="Password of every demo account."
)
def seed_demo(password: str) -> None:
    """Create the demo organisation (departments, people, roles); safe to run again."""
    created = demo.seed_demo(password)
    click.echo(
        f"demo organisation ready: {created['departments']} departments and {created['users']} people added"
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
def create_token(username: str) -> None:
    """Print a new bearer token for a person."""
    try:
        click.echo(org.create_token(username))
    except ServiceError as err:
        _fail(err)


@click.command("deploy")
@with_appcontext
@click.argument("directory", required=False)
def deploy(directory: str | None) -> None:
    """Deploy the diagrams in bpmn/ (or DIRECTORY); unchanged files get no new version."""
    try:
        results = deployment.deploy_directory(directory or current_app.config["BPMN_DIR"])
    except ServiceError as err:
        _fail(err)
    for r in results:
        click.echo(f"{r.key}: version {r.version}" + (" (new)" if r.created else " (unchanged)"))

"""The website inspection risk page (NAT-7): the register with each column's state and the lines at
which a site fails outright, each met or failed with its count and what it counts. Thresholds come
from the active profile (workflows.profiles.columns.Inspection), the rules from workflows.columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from workflows.assignment import Role
from workflows.calendar import SERVICE_TZ, shift
from workflows.columns import RiskLine, risk_lines

from ..errors import forbidden
from ..extensions import db
from ..models import ProcessDefinition, ProcessInstance, User
from . import columns
from .clocks import today
from .engine import engine


@dataclass(frozen=True)
class RiskReport:
    """The day it was computed for, the open columns with their states, and NAT-7's lines."""

    day: date
    register: list[columns.ColumnView]
    lines: list[RiskLine]

    @property
    def failed(self) -> bool:
        return any(line.failed for line in self.lines)


def may_read(user: User) -> bool:
    """Administrators, the office, the information centre and principal leaders read the page."""
    if user.is_admin or columns.in_centre(user):
        return True
    office = columns.office_code()
    return any(m.department.code == office or m.role == Role.PRINCIPAL_LEADER for m in user.memberships)


def report(user: User) -> RiskReport:
    """Today's risk report; 403 columns_forbidden for anyone else."""
    if not may_read(user):
        raise forbidden("栏目检查风险仅供管理员、办公室、信息中心和主要领导查看", "columns_forbidden")
    day, profile = today(), engine().profile
    register = [columns.view(row, day) for row in columns.open_columns()]
    facts = [columns.facts(item.column, profile) for item in register]
    lines = risk_lines(facts, day, profile.columns.inspection, unanswered_messages(day))
    return RiskReport(day, register, lines)


def unanswered_messages(day: date) -> list[str]:
    """Tracking numbers of message cases (mailbox and the like) still open past the profile's limit."""
    inspection = engine().profile.columns.inspection
    before = datetime.combine(shift(day, inspection.unanswered_after, back=True), time(), SERVICE_TZ)
    query = (
        select(ProcessInstance.tracking_number, ProcessInstance.id)
        .join(ProcessDefinition, ProcessInstance.definition_id == ProcessDefinition.id)
        .where(
            ProcessInstance.status == "running",
            ProcessDefinition.key.in_(inspection.message_processes),
            ProcessInstance.started_at < before,
        )
        .order_by(ProcessInstance.started_at)
    )
    return [number or f"#{case_id}" for number, case_id in db.session.execute(query)]

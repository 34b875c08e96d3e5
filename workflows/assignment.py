"""Who does a task: a diagram lane resolved against the organisation, as a decision object."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass

LANE_SEPARATOR = "·"
OWNING_DEPARTMENT_LANE = "承办处室"
# Case data the service sets when a case starts, never a form: the code of the department of the
# person who started it (None for someone without one), e.g. to tell who drafted an item (PUB-15).
DRAFTING_DEPARTMENT = "drafting_department"


class Role(enum.StrEnum):
    """The roles a person holds in a department; the value is the identifier, label the UI text."""

    MEMBER = "member"
    INFORMATION_OFFICER = "information_officer"
    SECTION_HEAD = "section_head"
    LEADER_IN_CHARGE = "leader_in_charge"
    PRINCIPAL_LEADER = "principal_leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def from_text(cls, text: str) -> Role | None:
        """Find a role by identifier or by its Chinese label."""
        for role in cls:
            if text in (role.value, role.label):
                return role
        return None


ROLE_LABELS = {
    Role.MEMBER: "工作人员",
    Role.INFORMATION_OFFICER: "信息员",
    Role.SECTION_HEAD: "处室负责人",
    Role.LEADER_IN_CHARGE: "分管领导",
    Role.PRINCIPAL_LEADER: "主要领导",
}


@dataclass(frozen=True)
class OrgView:
    """What assignment needs to know of the organisation: department names and the leadership."""

    departments: Mapping[str, str]  # code -> name
    leadership_department: str | None = None  # where the principal leaders sit

    def department_code(self, text: str) -> str | None:
        """Resolve a department given by code or by name."""
        if text in self.departments:
            return text
        for code, name in self.departments.items():
            if name == text:
                return code
        return None


@dataclass(frozen=True)
class Assignment:
    """The department a task lands in and the role within it that may take it (None: anyone)."""

    department: str
    role: Role | None
    reason: str


class AssignmentError(ValueError):
    """A lane that names no department or role this organisation has."""


def assign(
    lane: str | None, owning_department: str | None, org: OrgView, department: str | None = None
) -> Assignment:
    """Decide which department and role a task in this lane belongs to.

    `department` is what the task's own data names, for a lane marked departmentFrom (None otherwise);
    such a lane named `<anything>·<role>` gives the task to that role there (a co-department's section
    head, PUB-12), else to anyone in it.
    """
    text = (lane or OWNING_DEPARTMENT_LANE).strip()
    if department is not None:
        if not department:
            raise AssignmentError(f"泳道“{text}”：任务数据没有指定办理部门")
        code = _department(department, org, text)
        if LANE_SEPARATOR in text:
            role = _role(text.split(LANE_SEPARATOR, 1)[1].strip(), text)
            return Assignment(code, role, f"泳道“{text}”：任务指定的{org.departments[code]}的{role.label}")
        return Assignment(code, None, f"泳道“{text}”：任务指定的{org.departments[code]}")
    if LANE_SEPARATOR in text:
        dept_text, role_text = (part.strip() for part in text.split(LANE_SEPARATOR, 1))
        department = _department(dept_text, org, text)
        role = _role(role_text, text)
        return Assignment(department, role, f"泳道“{text}”：{org.departments[department]}的{role.label}")
    if text == OWNING_DEPARTMENT_LANE:
        return Assignment(_owner(owning_department, text), None, "泳道“承办处室”：案件的承办处室")
    relative = Role.from_text(text)
    if relative is Role.PRINCIPAL_LEADER:
        if not org.leadership_department:
            raise AssignmentError("没有设置主要领导所在的部门")
        return Assignment(org.leadership_department, relative, "泳道“主要领导”")
    if relative is not None:
        owner = _owner(owning_department, text)
        return Assignment(owner, relative, f"泳道“{text}”：{org.departments[owner]}的{relative.label}")
    return Assignment(_department(text, org, text), None, f"泳道“{text}”")


def lane_problems(lane: str | None, org: OrgView, named_by_data: Collection[str] = ()) -> list[str]:
    """List why a lane could not be resolved in this organisation (empty when it can).

    Lanes in `named_by_data` take their department from each task's data, so any name will do.
    """
    if lane in named_by_data:
        role_text = lane.split(LANE_SEPARATOR, 1)[1].strip() if lane and LANE_SEPARATOR in lane else None
        if role_text is not None and Role.from_text(role_text) is None:
            return [f"泳道“{lane}”：没有名为“{role_text}”的角色"]
        return []
    try:
        assign(lane, next(iter(org.departments), None), org)
    except AssignmentError as err:
        return [str(err)]
    return []


def _department(text: str, org: OrgView, lane: str) -> str:
    code = org.department_code(text)
    if code is None:
        raise AssignmentError(f"泳道“{lane}”：没有名为“{text}”的部门或角色")
    return code


def _role(text: str, lane: str) -> Role:
    role = Role.from_text(text)
    if role is None:
        raise AssignmentError(f"泳道“{lane}”：没有名为“{text}”的角色")
    return role


def _owner(owning_department: str | None, lane: str) -> str:
    if not owning_department:
        raise AssignmentError(f"泳道“{lane}”需要案件的承办处室，但尚未确定承办处室")
    return owning_department

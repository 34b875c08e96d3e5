"""公众提交 (issue 13; REQ-1, REQ-5, MBX, PET, ERR): a form filled in on the public pages becomes a
case of the channel's flow, started by nobody (the history's actor is empty: 系统/公众), landing in the
inbox where staff register such cases today.

The public fills in the newest deployed diagram's own start form, less the fields its channel sets
(`fixed`, e.g. 申请渠道 = 网上申请, 收到日期 = today) or leaves to staff (`omit`); the same checks as
the staff start page apply. One transaction stores the case, its query code and the message that
tells the submitter both, or nothing at all.
"""

from __future__ import annotations

from typing import Any

from workflows.assignment import DRAFTING_DEPARTMENT
from workflows.engine.parser import ParsedDefinition
from workflows.forms import Form
from workflows.public_channels import CHANNELS, TODAY, Channel

from ..errors import not_found
from ..models import ProcessInstance
from ..models.events import EventKind
from . import applicant, cases, clocks, public_access, tracking
from .engine import engine
from .notify import secret
from .unit import event, in_transaction


def channel(key: str) -> Channel:
    """The public channel of this address; 404 for any other."""
    found = CHANNELS.get(key)
    if found is None:
        raise not_found("栏目", "channel_not_found")
    return found


def form_of(key: str) -> tuple[Channel, ParsedDefinition, Form]:
    """What the public page of a channel draws: the channel, its diagram and the form to fill in."""
    chosen = channel(key)
    _row, parsed = cases.startable(chosen.process)
    return chosen, parsed, public_form(chosen, parsed)


def public_form(chosen: Channel, parsed: ParsedDefinition) -> Form:
    """The start form as the active profile offers it, without the fields the channel fills in."""
    return _without(_offered(parsed), set(chosen.fixed) | set(chosen.omit))


def check(key: str, form_data: Any) -> None:
    """Refuse (422, by field) what submit() would refuse for the form's own answers; stores nothing."""
    _values(channel(key), form_data)


def submit(key: str, form_data: Any) -> tuple[ProcessInstance, str]:
    """Start the channel's flow with the public's answers; the case and its query code, shown once."""
    chosen = channel(key)
    return tracking.numbered(lambda: in_transaction(lambda: _submit(chosen, form_data)))


def _submit(chosen: Channel, form_data: Any) -> tuple[ProcessInstance, str]:
    values, row, parsed = _values(chosen, form_data)
    values[DRAFTING_DEPARTMENT] = None  # drafted by nobody on the staff
    instance = cases.begin_case(row, parsed, values, None, None)
    event(instance, None, EventKind.PUBLIC_SUBMITTED, details={"label": chosen.title})
    code = public_access.grant(instance, chosen.key)
    _send_codes(instance, chosen, values, code)
    return instance, code


def _values(chosen: Channel, form_data: Any):
    row, parsed = cases.startable(chosen.process)
    answers = cases.validated(public_form(chosen, parsed), form_data)
    # The channel's own values pass the diagram's checks as well (an option a newer version of the
    # diagram no longer has is refused, not stored), together with the answers they may decide on.
    today = clocks.today().isoformat()
    fixed = {name: today if value == TODAY else value for name, value in chosen.fixed.items()}
    values = cases.validated(_without(_offered(parsed), set(chosen.omit)), {**answers, **fixed})
    return values, row, parsed


def _send_codes(instance: ProcessInstance, chosen: Channel, values: dict[str, Any], code: str) -> None:
    number = instance.tracking_number
    subject = f"您的{chosen.title}已收到（受理编号 {number}）"
    body = (
        f"您通过网站提交的{chosen.title}已收到。受理编号：{number}；查询码：{secret(code)}。"
        "凭受理编号和查询码可在下面的网址查看办理进度和答复。查询码只告知这一次，请妥善保管，不要告诉他人。"
    )
    applicant.tell(instance, values, subject, body, f"instance:{instance.id}:public:codes")


def _offered(parsed: ParsedDefinition) -> Form:
    return engine().profile.offered(parsed.start_form or Form())


def _without(form: Form, names: set[str]) -> Form:
    return Form(tuple(f for f in form.fields if f.name not in names))

"""The public's ways in (issue 13; REQ-1, REQ-5, MBX, PET, ERR): each public form, the flow it
starts, and what the submitter may read of the case afterwards.

Pure data, no Flask. A form is the deployed diagram's own start form minus the fields its channel
sets (`fixed`, `omit`): the diagram stays the one place a field is defined. What the public reads is
only what is named here — the stage of the open step in plain words, and the reply fields once
the step that sends the reply is done — never staff names, opinions or other data of the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TODAY = "today"  # a fixed value: the submission's date in the service's time zone
DONE = "已办结"
IN_HAND = "正在办理"


@dataclass(frozen=True)
class Reply:
    """The answer the submitter reads: `fields` of the case data, shown once `after` is completed."""

    after: tuple[str, ...]  # task ids; the reply is public once any of them is completed
    fields: tuple[str, ...]  # shown in this order; an enum field shows its option's label
    when: tuple[str, str] | None = None  # (field, value): only a case whose data has it

    def holds(self, data: dict[str, object]) -> bool:
        return self.when is None or str(data.get(self.when[0])) == self.when[1]


@dataclass(frozen=True)
class Correction:
    """A step that waits for the submitter (补正, NAT-2): what to correct and by when come from the
    case data; the submitter's answer through the status page completes `task` with `values`, their
    text going into `text_field`."""

    task: str
    items_field: str
    due_field: str
    values: dict[str, str]
    text_field: str


@dataclass(frozen=True)
class Channel:
    key: str  # the address (/public/<key>/new) and PublicAccess.channel
    title: str
    summary: str
    process: str  # the diagram it starts
    fixed: dict[str, str] = field(default_factory=dict)  # start-form values the channel sets
    omit: tuple[str, ...] = ()  # start-form fields staff fill in, not the public
    stages: dict[str, str] = field(default_factory=dict)  # open task id -> what the public reads
    reply: Reply | None = None
    # Where the case ends without that reply (不予受理, 视为放弃, 转信访): what the submitter was told.
    refusals: tuple[Reply, ...] = ()
    correction: Correction | None = None

    def answers(self) -> tuple[Reply, ...]:
        """What the status page may show as the answer, the reply first."""
        return (self.reply, *self.refusals) if self.reply else self.refusals

    def stage(self, open_tasks: list[str], completed: bool) -> str:
        """The case's stage in plain words: the first open step this channel names, else 正在办理."""
        if completed:
            return DONE
        return next((self.stages[t] for t in open_tasks if t in self.stages), IN_HAND)


DISCLOSURE = Channel(
    key="disclosure",
    title="政府信息公开申请",
    summary="依申请公开政府信息（《政府信息公开条例》第二十七条至第二十九条）",
    process="disclosure_request",
    fixed={"channel": "online"},
    stages={
        "register": "已收到申请，待登记受理",
        "correction_notice": "已收到申请，待登记受理",
        "await_correction": "待您补正申请内容",
        "register_correction": "已收到补正内容，待登记",
        "transfer_to_petition": "属信访事项，正在转信访渠道处理",
        "draft_reply": "已受理，正在办理答复",
        "consult": "正在征求第三方或其他机关意见",
        "approve_extension": "正在审批延长答复期限",
        "section_review": "答复已拟定，正在审核",
        "office_approval": "答复已拟定，正在审核",
        "send_reply": "答复已审定，正在送达",
    },
    # A refusal must give its reason (条例第三十六条): withheld_reason is set only when withheld.
    reply=Reply(after=("send_reply",), fields=("category", "withheld_reason", "reply_text")),
    refusals=(
        Reply(
            after=("await_correction",),
            fields=("correction_result",),
            when=("correction_result", "not_corrected"),
        ),
        Reply(after=("transfer_to_petition",), fields=("petition_case_number",)),
    ),
    correction=Correction(
        task="await_correction",
        items_field="correction_items",
        due_field="correction_due_on",
        values={"correction_result": "corrected"},
        text_field="correction_result_note",
    ),
)

MAILBOX = Channel(
    key="mailbox",
    title="领导信箱",
    summary="给领导写信，反映问题、提出意见建议",
    process="mailbox",
    fixed={"letter_type": "leader_mailbox", "received_on": TODAY},
    stages={
        "intake_review": "已收到来信，待初审",
        "register_dispatch": "已受理，正在分送承办处室",
        "draft_reply": "已分送承办处室，正在办理答复",
        "review_reply": "答复已拟定，正在审核",
        "publish_reply": "答复已拟定，正在审核",
    },
    reply=Reply(after=("publish_reply",), fields=("reply_content",)),
    refusals=(
        Reply(
            after=("intake_review",),
            fields=("reject_reason", "intake_note"),
            when=("intake_decision", "reject"),
        ),
    ),
)

CONSULTATION = Channel(
    key="consultation",
    title="在线咨询",
    summary="咨询办事程序、政策规定等问题",
    process="mailbox",
    fixed={"letter_type": "consultation", "received_on": TODAY},
    stages=MAILBOX.stages,
    reply=MAILBOX.reply,
    refusals=MAILBOX.refusals,
)

PETITION = Channel(
    key="petition",
    title="网上信访与投诉",
    summary="提出信访事项或投诉（《信访工作条例》）",
    process="petition",
    fixed={"channel": "website", "received_on": TODAY},
    stages={
        "route": "已收到，待转送交办",
        "review_acceptance": "正在审查是否受理",
        "handle": "已受理，正在调查处理",
        "approve_extension": "已受理，正在调查处理",
        "hold_hearing": "已受理，正在组织听证",
        "reply_online": "处理意见已形成，正在答复",
        # After the reply the case stays open while the petitioner may ask the level above to review
        # it, and then to review that again (NAT-5, Art. 35-36); the periods live in the profile.
        "register_review_request": "已网上答复处理意见；如不服，可在规定期限内请求复查",
        "forward_review": "已收到复查请求，正在转送复查机关",
        "record_review": "复查机关正在复查",
        "register_rereview_request": "已告知复查意见；如不服，可在规定期限内请求复核",
        "forward_rereview": "已收到复核请求，正在转送复核机关",
        "record_rereview": "复核机关正在复核",
        "rereview_hearing": "复核机关正在组织听证",
    },
    # The review and re-review conclusions are shown once recorded (each only when set).
    reply=Reply(
        after=("reply_online",),
        fields=(
            "outcome",
            "handling_opinion",
            "reply_note",
            "review_outcome",
            "review_opinion",
            "rereview_outcome",
            "rereview_opinion",
        ),
    ),
    refusals=(
        Reply(
            after=("review_acceptance",),
            fields=("acceptance_decision", "not_accepted_reason"),
            when=("acceptance_decision", "not_accepted"),
        ),
    ),
)

ERROR_REPORT = Channel(
    key="error_report",
    title="网站纠错",
    summary="报告本网站的错别字、错误表述、链接失效等问题",
    process="error_report",
    fixed={"report_source": "website", "received_on": TODAY},
    omit=("report_number",),
    stages={
        "verify": "已收到，正在核实",
        "fix": "已核实，正在整改",
        "check_fix": "已整改，正在复核",
        "send_feedback": "已整改，正在反馈结果",
    },
    # fix_action is set only for a report found true (an unfounded one goes straight to feedback).
    reply=Reply(after=("send_feedback",), fields=("fix_action", "feedback_content")),
)

CHANNELS: dict[str, Channel] = {c.key: c for c in (DISCLOSURE, MAILBOX, CONSULTATION, PETITION, ERROR_REPORT)}

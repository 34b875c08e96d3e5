"""Outgoing e-mail and SMS adapters (services.jobs.Sender): the edge of the system, swapped out in tests.

A Sender takes both channels; the SMS it is given goes through its own small adapter (SmsGateway), so
an agency plugs in its SMS provider without touching e-mail: GOVFLOW_SMS_GATEWAY is `console`
(development: printed), `log` (written to the log, not sent) or `package.module:Class`, a class
built with the app's configuration whose `send_sms(number, text)` sends one message.
"""

from __future__ import annotations

import importlib
import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol

log = logging.getLogger("govflow.mail")
SMS_LENGTH = 500  # an SMS carries the subject and body run together, cut to what a gateway takes


class SmsGateway(Protocol):
    """Sends one SMS; raises on failure (the outbox tries again)."""

    def send_sms(self, number: str, text: str) -> None: ...


class ConsoleSms:
    """Development: print the SMS instead of sending it."""

    def send_sms(self, number: str, text: str) -> None:
        print(f"[sms → {number}] {text}\n", flush=True)


class LoggedSms:
    """No SMS gateway: the SMS is written to the log as not sent."""

    def send_sms(self, number: str, text: str) -> None:
        log.warning("no SMS gateway configured; SMS to %s not sent: %s", number, text[:60])


def sms_text(subject: str, body: str) -> str:
    return f"{subject}：{body}"[:SMS_LENGTH]


def sms_from_config(config: dict[str, Any], default: str = "console") -> SmsGateway:
    """The SMS adapter GOVFLOW_SMS_GATEWAY names (see the module's docstring)."""
    name = config.get("GOVFLOW_SMS_GATEWAY") or default
    if name == "console":
        return ConsoleSms()
    if name == "log":
        return LoggedSms()
    module, _, cls = name.partition(":")
    if not cls:
        raise RuntimeError(f"GOVFLOW_SMS_GATEWAY: console, log or package.module:Class, not {name!r}")
    return getattr(importlib.import_module(module), cls)(config)


@dataclass
class ConsoleSender:
    """Development: print every e-mail instead of sending it; SMS through its adapter."""

    sms: SmsGateway = field(default_factory=ConsoleSms)

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        if channel == "sms":
            self.sms.send_sms(address, sms_text(subject, body))
            return
        print(f"[{channel} → {address}] {subject}\n{body}\n", flush=True)


@dataclass
class SmtpSender:
    """E-mail through an SMTP server; SMS through its adapter (by default only logged)."""

    host: str
    port: int = 25
    sender: str = "govflow@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    sms: SmsGateway = field(default_factory=LoggedSms)

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        if channel == "sms":
            self.sms.send_sms(address, sms_text(subject, body))
            return
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, address, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass
class RecordingSender:
    """Tests: keep what would have been sent."""

    sent: list[tuple[str, str, str, str]] = field(default_factory=list)

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        self.sent.append((channel, address, subject, body))


def sender_from_config(config: dict) -> ConsoleSender | SmtpSender:
    """SMTP when MAIL_SMTP_HOST is set, else the console; SMS as GOVFLOW_SMS_GATEWAY says."""
    host = config.get("MAIL_SMTP_HOST")
    if not host:
        return ConsoleSender(sms_from_config(config))
    return SmtpSender(
        host=host,
        port=int(config.get("MAIL_SMTP_PORT") or 25),
        sender=config.get("MAIL_FROM") or "govflow@localhost",
        username=config.get("MAIL_SMTP_USER"),
        password=config.get("MAIL_SMTP_PASSWORD"),
        starttls=bool(config.get("MAIL_SMTP_STARTTLS")),
        sms=sms_from_config(config, default="log"),
    )

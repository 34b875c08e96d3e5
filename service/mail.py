"""Outgoing e-mail and SMS adapters (services.jobs.Sender): the edge of the system, swapped out in tests."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

log = logging.getLogger("govflow.mail")


class ConsoleSender:
    """Development: print every message instead of sending it."""

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        print(f"[{channel} → {address}] {subject}\n{body}\n", flush=True)


@dataclass
class SmtpSender:
    """E-mail through an SMTP server; SMS still goes to the log until a gateway is configured."""

    host: str
    port: int = 25
    sender: str = "govflow@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        if channel != "mail":
            log.warning("no SMS gateway configured; SMS to %s not sent: %s", address, subject)
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
    """SMTP when MAIL_SMTP_HOST is set, else the console."""
    host = config.get("MAIL_SMTP_HOST")
    if not host:
        return ConsoleSender()
    return SmtpSender(
        host=host,
        port=int(config.get("MAIL_SMTP_PORT") or 25),
        sender=config.get("MAIL_FROM") or "govflow@localhost",
        username=config.get("MAIL_SMTP_USER"),
        password=config.get("MAIL_SMTP_PASSWORD"),
        starttls=bool(config.get("MAIL_SMTP_STARTTLS")),
    )

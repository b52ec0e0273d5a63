"""The two e-mails an initiative sets off, written when it is stored (bot/intake_queue/outbox.py):

1. to the kommun's registrator: the initiative to register, with the record as PDF and JSON;
2. to the contact person: a short mottagningsbekräftelse with the reference and what happens next.

The texts are templates in bot/mail/templates/ (Swedish, du-tilltal). Neither mail carries the
conversation id: it is the key to the conversation in the chat, and e-mail is forwarded, printed
and diarised. Free text is masked for personal identity numbers as everywhere else.
"""

from __future__ import annotations

import json
import logging
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.export.labels import SELF_ASSESSMENT, format_time, swedish_time, verdict_label
from bot.intake.statuses import DocumentStatus
from bot.intake_queue.outbox import NewMessage
from bot.privacy import mask_personal_numbers
from bot.profile import Profile

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
REDACTED_CONVERSATION = "(borttaget ur e-post)"
REGISTRATOR = "registrator"
RECEIPT = "kvittens"
WIDTH = 72
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@cache
def _templates() -> Environment:
    """Plain text, so no HTML escaping; a missing value is an error, not an empty gap."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def mailed_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record as attached: the stored one, without the conversation id."""
    return {**record, "conversation_id": REDACTED_CONVERSATION}


def submission_messages(export_record: dict[str, Any], profile: Profile) -> list[NewMessage]:
    """Both messages for a newly stored initiative (`export_record`: as `IntakeQueue.get()`).

    A record this code cannot read (a new field, a bug) must not cost the organisation its
    initiative: the short versions, which need only the reference, go instead."""
    try:
        return _full_messages(export_record, profile)
    except Exception:
        log.exception(
            "Could not write the mail for %s; sending the short versions",
            export_record.get("reference"),
        )
        return _short_messages(export_record, profile)


def _full_messages(export_record: dict[str, Any], profile: Profile) -> list[NewMessage]:
    mailed = mailed_record(export_record)
    return [
        NewMessage(
            purpose=REGISTRATOR,
            recipient=profile.registration.registrator_email,
            subject=f"Nytt IOP-initiativ att registrera: {mailed['reference']}",
            body=_render("registrator.txt.j2", _values(mailed, profile)),
            attachment_record=json.dumps(mailed, ensure_ascii=False),
        ),
        NewMessage(
            purpose=RECEIPT,
            recipient=mailed["contact"]["email"],
            subject=f"Vi har tagit emot ditt IOP-initiativ – {mailed['reference']}",
            body=_render("kvittens.txt.j2", _values(mailed, profile)),
            reply_to=profile.kommun.contact.email,
        ),
    ]


def _short_messages(export_record: dict[str, Any], profile: Profile) -> list[NewMessage]:
    mailed = mailed_record(export_record)
    reference = mailed["reference"]
    contact = profile.kommun.contact
    values = {
        "reference": reference,
        "kommun": profile.kommun.name,
        "documents_email": profile.registration.documents_email,
        "unit": contact.unit,
        "email": contact.email,
        "phone": contact.phone,
    }
    messages = [
        NewMessage(
            purpose=REGISTRATOR,
            recipient=profile.registration.registrator_email,
            subject=f"Nytt IOP-initiativ att registrera: {reference}",
            body=_render("registrator_kort.txt.j2", values),
            attachment_record=json.dumps(mailed, ensure_ascii=False),
        )
    ]
    email = (mailed.get("contact") or {}).get("email")
    if email:
        messages.append(
            NewMessage(
                purpose=RECEIPT,
                recipient=email,
                subject=f"Vi har tagit emot ditt IOP-initiativ – {reference}",
                body=_render("kvittens_kort.txt.j2", values),
                reply_to=contact.email,
            )
        )
    return messages


def _values(record: dict[str, Any], profile: Profile) -> dict[str, Any]:
    contact = profile.kommun.contact
    return {
        "reference": record["reference"],
        "submitted": f"den {_swedish_date(record['submitted_at'])}",
        "organisation": _clean(record["organisation"]["name"]),
        "orgnr": record["organisation"]["orgnr"],
        "contact_name": _clean(record["contact"]["name"]),
        "contact_email": record["contact"]["email"],
        "kommun": profile.kommun.name,
        "next_steps": textwrap.fill(_clean(profile.next_steps), WIDTH),
        "documents": [
            f"{_clean(d['name'])} ({DocumentStatus.label_for(d['status']).lower()})"
            for d in record.get("documents", [])
            if d["status"] != DocumentStatus.EXISTS
        ],
        "documents_email": profile.registration.documents_email,
        "unit": contact.unit,
        "email": contact.email,
        "phone": contact.phone,
        "opening_hours": contact.opening_hours,
        "web": contact.web,
        "submitted_time": format_time(record["submitted_at"]),
        # The organisation's own first self-assessment, and what to look at first.
        "self_assessment_label": SELF_ASSESSMENT,
        "self_assessment": verdict_label(record["checklist"]["verdict"]),
        "look_at_first": [
            _clean(a["statement"])
            for a in record["checklist"]["answers"]
            if a["criterion_id"] in record["checklist"].get("look_at_first", [])
        ],
    }


def _swedish_date(moment: str) -> str:
    """'24 november 2026': how a date is written in a letter, in Swedish time."""
    local = swedish_time(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def _clean(value: str) -> str:
    return mask_personal_numbers(" ".join(str(value).split()))


def _render(name: str, values: dict[str, Any]) -> str:
    return _templates().get_template(name).render(**values)

"""The console's pages and forms: the queue, a case, a handoff, login and logout.

Each handler gathers plain values for its template and does one thing; the queue, handoff and
export logic lives in bot/intake_queue, bot/export and bot/web/conversation.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn
from urllib.parse import quote, unquote

from aiohttp import web

from bot.export.json_export import export_json
from bot.export.labels import format_time, status_label
from bot.export.pdf_export import render_pdf
from bot.export.view import Utterance, build_view, utterance
from bot.intake_queue import audit, case_details, outbox
from bot.intake_queue.handoffs import Handoff, HandoffStatus, Kind
from bot.intake_queue.repository import CaseNotFound, CaseTaken, IntakeQueue
from bot.intake_queue.statuses import Status, TransitionError, allowed_next
from bot.intake_queue.transcripts import from_events
from bot.profile import active_profile
from bot.web.app_keys import CONSOLE_SESSIONS, CONVERSATIONS, ENGINE, HANDOFFS, QUEUE, SETTINGS
from bot.web.console.auth import (
    CONSOLE_PATH,
    LOGIN_CSRF_COOKIE,
    LOGIN_PATH,
    SESSION_COOKIE,
    LoginBlocked,
    SignedIn,
    log_in,
    login_csrf_ok,
    login_required,
    new_login_token,
    safe_next,
    set_session_cookie,
    signed_in,
)
from bot.web.console.collected import collected_sections
from bot.web.conversation import Caseworker, Conversations, HandoffConflict
from bot.web.rasa_client import RasaUnavailable
from bot.web.templating import render

FLASH_COOKIE = "iop_flash"
KIND_LABELS = {Kind.LIVE: "Chatt", Kind.CALLBACK: "Ring upp"}
HANDOFF_STATUS_LABELS = {
    HandoffStatus.WAITING: "Väntar",
    HandoffStatus.ACTIVE: "Pågår",
    HandoffStatus.CLOSED: "Avslutad",
}
WRONG_LOGIN = "Fel användarnamn eller lösenord."
TOO_MANY_TRIES = "För många misslyckade försök. Vänta en kvart och försök igen."
STALE_LOGIN_FORM = "Inloggningssidan var för gammal. Försök igen."
NO_SUCH_STATUS = "Status ändrades inte: välj en av statusarna i listan."


@dataclass(frozen=True)
class HandoffRow:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    created: str
    claimed_by: str | None
    question: str | None
    contact_text: str
    conversation_id: str
    url: str


@dataclass(frozen=True)
class MailRow:
    to: str
    what: str
    state: str


MAIL_PURPOSES = {"registrator": "Till registrator", "kvittens": "Mottagningsbekräftelse"}


def _mail_row(message: outbox.OutboxMessage) -> MailRow:
    """One e-mail of the case as the caseworker needs it: to whom, and did it go."""
    if message.status is outbox.MailStatus.SENT:
        state = f"Skickat {format_time(message.sent_at)}"
    elif message.status is outbox.MailStatus.FAILED:
        state = f"Misslyckades: {message.last_error or 'okänt fel'}"
    else:
        state = "Väntar på att skickas" + (
            f" (försök {message.attempts}: {message.last_error})" if message.last_error else ""
        )
    return MailRow(message.recipient, MAIL_PURPOSES.get(message.purpose, message.purpose), state)


@dataclass(frozen=True)
class CaseRow:
    reference: str
    organisation_name: str
    status_label: str
    assigned_to: str | None
    submitted: str
    url: str


def routes() -> list[web.RouteDef]:
    return [
        web.get(LOGIN_PATH, login_page),
        web.post(LOGIN_PATH, login_submit),
        web.post(f"{CONSOLE_PATH}/logga-ut", logout),
        web.get(CONSOLE_PATH, to_queue),
        web.get(f"{CONSOLE_PATH}/", queue_page),
        web.post(f"{CONSOLE_PATH}/tillganglig", set_availability),
        web.get(f"{CONSOLE_PATH}/arenden/{{reference}}", case_page),
        web.post(f"{CONSOLE_PATH}/arenden/{{reference}}/ta", claim_case),
        web.post(f"{CONSOLE_PATH}/arenden/{{reference}}/status", change_status),
        web.post(f"{CONSOLE_PATH}/arenden/{{reference}}/yttrande", save_procurement_opinion),
        web.post(f"{CONSOLE_PATH}/arenden/{{reference}}/berorda", save_concerned_bodies),
        web.post(f"{CONSOLE_PATH}/arenden/{{reference}}/intyg", save_declaration_copy),
        web.get(f"{CONSOLE_PATH}/arenden/{{reference}}/export.json", export_case_json),
        web.get(f"{CONSOLE_PATH}/arenden/{{reference}}/export.pdf", export_case_pdf),
        web.get(f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}", handoff_page),
        web.post(f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}/ta", claim_handoff),
        web.post(f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}/aterlamna", hand_back),
        web.post(f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}/avsluta", close_handoff),
    ]


# -- helpers -------------------------------------------------------------------------------------


def _redirect(location: str, flash: str | None = None) -> NoReturn:
    response = web.HTTPSeeOther(location)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, quote(flash), httponly=True, samesite="Strict", path=CONSOLE_PATH
        )
    raise response


def _page(
    request: web.Request, who: SignedIn | None, name: str, title: str, **context: Any
) -> web.Response:
    flash = request.cookies.get(FLASH_COOKIE)
    response = render(
        f"console/{name}",
        {
            "title": title,
            "kommun_name": active_profile().kommun.name,
            "user": who.caseworker if who else None,
            "csrf_token": who.session.csrf_token if who else "",
            "flash": unquote(flash) if flash else None,
            **context,
        },
    )
    if flash:
        response.del_cookie(FLASH_COOKIE, path=CONSOLE_PATH)
    return response


async def _audit(
    request: web.Request, actor: str, action: str, subject: str, detail: str | None = None
) -> None:
    """Every caseworker action leaves a line in the audit log (bot/intake_queue/audit.py)."""
    await asyncio.to_thread(audit.record, request.app[ENGINE], actor, action, subject, detail)


def _caseworker(who: SignedIn) -> Caseworker:
    return Caseworker(who.caseworker.username, who.caseworker.display_name)


def _queue(request: web.Request) -> IntakeQueue:
    return request.app[QUEUE]


def _conversations(request: web.Request) -> Conversations:
    return request.app[CONVERSATIONS]


def _handoff_row(handoff: Handoff) -> HandoffRow:
    contact = handoff.contact or {}
    parts = [str(contact[k]) for k in ("name", "email", "phone") if contact.get(k)]
    return HandoffRow(
        id=handoff.id,
        kind=handoff.kind.value,
        kind_label=KIND_LABELS[handoff.kind],
        status=handoff.status.value,
        status_label=HANDOFF_STATUS_LABELS[handoff.status],
        created=format_time(handoff.created_at),
        claimed_by=handoff.claimed_by,
        question=handoff.question,
        contact_text=", ".join(parts),
        conversation_id=handoff.conversation_id,
        url=f"{CONSOLE_PATH}/overlamningar/{handoff.id}",
    )


def _error_page(
    request: web.Request, who: SignedIn | None, status: int, message: str
) -> web.Response:
    response = _page(
        request, who, "error.html.j2", "Något gick fel", status=status, message=message
    )
    response.set_status(status)
    return response


async def to_queue(request: web.Request) -> web.Response:
    _redirect(f"{CONSOLE_PATH}/")


# -- login ---------------------------------------------------------------------------------------


async def login_page(request: web.Request) -> web.Response:
    if await signed_in(request) is not None:
        _redirect(safe_next(request.query.get("next")))
    return _login_form(request, error=None, username="", status=200)


def _login_form(
    request: web.Request, error: str | None, username: str, status: int
) -> web.Response:
    token = new_login_token()
    response = _page(
        request,
        None,
        "login.html.j2",
        "Logga in",
        error=error,
        username=username,
        next=safe_next(request.query.get("next") or request.get("next_target")),
        csrf_token=token,
    )
    response.set_status(status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        path=LOGIN_PATH,
        secure=request.app[SETTINGS].secure_cookies,
        max_age=3600,
    )
    return response


async def login_submit(request: web.Request) -> web.Response:
    try:
        form = await request.post()
    except ValueError:  # e.g. bytes that are not UTF-8: the form again, not a 500
        return _login_form(request, STALE_LOGIN_FORM, "", status=400)
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    request["next_target"] = str(form.get("next", ""))
    if not login_csrf_ok(request, form.get("csrf_token")):  # type: ignore[arg-type]
        return _login_form(request, STALE_LOGIN_FORM, username, status=400)
    try:
        token = await log_in(request, username, password)
    except LoginBlocked as blocked:
        return _login_form(request, blocked.message or TOO_MANY_TRIES, username, status=429)
    if token is None:
        await _audit(request, username[:80] or "?", "inloggning_misslyckad", "konsolen")
        return _login_form(request, WRONG_LOGIN, username, status=401)
    await _audit(request, username, "inloggning", "konsolen")
    response = web.HTTPSeeOther(safe_next(str(form.get("next", ""))))
    set_session_cookie(response, token, request.app[SETTINGS].secure_cookies)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    raise response


@login_required
async def logout(request: web.Request, who: SignedIn) -> web.Response:
    await asyncio.to_thread(request.app[CONSOLE_SESSIONS].end, who.token)
    await _audit(request, who.caseworker.username, "utloggning", "konsolen")
    response = web.HTTPSeeOther(LOGIN_PATH)
    response.del_cookie(SESSION_COOKIE, path=CONSOLE_PATH)
    raise response


# -- the queue -----------------------------------------------------------------------------------


@login_required
async def queue_page(request: web.Request, who: SignedIn) -> web.Response:
    wanted = request.query.get("status", "")
    try:
        status = Status(wanted) if wanted else None
    except ValueError:
        status = None
    handoffs = await asyncio.to_thread(request.app[HANDOFFS].recent, 20)
    cases = await asyncio.to_thread(_queue(request).list_cases, status)
    return _page(
        request,
        who,
        "queue.html.j2",
        "Kö",
        available=who.session.available,
        handoffs=[_handoff_row(h) for h in handoffs],
        cases=[
            CaseRow(
                reference=c.reference,
                organisation_name=c.organisation,
                status_label=c.status.label,
                assigned_to=c.assigned_to,
                submitted=format_time(c.submitted_at),
                url=f"{CONSOLE_PATH}/arenden/{c.reference}",
            )
            for c in cases
        ],
        statuses=[(s.value, s.label) for s in Status],
        status_filter=status.value if status else "",
    )


@login_required
async def set_availability(request: web.Request, who: SignedIn) -> web.Response:
    form = await request.post()
    available = form.get("available") == "ja"
    await asyncio.to_thread(request.app[CONSOLE_SESSIONS].set_available, who.token, available)
    await _audit(
        request,
        who.caseworker.username,
        "tar_emot_chattar" if available else "tar_inte_emot",
        "konsolen",
    )
    _redirect(
        f"{CONSOLE_PATH}/",
        "Du tar emot chattar." if available else "Du tar inte emot chattar just nu.",
    )


# -- a case --------------------------------------------------------------------------------------


async def _record(request: web.Request) -> dict[str, Any]:
    try:
        return await asyncio.to_thread(_queue(request).get, request.match_info["reference"])
    except CaseNotFound as error:
        raise web.HTTPNotFound(text=str(error)) from error


@login_required
async def case_page(request: web.Request, who: SignedIn) -> web.Response:
    try:
        reference = request.match_info["reference"]
        record = await asyncio.to_thread(_queue(request).get, reference)
    except CaseNotFound as error:
        return _error_page(request, who, 404, str(error))
    current = Status(record["status"])
    details = await asyncio.to_thread(case_details.get_details, request.app[ENGINE], reference)
    mail = await asyncio.to_thread(outbox.for_case, request.app[ENGINE], record["reference"])
    return _page(
        request,
        who,
        "case.html.j2",
        record["reference"],
        view=build_view(record),
        assigned_to=record.get("assigned_to"),
        can_claim=record.get("assigned_to") != who.caseworker.username,
        next_statuses=[(s.value, s.label) for s in allowed_next(current)],
        details=details,
        today=case_details.today().isoformat(),
        mail=[_mail_row(m) for m in mail],
    )


@login_required
async def claim_case(request: web.Request, who: SignedIn) -> web.Response:
    reference = request.match_info["reference"]
    form = await request.post()
    take_over = form.get("take_over") == "1"
    try:
        await asyncio.to_thread(
            _queue(request).claim, reference, who.caseworker.username, None, take_over
        )
    except CaseNotFound as error:
        return _error_page(request, who, 404, str(error))
    except CaseTaken as error:
        _redirect(f"{CONSOLE_PATH}/arenden/{reference}", str(error))
    await _audit(
        request, who.caseworker.username, "ta_over_arende" if take_over else "ta_arende", reference
    )
    _redirect(f"{CONSOLE_PATH}/arenden/{reference}", "Ärendet är ditt nu.")


@login_required
async def change_status(request: web.Request, who: SignedIn) -> web.Response:
    reference = request.match_info["reference"]
    form = await request.post()
    note = str(form.get("note", "")).strip() or None
    try:
        new = Status(str(form.get("status", "")))
    except ValueError:  # not one of the form's choices: say so, not Python's words
        _redirect(f"{CONSOLE_PATH}/arenden/{reference}", NO_SUCH_STATUS)
    try:
        await asyncio.to_thread(
            _queue(request).set_status, reference, new, who.caseworker.username, note
        )
    except CaseNotFound as error:
        return _error_page(request, who, 404, str(error))
    except (ValueError, TransitionError) as error:
        _redirect(f"{CONSOLE_PATH}/arenden/{reference}", f"Status ändrades inte: {error}")
    await _audit(request, who.caseworker.username, "andra_status", reference, new.value)
    _redirect(f"{CONSOLE_PATH}/arenden/{reference}", f"Ny status: {status_label(new.value)}.")


async def _save_detail(
    request: web.Request, save: Callable[[dict[str, str]], object], done: str
) -> web.Response:
    """Run one case-detail change (it writes its own audit line) and go back to the case."""
    reference = request.match_info["reference"]
    form = {key: str(value) for key, value in (await request.post()).items()}
    try:
        await asyncio.to_thread(save, form)
    except CaseNotFound as error:
        raise web.HTTPNotFound(text=str(error)) from error
    except case_details.DetailError as error:
        _redirect(f"{CONSOLE_PATH}/arenden/{reference}", f"Inget sparades: {error}")
    _redirect(f"{CONSOLE_PATH}/arenden/{reference}", done)


def _form_date(form: dict[str, str], name: str) -> date:
    """A date from an <input type=date>; empty means today."""
    value = form.get(name, "").strip()
    if not value:
        return case_details.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise case_details.DetailError(f"Ogiltigt datum '{value}'; skriv ÅÅÅÅ-MM-DD.") from None


@login_required
async def save_procurement_opinion(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.set_procurement_opinion(
            engine,
            reference,
            form.get("opinion", ""),
            form.get("given_by", ""),
            _form_date(form, "given_on"),
            who.caseworker.username,
        ),
        "Upphandlingsenhetens yttrande är sparat.",
    )


@login_required
async def save_concerned_bodies(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.set_concerned_bodies(
            engine, reference, form.get("bodies", "").splitlines(), who.caseworker.username
        ),
        "Berörda nämnder och bolag är sparade.",
    )


@login_required
async def save_declaration_copy(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.record_declaration_copy(
            engine, reference, _form_date(form, "received_on"), who.caseworker.username
        ),
        "Noterat: en undertecknad kopia av intyget har kommit in.",
    )


@login_required
async def export_case_json(request: web.Request, who: SignedIn) -> web.Response:
    record = await _record(request)
    await _audit(request, who.caseworker.username, "exportera_json", record["reference"])
    return web.Response(
        text=export_json(record),
        content_type="application/json",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{record["reference"]}.json"'},
    )


@login_required
async def export_case_pdf(request: web.Request, who: SignedIn) -> web.Response:
    record = await _record(request)
    pdf = await asyncio.to_thread(render_pdf, record)
    await _audit(request, who.caseworker.username, "exportera_pdf", record["reference"])
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{record["reference"]}.pdf"'},
    )


# -- a handoff -----------------------------------------------------------------------------------


async def _live_transcript(request: web.Request, handoff: Handoff) -> list[Utterance]:
    """The whole conversation as it stands now; the copy taken at the handoff if Rasa is away."""
    entries = handoff.transcript
    try:
        tracker = await _conversations(request).rasa.tracker(handoff.conversation_id)
        entries = from_events(tracker.get("events") or []) or entries
    except RasaUnavailable:
        pass
    return [utterance(e) for e in entries]


@login_required
async def handoff_page(request: web.Request, who: SignedIn) -> web.Response:
    try:
        handoff = await asyncio.to_thread(
            request.app[HANDOFFS].get, int(request.match_info["handoff_id"])
        )
    except CaseNotFound as error:
        return _error_page(request, who, 404, str(error))
    is_open = handoff.status is not HandoffStatus.CLOSED
    mine = handoff.claimed_by == who.caseworker.username
    return _page(
        request,
        who,
        "handoff.html.j2",
        f"Överlämning {handoff.id}",
        handoff=_handoff_row(handoff),
        collected=collected_sections(handoff.collected, active_profile()),
        transcript=await _live_transcript(request, handoff),
        can_claim=is_open and not handoff.claimed_by,
        can_chat=handoff.is_live and handoff.status is HandoffStatus.ACTIVE and mine,
        can_close=is_open and (mine or not handoff.claimed_by),
        is_live=handoff.is_live,
    )


async def _handoff_action(request: web.Request, who: SignedIn, action: str) -> web.Response:
    handoff_id = int(request.match_info["handoff_id"])
    conversations = _conversations(request)
    caseworker = _caseworker(who)
    target = f"{CONSOLE_PATH}/overlamningar/{handoff_id}"
    try:
        if action == "claim":
            await conversations.claim(handoff_id, caseworker)
            message = "Du har tagit över. Det du skriver syns direkt för användaren."
        elif action == "hand_back":
            await conversations.hand_back(handoff_id, caseworker)
            message = "IOP-lotsen har tagit över samtalet igen."
        else:
            await conversations.close(handoff_id, caseworker)
            message = "Överlämningen är avslutad."
    except CaseNotFound as error:
        return _error_page(request, who, 404, str(error))
    except HandoffConflict as error:
        _redirect(target, str(error))
    await _audit(request, caseworker.username, f"overlamning_{action}", f"overlamning {handoff_id}")
    _redirect(target, message)


@login_required
async def claim_handoff(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "claim")


@login_required
async def hand_back(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "hand_back")


@login_required
async def close_handoff(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "close")

"""The console's pages and forms, one module per page; `routes()` maps the URLs to them.

- login.py: logging in and out
- queue_page.py: the queue of cases and handoffs, and "I take chats"
- case.py: a case, taking it and changing its status; case_forms.py: its detail forms;
  exports.py: its JSON and PDF
- handoffs.py: a handoff, taking it over, handing it back, closing it
- common.py: the page frame, flash messages, redirects and audit lines they share

Each handler gathers plain values for its template and does one thing; the queue, handoff and
export logic lives in bot/intake_queue, bot/export and bot/web/conversation.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.console.auth import CONSOLE_PATH, LOGIN_PATH
from bot.web.console.pages import case, case_forms, exports, handoffs, login, queue_page

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _forms(url: str, handlers: dict[str, Handler]) -> list[web.RouteDef]:
    """The POST forms under one page's URL, by the last part of their path."""
    return [web.post(f"{url}/{action}", handler) for action, handler in handlers.items()]


def routes() -> list[web.RouteDef]:
    case_url = f"{CONSOLE_PATH}/arenden/{{reference}}"
    handoff_url = f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}"
    case_forms_by_action: dict[str, Handler] = {
        "ta": case.claim_case,
        "status": case.change_status,
        "yttrande": case_forms.save_procurement_opinion,
        "berorda": case_forms.save_concerned_bodies,
        "intyg": case_forms.save_declaration_copy,
    }
    handoff_forms_by_action: dict[str, Handler] = {
        "ta": handoffs.claim_handoff,
        "aterlamna": handoffs.hand_back,
        "avsluta": handoffs.close_handoff,
    }
    return [
        web.get(LOGIN_PATH, login.login_page),
        web.post(LOGIN_PATH, login.login_submit),
        web.post(f"{CONSOLE_PATH}/logga-ut", login.logout),
        web.get(CONSOLE_PATH, queue_page.to_queue),
        web.get(f"{CONSOLE_PATH}/", queue_page.queue_page),
        web.post(f"{CONSOLE_PATH}/tillganglig", queue_page.set_availability),
        web.get(case_url, case.case_page),
        *_forms(case_url, case_forms_by_action),
        web.get(f"{case_url}/export.json", exports.export_case_json),
        web.get(f"{case_url}/export.pdf", exports.export_case_pdf),
        web.get(handoff_url, handoffs.handoff_page),
        *_forms(handoff_url, handoff_forms_by_action),
    ]

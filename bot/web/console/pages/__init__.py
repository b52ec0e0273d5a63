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

from aiohttp import web

from bot.web.console.auth import CONSOLE_PATH, LOGIN_PATH
from bot.web.console.pages import case, case_forms, exports, handoffs, login, queue_page


def routes() -> list[web.RouteDef]:
    case_url = f"{CONSOLE_PATH}/arenden/{{reference}}"
    handoff_url = f"{CONSOLE_PATH}/overlamningar/{{handoff_id:\\d+}}"
    return [
        web.get(LOGIN_PATH, login.login_page),
        web.post(LOGIN_PATH, login.login_submit),
        web.post(f"{CONSOLE_PATH}/logga-ut", login.logout),
        web.get(CONSOLE_PATH, queue_page.to_queue),
        web.get(f"{CONSOLE_PATH}/", queue_page.queue_page),
        web.post(f"{CONSOLE_PATH}/tillganglig", queue_page.set_availability),
        web.get(case_url, case.case_page),
        web.post(f"{case_url}/ta", case.claim_case),
        web.post(f"{case_url}/status", case.change_status),
        web.post(f"{case_url}/yttrande", case_forms.save_procurement_opinion),
        web.post(f"{case_url}/berorda", case_forms.save_concerned_bodies),
        web.post(f"{case_url}/intyg", case_forms.save_declaration_copy),
        web.get(f"{case_url}/export.json", exports.export_case_json),
        web.get(f"{case_url}/export.pdf", exports.export_case_pdf),
        web.get(handoff_url, handoffs.handoff_page),
        web.post(f"{handoff_url}/ta", handoffs.claim_handoff),
        web.post(f"{handoff_url}/aterlamna", handoffs.hand_back),
        web.post(f"{handoff_url}/avsluta", handoffs.close_handoff),
    ]

"""The widget and the console in Chromium over https, behind the real nginx with TLS.

The production set-up end to end: nginx with the public server block of
deploy/nginx/iop-lotsen.conf and a certificate made here, in front of the real gateway
(IOP_SECURE_COOKIES=1, trusting only its loopback proxy), the real Rasa server and action server,
and PostgreSQL. The browser only ever sees https://localhost:<port>; the self-signed certificate
is accepted through the browser context's option, nothing else is relaxed.

A live handoff runs through it: the user asks for a person, a logged-in caseworker takes over
in a second browser context, both write, the caseworker hands back and the bot answers again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from bot.intake_queue.accounts import create_account
from bot.intake_queue.database import make_engine
from bot.intake_queue.handoffs import CloseReason, Handoffs, Kind
from bot.intake_queue.transcripts import stored_events_transcript
from bot.profile import load_profile
from bot.web.session_keys import conversation_reference
from tests.browser import AGENT, BOT, INPUT, bot_count, submit_console_login, wait_for_answer
from tests.e2e.servers import MODEL, WebGateway, rasa_stack
from tests.e2e.site import ALWAYS_OPEN
from tests.tls_certificates import make_certificate, running_nginx

PASSWORD = "ett-långt-lösenord-bakom-tls"
PROFILE = load_profile("mora")


@dataclass
class SecureSite:
    url: str  # https://localhost:<nginx port>
    engine: Engine


@pytest.fixture(scope="module")
def secure_site(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: str
) -> Iterator[SecureSite]:
    """Rasa, the action server and the gateway on PostgreSQL, nginx with TLS in front."""
    from tests.postgres import fresh_database

    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    workdir: Path = tmp_path_factory.mktemp("tls_site")
    database_url = fresh_database(postgres_server, "iop_tls_e2e")
    cert, key = make_certificate(workdir)
    with rasa_stack(workdir, profile=ALWAYS_OPEN, database_url=database_url) as stack:
        gateway = WebGateway(workdir, stack, profile=ALWAYS_OPEN)
        gateway.env["IOP_SECURE_COOKIES"] = "1"  # the browser only ever sees https
        try:
            gateway.start()
            engine = make_engine(database_url)
            create_account(engine, "anna", "Anna Berg", PASSWORD)
            with running_nginx(workdir, cert, key, gateway.port) as port:
                yield SecureSite(f"https://localhost:{port}", engine)
            engine.dispose()
        finally:
            gateway.stop()


def say(page: Page, text: str) -> None:
    before = bot_count(page)
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")
    wait_for_answer(page, before)


def test_widget_and_console_over_https_with_a_live_handoff(
    secure_site: SecureSite, browser: Browser
) -> None:
    url = secure_site.url
    socket_failures: list[str] = []
    caseworker_context = browser.new_context(ignore_https_errors=True, locale="sv-SE")
    user_context = browser.new_context(ignore_https_errors=True, locale="sv-SE")
    try:
        console = caseworker_context.new_page()
        sockets: list = []
        complaints: list[str] = []  # the browser's console: a CSP or TLS refusal shows here
        console.on("console", lambda message: complaints.append(message.text))
        console.on("websocket", lambda ws: sockets.append(ws))
        console.on(
            "websocket", lambda ws: ws.on("socketerror", lambda e: socket_failures.append(e))
        )
        console.goto(f"{url}/handlaggare/")
        assert console.url.startswith(f"{url}/handlaggare/logga-in")
        submit_console_login(console, url, PASSWORD)
        session_cookie = next(
            c for c in caseworker_context.cookies() if c["name"] == "iop_handlaggare"
        )
        assert session_cookie["secure"] and session_cookie["httpOnly"]

        # The console's live socket from the https page: it must open, so anna counts as online.
        for _ in range(50):
            if any("/handlaggare/ws" in ws.url for ws in sockets):
                break
            console.wait_for_timeout(200)
        live = [ws for ws in sockets if "/handlaggare/ws" in ws.url]
        assert live, f"no console socket from the https page; browser said: {complaints}"
        assert live[0].url.startswith("wss://localhost:")
        assert not live[0].is_closed(), f"console socket refused behind TLS: {complaints}"

        user = user_context.new_page()
        with user.expect_websocket(lambda ws: ws.url.endswith("/chat/ws")) as widget_opened:
            user.goto(url)
            user.click("button.iop-lotsen__launcher")
            user.click("button.iop-lotsen__accept")
        assert widget_opened.value.url.startswith("wss://")
        expect(user.locator("button.iop-lotsen__send")).to_have_attribute("aria-disabled", "false")
        say(user, "Jag vill testa om vår idé passar för IOP")
        say(user, "ja")  # question 1; now on question 2
        second_question = PROFILE.criteria[1].question
        assert second_question in user.locator(f"{BOT} .iop-lotsen__text").last.inner_text()

        before = bot_count(user)
        user.click("button.iop-lotsen__human")
        expect(user.locator(".iop-lotsen__handoff")).to_be_visible()  # someone is online
        wait_for_answer(user, before)
        # The widget holds the secret; the database and the console know the reference.
        conversation = conversation_reference(user.evaluate("window.IopLotsen.sessionId()"))
        handoff = Handoffs(secure_site.engine).open_for(conversation)
        assert handoff is not None and handoff.kind is Kind.LIVE

        console.goto(f"{url}/handlaggare/overlamningar/{handoff.id}")
        console.click("form.claim button")
        expect(console.locator("form.say textarea")).to_be_visible()
        expect(user.locator(".iop-lotsen__handoff")).to_contain_text("Anna Berg")

        console.fill("form.say textarea", "Hej! Jag heter Anna. Vad undrar du?")
        console.click("form.say button")
        expect(user.locator(f"{AGENT} .iop-lotsen__text").last).to_have_text(
            "Hej! Jag heter Anna. Vad undrar du?"
        )
        bots_before = bot_count(user)
        user.locator(INPUT).fill("Kan vi få låna lokaler av kommunen?")
        user.locator(INPUT).press("Enter")
        expect(console.locator(".chat-log")).to_contain_text("Kan vi få låna lokaler av kommunen?")
        assert bot_count(user) == bots_before, "the paused bot answered in the caseworker's place"

        console.click("form.resume button")
        wait_for_answer(user, bots_before)
        expect(user.locator(".iop-lotsen__handoff")).to_be_hidden()
        user.wait_for_function(
            "q => [...document.querySelectorAll('li.iop-lotsen__msg--bot')]"
            ".some(li => li.innerText.includes(q))",
            arg=second_question,
        )
        assert Handoffs(secure_site.engine).get(handoff.id).closed_reason is CloseReason.RESUMED

        say(user, "ja")  # the bot answers again: question 2 answered, on to question 3
        assert (
            PROFILE.criteria[2].question
            in user.locator(f"{BOT} .iop-lotsen__text").last.inner_text()
        )

        with secure_site.engine.connect() as connection:
            transcript = stored_events_transcript(connection, conversation) or []
        said = [(e["sender"], e.get("name"), e["text"]) for e in transcript]
        assert ("caseworker", "Anna Berg", "Hej! Jag heter Anna. Vad undrar du?") in said
        assert ("user", None, "Kan vi få låna lokaler av kommunen?") in said
        assert socket_failures == []
    finally:
        caseworker_context.close()
        user_context.close()

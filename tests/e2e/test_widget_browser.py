"""The chat widget and the caseworker console in a real browser (Debian's chromium, headless,
driven by Playwright) against the real gateway, Rasa server, action server and database.

- a keyboard-only user goes from greeting to a submitted initiative;
- the conversation survives a reload and a new page;
- a live handoff: a logged-in caseworker takes over in a second browser context, both sides
  exchange messages, the bot stays silent, and the caseworker hands back to the bot;
- with nobody online, the user leaves a callback request that lands in the queue;
- axe-core finds no violations in the widget (closed, open, mid-checklist, handoff) or console.
Screenshots go to build/screenshots/ (docs/screenshots/ holds the committed copies).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import CloseReason, Handoffs, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.intake_queue.transcripts import stored_events_transcript
from bot.profile import load_profile
from bot.record import problems
from bot.web.session_keys import conversation_reference
from devstack.widget import (
    CONTACT,
    DOCUMENT_REPLIES,
    INITIATIVE,
    ORGANISATION,
)
from tests.browser import AGENT, BOT, INPUT, bot_count, console_login, wait_for_answer
from tests.conftest import PROJECT_ROOT
from tests.e2e.site import CASEWORKER_PASSWORD as PASSWORD
from tests.e2e.site import Site

PROFILE = load_profile("mora")
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
AXE = Axe()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test: its own localStorage, so its own conversation."""
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield fresh
    fresh.close()


@pytest.fixture
def nobody_online(site: Site) -> None:
    ConsoleSessions(site.engine).end_all_for("anna")


# -- helpers -------------------------------------------------------------------------------------


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def assert_no_axe_violations(page: Page, what: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def wait_connected(page: Page) -> None:
    """The widget has its session from the gateway and accepts messages."""
    expect(page.locator("button.iop-lotsen__send")).to_have_attribute("aria-disabled", "false")


def open_widget(page: Page, url: str) -> None:
    page.goto(url)
    page.click("button.iop-lotsen__launcher")
    page.click("button.iop-lotsen__accept")
    expect(page.locator(INPUT)).to_be_enabled()
    wait_connected(page)


def type_and_send(page: Page, text: str) -> None:
    """Keyboard only: the text, then Enter."""
    before = bot_count(page)
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_for_answer(page, before)


def last_bot_text(page: Page) -> str:
    return page.locator(f"{BOT} .iop-lotsen__text").last.inner_text()


def all_bot_text(page: Page) -> str:
    return "\n".join(page.locator(f"{BOT} .iop-lotsen__text").all_inner_texts())


def focused(page: Page) -> dict:
    return page.evaluate(
        "() => ({cls: document.activeElement.className, text: document.activeElement.innerText,"
        " quick: !!document.activeElement.closest('.iop-lotsen__quick')})"
    )


def tab_to(page: Page, key: str, matches, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if matches(focused(page)):
            return
    raise AssertionError(
        f"Could not reach the control with {key}; focus is on {focused(page)}; the bot said last:"
        f" {page.locator(f'{BOT} .iop-lotsen__text').all_inner_texts()[-3:]}"
    )


def choose_with_keyboard(page: Page, title: str) -> None:
    """From the message field, Shift+Tab back to a quick reply and press Enter on it."""
    before = bot_count(page)
    tab_to(page, "Shift+Tab", lambda f: f["quick"] and f["text"].strip() == title)
    page.keyboard.press("Enter")
    wait_for_answer(page, before)
    if not page.evaluate("document.activeElement.matches('textarea.iop-lotsen__input')"):
        tab_to(page, "Tab", lambda f: "iop-lotsen__input" in f["cls"])


def session_id(page: Page) -> str:
    """The secret the widget holds (never stored outside the browser and the gateway)."""
    return page.evaluate("window.IopLotsen.sessionId()")


def conversation_of(page: Page) -> str:
    """The conversation's reference, the id Rasa, the database and the console use."""
    return conversation_reference(session_id(page))


# -- tests ---------------------------------------------------------------------------------------


def test_keyboard_only_from_greeting_to_a_submitted_initiative(
    site: Site, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url)
    assert_no_axe_violations(page, "demo page, widget closed")

    tab_to(page, "Tab", lambda f: "iop-lotsen__launcher" in f["cls"])
    page.keyboard.press("Enter")
    expect(page.locator(".iop-lotsen__panel")).to_be_visible()
    assert_no_axe_violations(page, "widget open, privacy notice")
    if "iop-lotsen__accept" not in focused(page)["cls"]:
        tab_to(page, "Tab", lambda f: "iop-lotsen__accept" in f["cls"])
    page.keyboard.press("Enter")
    if "iop-lotsen__input" not in focused(page)["cls"]:
        tab_to(page, "Tab", lambda f: "iop-lotsen__input" in f["cls"])
    wait_connected(page)

    type_and_send(page, "Hej!")
    type_and_send(page, "Jag vill testa om vår idé passar för IOP")
    assert f"1 av {len(PROFILE.criteria)}" in last_bot_text(page)
    expect(page.locator(".iop-lotsen__progress")).to_be_visible()
    choose_with_keyboard(page, "Ja")  # question 1 by its quick-reply button
    assert_no_axe_violations(page, "widget mid-checklist")
    screenshot(page, "widget-checklist")
    for _ in range(len(PROFILE.criteria) - 1):
        type_and_send(page, "ja")
    type_and_send(page, "ja")  # yes to handing in the initiative
    for reply in ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES:
        type_and_send(page, reply)
    choose_with_keyboard(page, "Ja, det är jag")
    type_and_send(page, "Jag intygar")
    type_and_send(page, "ja")  # the summary is right: hand it in
    done = all_bot_text(page)
    match = re.search(r"referensnummer är (IOP-\d{4}-\d{4})", done)
    assert match, done[-800:]
    screenshot(page, "widget-submitted")

    queue = IntakeQueue(site.engine)
    record = queue.get(match.group(1))
    assert record["conversation_id"] == conversation_of(page)
    assert record["organisation"]["name"] == "Föreningen Gemenskap i Mora"
    assert problems(record) == []
    assert [c.reference for c in queue.list_cases()].count(match.group(1)) == 1


def test_the_conversation_survives_a_reload_and_a_new_page(
    site: Site, context: BrowserContext
) -> None:
    page = context.new_page()
    open_widget(page, site.url)
    page.locator(INPUT).focus()
    type_and_send(page, "Vad är IOP?")
    answer = last_bot_text(page)
    conversation = session_id(page)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", conversation)

    page.reload()
    expect(page.locator(".iop-lotsen__panel")).to_be_visible()  # still open after the reload
    wait_connected(page)
    expect(page.locator("li.iop-lotsen__msg--user .iop-lotsen__text").first).to_have_text(
        "Vad är IOP?"
    )
    expect(page.locator(f"{BOT} .iop-lotsen__text").last).to_have_text(answer)
    assert session_id(page) == conversation

    other = context.new_page()  # another page of the site, same browser
    other.goto(site.url)
    other.click("button.iop-lotsen__launcher")
    wait_connected(other)
    expect(other.locator(f"{BOT} .iop-lotsen__text").last).to_have_text(answer)
    assert session_id(other) == conversation


def test_live_handoff_round_trip_with_a_caseworker(site: Site, browser: Browser) -> None:
    caseworker_context = browser.new_context(viewport={"width": 1280, "height": 900})
    user_context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        console = caseworker_context.new_page()
        console_login(console, site.url, PASSWORD)
        assert_no_axe_violations(console, "console queue")

        user = user_context.new_page()
        open_widget(user, site.url)
        user.locator(INPUT).focus()
        type_and_send(user, "Jag vill testa om vår idé passar för IOP")
        type_and_send(user, "ja")  # question 1; now on question 2
        second_question = PROFILE.criteria[1].question
        assert second_question in last_bot_text(user)

        before = bot_count(user)
        user.click("button.iop-lotsen__human")
        expect(user.locator(".iop-lotsen__handoff")).to_be_visible()
        wait_for_answer(user, before)
        assert_no_axe_violations(user, "widget waiting for a caseworker")
        conversation = conversation_of(user)
        handoff = Handoffs(site.engine).open_for(conversation)
        assert handoff is not None and handoff.kind is Kind.LIVE
        assert handoff.collected, "the handoff carries what the bot had collected"

        console.goto(f"{site.url}/handlaggare/overlamningar/{handoff.id}")
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
        user.wait_for_timeout(3000)  # give a misbehaving bot time to answer
        assert bot_count(user) == bots_before, "the paused bot answered in the caseworker's place"
        assert_no_axe_violations(user, "widget during a live chat")
        assert_no_axe_violations(console, "console live chat")
        screenshot(user, "widget-handoff")
        screenshot(console, "console-handoff")

        console.click("form.resume button")
        wait_for_answer(user, bots_before)
        expect(user.locator(".iop-lotsen__handoff")).to_be_hidden()
        user.wait_for_function(
            "q => [...document.querySelectorAll('li.iop-lotsen__msg--bot')]"
            ".some(li => li.innerText.includes(q))",
            arg=second_question,
        )
        closed = Handoffs(site.engine).get(handoff.id)
        assert closed.closed_reason is CloseReason.RESUMED

        with site.engine.connect() as connection:
            transcript = stored_events_transcript(connection, conversation) or []
        said = [(e["sender"], e.get("name"), e["text"]) for e in transcript]
        assert ("caseworker", "Anna Berg", "Hej! Jag heter Anna. Vad undrar du?") in said
        assert ("user", None, "Kan vi få låna lokaler av kommunen?") in said
    finally:
        caseworker_context.close()
        user_context.close()


def test_callback_request_when_nobody_is_online(
    site: Site, context: BrowserContext, nobody_online: None
) -> None:
    page = context.new_page()
    open_widget(page, site.url)
    before = bot_count(page)
    page.click("button.iop-lotsen__human")
    wait_for_answer(page, before)
    expect(page.locator(".iop-lotsen__handoff")).to_be_hidden()  # nobody to wait for
    page.locator(INPUT).focus()
    type_and_send(page, "Eva Lund")
    type_and_send(page, "eva.lund@exempel.se")
    type_and_send(page, "Kan någon ringa mig om hur vi söker?")
    assert PROFILE.callback_promise in all_bot_text(page)

    handoff = Handoffs(site.engine).open_for(conversation_of(page))
    assert handoff is not None and handoff.kind is Kind.CALLBACK
    assert handoff.contact.get("email") == "eva.lund@exempel.se"
    assert handoff.question == "Kan någon ringa mig om hur vi söker?"


def test_console_pages_have_no_accessibility_violations(
    site: Site, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{site.url}/handlaggare/logga-in")
    assert_no_axe_violations(page, "console login")
    console_login(page, site.url, PASSWORD)
    screenshot(page, "console-queue")
    reference = IntakeQueue(site.engine).list_cases()
    if reference:
        page.goto(f"{site.url}/handlaggare/arenden/{reference[0].reference}")
        assert_no_axe_violations(page, "console case")
        screenshot(page, "console-case")


@pytest.mark.parametrize("width,height", [(375, 667), (640, 450)])  # phone; 1280×900 at 200 %
def test_the_widget_fits_small_screens_and_zoom(
    site: Site, browser: Browser, width: int, height: int
) -> None:
    small = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = small.new_page()
        open_widget(page, site.url)
        box = page.locator(".iop-lotsen__panel").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        expect(page.locator(INPUT)).to_be_in_viewport()
        expect(page.locator("button.iop-lotsen__human")).to_be_in_viewport()
    finally:
        small.close()

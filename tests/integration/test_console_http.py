"""The caseworker console over real HTTP (aiohttp test server, real SQLite queue): login and
logout, CSRF, throttling, the queue, a case's status and exports, a callback handoff.

Rasa is not running here: the console must still work, showing the transcript stored with the
record or handoff. The live chat itself is tested in the browser (tests/e2e/test_widget_browser.py).
"""

from __future__ import annotations

import json
from html import escape

import pytest
from aiohttp.test_utils import TestClient

from bot.assessment import Answer
from bot.intake_queue import use_cases
from bot.intake_queue.accounts import set_active
from bot.intake_queue.cases import Claim
from bot.intake_queue.handoffs import HandoffRequest, Handoffs, HandoffStatus, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.intake_queue.statuses import Status
from bot.profile import load_profile
from bot.record import build_record
from tests.intake_fixtures import all_yes, complete_state
from tests.integration.console_login import EVIL_NAME, PASSWORD, log_in, login_token


def reference(queue: IntakeQueue) -> str:
    return queue.list_cases()[0].reference


async def test_pages_need_a_login(console_client: TestClient, console_queue: IntakeQueue) -> None:
    ref = reference(console_queue)
    for path in ("/handlaggare/", f"/handlaggare/arenden/{ref}", "/handlaggare/overlamningar/1"):
        response = await console_client.get(path, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"].startswith("/handlaggare/logga-in?next=")
    export = await console_client.get(
        f"/handlaggare/arenden/{ref}/export.json", allow_redirects=False
    )
    assert export.status == 303
    post = await console_client.post(f"/handlaggare/arenden/{ref}/ta", data={"csrf_token": "x"})
    assert post.status == 403
    assert console_queue.get(ref)["assigned_to"] is None


async def test_login_sets_a_strict_http_only_cookie(console_client: TestClient) -> None:
    token = await login_token(console_client)
    response = await console_client.post(
        "/handlaggare/logga-in",
        data={"username": "anna", "password": PASSWORD, "csrf_token": token, "next": ""},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/handlaggare/"
    cookie = response.cookies["iop_handlaggare"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/handlaggare"


async def test_login_without_the_form_token_is_refused(console_client: TestClient) -> None:
    await login_token(console_client)
    response = await console_client.post(
        "/handlaggare/logga-in",
        data={"username": "anna", "password": PASSWORD, "csrf_token": "forged"},
        allow_redirects=False,
    )
    assert response.status == 400
    assert "iop_handlaggare" not in response.cookies
    assert "för gammal" in await response.text()


async def test_wrong_password_then_throttled(console_client: TestClient) -> None:
    for _ in range(5):
        token = await login_token(console_client)
        response = await console_client.post(
            "/handlaggare/logga-in",
            data={"username": "anna", "password": "fel-lösenord-123", "csrf_token": token},
        )
        assert response.status == 401
        assert "Fel användarnamn eller lösenord" in await response.text()
    token = await login_token(console_client)
    response = await console_client.post(
        "/handlaggare/logga-in",
        data={"username": "anna", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 429
    assert "iop_handlaggare" not in response.cookies
    # Another caseworker is not locked out by someone guessing Anna's password.
    assert await log_in(console_client, "bo")


async def test_queue_lists_cases_with_user_text_escaped(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    await log_in(console_client)
    html = await (await console_client.get("/handlaggare/")).text()
    assert reference(console_queue) in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_security_headers(console_client: TestClient) -> None:
    response = await console_client.get("/handlaggare/logga-in")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


async def test_status_change_needs_the_session_token(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    csrf = await log_in(console_client)
    ref = reference(console_queue)
    forged = await console_client.post(
        f"/handlaggare/arenden/{ref}/status",
        data={"status": Status.UNDER_BEDOMNING.value, "note": "x", "csrf_token": "forged"},
        allow_redirects=False,
    )
    assert forged.status == 403
    assert console_queue.get(ref)["status"] == Status.INKOMMEN.value

    done = await console_client.post(
        f"/handlaggare/arenden/{ref}/status",
        data={"status": Status.UNDER_BEDOMNING.value, "note": "Ser lovande ut", "csrf_token": csrf},
        allow_redirects=False,
    )
    assert done.status == 303
    record = console_queue.get(ref)
    assert record["status"] == Status.UNDER_BEDOMNING.value
    last = record["status_history"][-1]
    assert (last["actor"], last["note"]) == ("anna", "Ser lovande ut")
    page = await (await console_client.get(f"/handlaggare/arenden/{ref}")).text()
    assert "Ser lovande ut" in page and "Ny status" in page


async def test_an_impossible_status_is_refused_politely(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    csrf = await log_in(console_client)
    ref = reference(console_queue)
    response = await console_client.post(
        f"/handlaggare/arenden/{ref}/status",
        data={"status": Status.AVSLUTAD_IOP_TECKNAS.value, "csrf_token": csrf},
    )
    assert response.status == 200
    assert "Status ändrades inte" in await response.text()
    assert console_queue.get(ref)["status"] == Status.INKOMMEN.value


async def test_an_unknown_status_is_answered_in_swedish_not_in_python(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    csrf = await log_in(console_client)
    ref = reference(console_queue)
    for forged in ("", "klar", "'; DROP TABLE"):
        response = await console_client.post(
            f"/handlaggare/arenden/{ref}/status", data={"status": forged, "csrf_token": csrf}
        )
        assert response.status == 200
        page = await response.text()
        assert "Status ändrades inte. Välj en status i listan." in page
        assert "is not a valid" not in page
    assert console_queue.get(ref)["status"] == Status.INKOMMEN.value


async def test_a_login_form_that_is_not_utf8_gets_the_form_again(
    console_client: TestClient,
) -> None:
    await login_token(console_client)
    response = await console_client.post(
        "/handlaggare/logga-in",
        data=b"username=anna&password=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False,
    )
    assert response.status == 400
    assert "iop_handlaggare" not in response.cookies
    assert "Försök igen" in await response.text()


async def test_claim_and_exports(console_client: TestClient, console_queue: IntakeQueue) -> None:
    csrf = await log_in(console_client)
    ref = reference(console_queue)
    claimed = await console_client.post(f"/handlaggare/arenden/{ref}/ta", data={"csrf_token": csrf})
    assert claimed.status == 200 and "Ärendet är ditt nu" in await claimed.text()
    assert console_queue.get(ref)["assigned_to"] == "anna"

    exported = await console_client.get(f"/handlaggare/arenden/{ref}/export.json")
    assert exported.headers["Content-Disposition"] == f'attachment; filename="{ref}.json"'
    record = json.loads(await exported.text())
    assert record["reference"] == ref and record["organisation"]["name"] == EVIL_NAME
    pdf = await console_client.get(f"/handlaggare/arenden/{ref}/export.pdf")
    assert pdf.content_type == "application/pdf"
    assert (await pdf.read()).startswith(b"%PDF-")


async def test_unknown_case_is_a_friendly_404(console_client: TestClient) -> None:
    await log_in(console_client)
    response = await console_client.get("/handlaggare/arenden/IOP-2026-9999")
    assert response.status == 404
    assert "IOP-2026-9999" in await response.text()


async def test_logout_ends_the_session(console_client: TestClient) -> None:
    csrf = await log_in(console_client)
    response = await console_client.post(
        "/handlaggare/logga-ut", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert response.status == 303
    again = await console_client.get("/handlaggare/", allow_redirects=False)
    assert again.status == 303 and "logga-in" in again.headers["Location"]


async def test_a_blocked_account_is_out_at_once(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    await log_in(console_client)
    set_active(console_queue.engine, "anna", False)
    response = await console_client.get("/handlaggare/", allow_redirects=False)
    assert response.status == 303


async def test_callback_handoff_shown_and_closed(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    handoffs = Handoffs(console_queue.engine)
    handoff = handoffs.request(
        HandoffRequest(
            "conv-2",
            Kind.CALLBACK,
            transcript=[{"at": "2026-11-30T09:00:00+00:00", "sender": "user", "text": "Ring mig"}],
            collected={"checklista": {"initiativ": "ja"}},
            contact={"name": "Eva <i>Lund</i>", "phone": "070-123 45 67"},
            question="Hur lång tid tar det?",
        )
    )
    csrf = await log_in(console_client)
    queue_page = await (await console_client.get("/handlaggare/")).text()
    assert f'data-handoff-id="{handoff.id}"' in queue_page
    page = await (await console_client.get(f"/handlaggare/overlamningar/{handoff.id}")).text()
    assert "Hur lång tid tar det?" in page and "070-123 45 67" in page
    assert "Eva &lt;i&gt;Lund&lt;/i&gt;" in page and "Ring mig" in page
    closed = await console_client.post(
        f"/handlaggare/overlamningar/{handoff.id}/avsluta", data={"csrf_token": csrf}
    )
    assert closed.status == 200
    assert handoffs.get(handoff.id).status is HandoffStatus.CLOSED
    from bot.intake_queue import audit

    # One line for the close, written with it; none twice.
    closes = [e for e in audit.entries(console_queue.engine) if e.action == "overlamning_close"]
    assert [(e.actor, e.subject) for e in closes] == [("anna", f"overlamning {handoff.id}")]


async def test_console_socket_needs_session_and_token(console_client: TestClient) -> None:
    response = await console_client.get("/handlaggare/ws?csrf=x")
    assert response.status == 403
    csrf = await log_in(console_client)
    forged = await console_client.get("/handlaggare/ws?csrf=forged")
    assert forged.status == 403
    socket = await console_client.ws_connect(f"/handlaggare/ws?csrf={csrf}")
    await socket.send_json({"type": "ping"})
    await socket.send_json({"type": "say", "handoff": 999, "text": "hej"})
    reply = await socket.receive_json(timeout=10)
    assert reply["type"] == "error"
    await socket.close()


async def test_widget_socket_refuses_foreign_origins(console_client: TestClient) -> None:
    response = await console_client.get("/chat/ws", headers={"Origin": "https://evil.example"})
    assert response.status == 403


async def test_every_caseworker_action_is_audited(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    from bot.intake_queue import audit

    csrf = await log_in(console_client)
    ref = reference(console_queue)
    await console_client.post(f"/handlaggare/arenden/{ref}/ta", data={"csrf_token": csrf})
    await console_client.post(
        f"/handlaggare/arenden/{ref}/status",
        data={"status": Status.UNDER_BEDOMNING.value, "note": "x", "csrf_token": csrf},
    )
    await console_client.get(f"/handlaggare/arenden/{ref}/export.pdf")
    await console_client.post("/handlaggare/logga-ut", data={"csrf_token": csrf})
    done = [(e.actor, e.action, e.subject) for e in reversed(audit.entries(console_queue.engine))]
    assert done == [
        ("anna", "inloggning", "konsolen"),
        ("anna", "ta_arende", ref),
        ("anna", "andra_status", ref),
        ("anna", "exportera_pdf", ref),
        ("anna", "utloggning", "konsolen"),
    ]


async def test_widget_config_tells_the_privacy_facts(console_client: TestClient) -> None:
    from bot.profile import active_profile

    profile = active_profile()
    response = await console_client.get("/chat/config", headers={"Origin": "https://evil.example"})
    assert await response.json() == {
        "kommun": profile.kommun.name,
        "retention_days": profile.retention_days,
        "privacy_contact": profile.kommun.contact.email,
    }
    assert "Access-Control-Allow-Origin" not in response.headers  # not an allowed origin


async def test_the_case_page_shows_the_self_assessment_and_what_to_look_at_first(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    """An initiative with three "nej" is received; the caseworker sees why, first."""
    profile = load_profile("mora")
    failed = profile.criteria[4:7]
    answers = {**all_yes(profile), **dict.fromkeys((c.id for c in failed), Answer.NO)}
    state = complete_state(profile)
    submitted = console_queue.submit(
        state.key,
        lambda ref, at: build_record(profile, state, answers, "conv-2", ref, at),
        [],
    )
    await log_in(console_client)
    page = await (await console_client.get(f"/handlaggare/arenden/{submitted.reference}")).text()
    assert "Organisationens första bedömning" in page and "Passar inte" in page
    assert "Titta först på:" in page
    for criterion in failed:
        assert escape(criterion.statement) in page


# -- login throttling behind the proxy (issue 13, item 4) -----------------------------------------


async def _try_login(console_client: TestClient, username: str, password: str, address: str) -> int:
    token = await login_token(console_client)
    response = await console_client.post(
        "/handlaggare/logga-in",
        data={"username": username, "password": password, "csrf_token": token, "next": ""},
        headers={"X-Forwarded-For": address},  # as nginx on the same host writes it
        allow_redirects=False,
    )
    return response.status


async def test_a_guesser_elsewhere_neither_locks_the_caseworker_out_nor_costs_a_hash(
    console_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web.console import auth

    hashed: list[str] = []
    real_authenticate = auth.authenticate

    def counting(engine, username, password):
        hashed.append(username)
        return real_authenticate(engine, username, password)

    monkeypatch.setattr(auth, "authenticate", counting)
    for _ in range(5):
        assert await _try_login(console_client, "anna", "fel-lösenord-123", "203.0.113.9") == 401
    for _ in range(10):
        assert await _try_login(console_client, "anna", "fel-lösenord-123", "203.0.113.9") == 429
    assert len(hashed) == 5  # refused attempts never reach scrypt
    # The guesser's address stays refused, even with the right password…
    assert await _try_login(console_client, "anna", PASSWORD, "203.0.113.9") == 429
    # …while Anna herself, at her own address behind the same proxy, logs in at once.
    assert await _try_login(console_client, "anna", PASSWORD, "198.51.100.7") == 303


async def test_behind_the_https_proxy_the_console_socket_accepts_the_https_origin(
    console_client: TestClient,
) -> None:
    """nginx terminates TLS and says so in X-Forwarded-Proto; the browser's Origin is https."""
    csrf = await log_in(console_client)
    host = console_client.server.host, console_client.server.port
    https_origin = f"https://{host[0]}:{host[1]}"
    proxied = {"Origin": https_origin, "X-Forwarded-Proto": "https"}
    socket = await console_client.ws_connect(f"/handlaggare/ws?csrf={csrf}", headers=proxied)
    await socket.send_json({"type": "ping"})
    await socket.close()
    # Without the proxy's word the connection is plain http, so an https Origin is foreign.
    refused = await console_client.get(
        f"/handlaggare/ws?csrf={csrf}", headers={"Origin": https_origin}
    )
    assert refused.status == 403


async def test_a_case_another_caseworker_has_is_taken_over_only_on_purpose(
    console_client: TestClient, console_queue: IntakeQueue
) -> None:
    ref = reference(console_queue)
    use_cases.claim_case(console_queue.engine, Claim(ref, "anna"))
    csrf = await log_in(console_client, "bo")
    page = await (await console_client.get(f"/handlaggare/arenden/{ref}")).text()
    assert "Ta över ärendet" in page
    plain = await console_client.post(
        f"/handlaggare/arenden/{ref}/ta", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert plain.status == 303
    assert console_queue.get(ref)["assigned_to"] == "anna"
    over = await console_client.post(
        f"/handlaggare/arenden/{ref}/ta",
        data={"csrf_token": csrf, "take_over": "1"},
        allow_redirects=False,
    )
    assert over.status == 303
    assert console_queue.get(ref)["assigned_to"] == "bo"


async def test_a_console_action_is_undone_when_its_audit_line_cannot_be_written(
    console_client: TestClient, console_queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.intake_queue import audit
    from bot.intake_queue.audit import AuditRepository

    def fail(*_: object, **__: object) -> None:
        raise SQLAlchemyError("the audit log could not be written")

    csrf = await log_in(console_client)
    ref = reference(console_queue)
    handoff = Handoffs(console_queue.engine).request(HandoffRequest("conv-9", Kind.CALLBACK, []))
    monkeypatch.setattr(AuditRepository, "add", fail)
    posts = [
        (f"/handlaggare/arenden/{ref}/ta", {}),
        (f"/handlaggare/arenden/{ref}/status", {"status": Status.UNDER_BEDOMNING.value}),
        (f"/handlaggare/arenden/{ref}/berorda", {"bodies": "Socialnämnden"}),
        (f"/handlaggare/overlamningar/{handoff.id}/ta", {}),
        ("/handlaggare/tillganglig", {"available": "nej"}),
        ("/handlaggare/logga-ut", {}),
    ]
    for path, form in posts:
        response = await console_client.post(
            path, data={**form, "csrf_token": csrf}, allow_redirects=False
        )
        assert response.status == 500, path
    download = await console_client.get(f"/handlaggare/arenden/{ref}/export.json")
    assert download.status == 500
    monkeypatch.undo()
    record = console_queue.get(ref)
    assert (record["assigned_to"], record["status"]) == (None, Status.INKOMMEN.value)
    assert len(record["status_history"]) == 1
    assert Handoffs(console_queue.engine).get(handoff.id).status is HandoffStatus.WAITING
    still_in = await console_client.get("/handlaggare/", allow_redirects=False)
    assert still_in.status == 200  # not logged out
    assert 'name="available" value="nej"' in await still_in.text()  # still taking chats
    assert [e.action for e in audit.entries(console_queue.engine)] == ["inloggning"]

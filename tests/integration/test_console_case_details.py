"""The case page in the console over real HTTP: the case details beside the record (yttrande,
berörda nämnder och bolag, intygskopia) and the arbetsgång's allowed steps."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient

from bot.intake_queue import audit, use_cases
from bot.intake_queue.case_details import get_details, today
from bot.intake_queue.repository import IntakeQueue
from bot.intake_queue.statuses import Status
from tests.integration.console_login import log_in

# -- the console ---------------------------------------------------------------------------------


async def test_console_saves_the_details_with_the_session_token(
    console_client: TestClient,
    console_queue: IntakeQueue,
) -> None:
    csrf = await log_in(console_client)
    reference = console_queue.list_cases()[0].reference
    base = f"/handlaggare/arenden/{reference}"
    forged = await console_client.post(f"{base}/berorda", data={"bodies": "X", "csrf_token": "nej"})
    assert forged.status == 403
    assert get_details(console_queue.engine, reference).concerned_bodies == ()

    done = await console_client.post(
        f"{base}/berorda",
        data={"bodies": "Socialnämnden\r\nMora Energi AB\r\n", "csrf_token": csrf},
    )
    assert done.status == 200 and "Berörda nämnder och bolag är sparade." in await done.text()
    await console_client.post(
        f"{base}/yttrande",
        data={
            "opinion": "Ingen marknad <b>finns</b>.",
            "given_by": "Per Ek",
            "given_on": "2026-03-10",
            "csrf_token": csrf,
        },
    )
    page = await (
        await console_client.post(f"{base}/intyg", data={"received_on": "", "csrf_token": csrf})
    ).text()
    assert "Noterat: en undertecknad kopia av intyget har kommit in." in page
    assert f"Mottagen {today().isoformat()} (noterat av anna)" in page
    assert "<li>Socialnämnden</li><li>Mora Energi AB</li>" in page
    assert "Ingen marknad &lt;b&gt;finns&lt;/b&gt;." in page
    assert "Lämnat 2026-03-10 av Per Ek" in page
    refused = await console_client.post(
        f"{base}/yttrande",
        data={"opinion": "x", "given_by": "Per", "given_on": "i morgon", "csrf_token": csrf},
    )
    assert "Inget sparades: Ogiltigt datum" in await refused.text()
    actions = [e.action for e in audit.entries(console_queue.engine, subject=reference)]
    assert actions == ["intyg_kopia_mottagen", "yttrande_upphandling", "berorda_namnder_bolag"]
    assert json.loads(json.dumps(console_queue.get(reference)))["status"] == "inkommen"


async def test_console_case_page_offers_only_the_allowed_steps(
    console_client: TestClient,
    console_queue: IntakeQueue,
) -> None:
    await log_in(console_client)
    reference = console_queue.list_cases()[0].reference
    use_cases.change_status(console_queue.engine, reference, Status.INTERN_DISKUSSION, "anna", None)
    page = await (await console_client.get(f"/handlaggare/arenden/{reference}")).text()
    options = page.split('id="new-status"')[1].split("</select>")[0]
    assert "Uppföljningsmöte" in options and "Avslutad: ej aktuellt" in options
    assert "Avslutad: IOP tecknas" not in options and "Möte med berörda" not in options


async def test_case_page_shows_whether_the_mail_went(
    console_client: TestClient,
    console_queue: IntakeQueue,
) -> None:
    await log_in(console_client)
    reference = console_queue.list_cases()[0].reference
    page = await (await console_client.get(f"/handlaggare/arenden/{reference}")).text()
    assert "Till registrator (kommun@mora.se): Väntar på att skickas" in page
    assert "Mottagningsbekräftelse (" in page

"""Every Swedish word the web gateway itself says, to users and to caseworkers: the only place for
the gateway's Swedish in Python (tests/unit/test_web_texts.py fails on any elsewhere in bot/web).

The bot's own answers are in domain.yml, the widget's words in the widget, the console pages'
markup in their templates (bot/web/templates/console). Here are the chat's failure messages, the
console's live chat, and the console pages' titles, labels and one-line messages (login, queue,
case, handoff). Plain, warm and short, du-tilltal; tests compare them by these names.
"""

from __future__ import annotations

from bot.web.frames import MAX_MESSAGE_LENGTH

# --- To the user, in the chat widget ------------------------------------------------------------

NOT_SENT = (
    "Just nu får jag ingen kontakt med IOP-lotsen, så ditt meddelande är inte skickat. "
    "Försök igen om en liten stund."
)
TOO_LONG = (
    f"Meddelandet är för långt. Skriv högst {MAX_MESSAGE_LENGTH} tecken åt gången – "
    "dela gärna upp det i flera meddelanden."
)
# Rasa answered with nothing: an action failed, perhaps after the intake was stored (the action
# server killed between the commit and its answer). The gateway cannot tell, so it does not claim
# either; a retry is safe because a submission is stored once (the intake key).
NO_ANSWER = (
    "Något gick fel hos IOP-lotsen och jag kunde inte svara. Skicka ditt meddelande igen om en "
    "liten stund. Ingenting sparas två gånger."
)
# The message waited too long for a slot in Rasa (bot/web/limits.py RASA_SLOT_WAIT).
BUSY = (
    "Just nu är det många som skriver till IOP-lotsen, så ditt meddelande är inte skickat. "
    "Försök igen om en liten stund."
)
# A button that is not among the newest question's buttons, with no text to take instead.
OLD_BUTTON = (
    "Den knappen hör till en tidigare fråga. Välj bland knapparna under den senaste frågan, "
    "eller skriv ditt svar."
)
# The user stopped waiting but the bot could not take over again.
NOT_CANCELLED = (
    "Det gick inte att avbryta väntan just nu, så du står kvar i kön. Försök igen om en stund."
)
# The widget's "talk to a person" button, as the transcript shows it (the widget's own title).
REQUEST_HUMAN_TITLE = "Prata med en handläggare"
# A frame the widget would never send (bot/web/chat.py).
NOT_UNDERSTOOD = "Det där kunde jag inte ta emot. Ladda om sidan och försök igen."
# Over the rate limits (bot/web/rate_limits.py): a person never meets these, a flood does.
TOO_FAST = (
    "Oj, nu kom det många meddelanden på kort tid. Vänta en liten stund och skicka sedan igen."
)
BUSY_HELLO = (
    "Det är många som öppnar chatten just nu. Vänta en liten stund, så kopplar jag upp dig."
)

# --- To the caseworker, on the console ----------------------------------------------------------

HANDOFF_CLOSED_ALREADY = "Den här chatten är redan avslutad."
# Rasa could not be resumed: nothing was closed, the caseworker still has the chat.
NOT_RESUMED = (
    "IOP-lotsen svarar inte just nu, så chatten är fortfarande öppen hos dig. "
    "Försök igen om en stund."
)
CASEWORKER_TOO_LONG = f"Skriv högst {MAX_MESSAGE_LENGTH} tecken per meddelande."
CHAT_NOT_STARTED = "Chatten är inte igång. Ta över den först."
NOT_DELIVERED = "Meddelandet kom inte fram till användaren. Försök igen."
UNKNOWN_FRAME = "Okänt meddelande."
LOG_IN_AGAIN = "Logga in igen."
SIGNED_OUT = "Du är utloggad. Logga in igen för att fortsätta."


def taken_by(colleague: str) -> str:
    """Someone else took the handoff first."""
    return f"{colleague} har redan tagit den här."


def only_they_can_close(colleague: str) -> str:
    return f"{colleague} har den här; bara hen kan avsluta."


def their_chat(colleague: str) -> str:
    return f"{colleague} har den här chatten."


# --- Console: logging in (bot/web/console/auth.py, pages/login.py) -----------------------------

LOGIN_TITLE = "Logga in"
NOT_LOGGED_IN = "Du är inte inloggad. Logga in igen."
WRONG_LOGIN = "Fel användarnamn eller lösenord."
TOO_MANY_TRIES = "För många misslyckade försök. Vänta en kvart och försök igen."
STALE_LOGIN_FORM = "Inloggningssidan var för gammal. Försök igen."
TOO_MANY_FOR_ACCOUNT = (
    "Just nu görs många inloggningsförsök för det här kontot. Vänta en minut och försök igen."
)
TOO_MANY_FROM_HERE = (
    "För många misslyckade inloggningsförsök. Vänta en stund och försök igen. "
    "Har du glömt lösenordet? Be den som administrerar konsolen om ett nytt."
)
LOGIN_BUSY = "Många loggar in just nu. Vänta några sekunder och försök igen."
# A client without an address (bot/web/proxies.py, the login throttle): never shown, but Swedish.
UNKNOWN_ADDRESS = "okänd"

# --- Console: any form, any page (auth.py, pages/common.py) -------------------------------------

UNREADABLE_FORM = "Formuläret gick inte att läsa. Ladda om sidan och försök igen."
STALE_FORM = "Formuläret var för gammalt. Ladda om sidan och försök igen."
ERROR_TITLE = "Något gick fel"

# --- Console: the queue (pages/queue_page.py) ---------------------------------------------------

QUEUE_TITLE = "Kö"
TAKING_CHATS = "Du tar emot chattar."
NOT_TAKING_CHATS = "Du tar inte emot chattar just nu."

# --- Console: a case (pages/case.py) ------------------------------------------------------------

CASE_IS_YOURS = "Ärendet är ditt nu."
NO_SUCH_STATUS = "Status ändrades inte. Välj en status i listan."
# The case's e-mail, by outbox purpose.
MAIL_PURPOSES = {"registrator": "Till registrator", "kvittens": "Mottagningsbekräftelse"}


def status_not_changed(reason: object) -> str:
    return f"Status ändrades inte: {reason}"


def new_status(label: str) -> str:
    return f"Ny status: {label}."


def mail_sent(when: str) -> str:
    return f"Skickat {when}"


def mail_failed(error: str | None) -> str:
    return f"Misslyckades: {error or 'okänt fel'}"


def mail_waiting(attempts: int, error: str | None) -> str:
    """Not sent yet; after a failed attempt, which one and why."""
    return "Väntar på att skickas" + (f" (försök {attempts}: {error})" if error else "")


# --- Console: a case's detail forms (pages/case_forms.py) ---------------------------------------

OPINION_SAVED = "Upphandlingsenhetens yttrande är sparat."
BODIES_SAVED = "Berörda nämnder och bolag är sparade."
DECLARATION_COPY_NOTED = "Noterat: en undertecknad kopia av intyget har kommit in."


def nothing_saved(reason: object) -> str:
    return f"Inget sparades: {reason}"


def invalid_date(value: str) -> str:
    return f"Ogiltigt datum '{value}'; skriv ÅÅÅÅ-MM-DD."


# --- Console: a handoff (pages/handoffs.py, console/collected.py) --------------------------------

# The sections of what the bot had collected when the handoff was asked for.
COLLECTED_CHECKLIST = "Checklistan"
COLLECTED_INTAKE = "Initiativet hittills"
COLLECTED_DOCUMENTS = "Handlingar"
COLLECTED_OTHER = "Övrigt"

# By Kind and HandoffStatus value (bot/intake_queue/handoffs.py).
HANDOFF_KIND_LABELS = {"live": "Chatt", "callback": "Ring upp"}
HANDOFF_STATUS_LABELS = {"vantar": "Väntar", "pagar": "Pågår", "avslutad": "Avslutad"}
TAKEN_OVER = "Du har tagit över. Det du skriver syns direkt för användaren."
HANDED_BACK = "IOP-lotsen har tagit över samtalet igen."
HANDOFF_CLOSED = "Överlämningen är avslutad."


def handoff_title(handoff_id: int) -> str:
    return f"Överlämning {handoff_id}"

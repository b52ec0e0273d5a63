"""Every Swedish word the web gateway itself says, to users and to caseworkers: the only place for
the gateway's Swedish.

The bot's own answers are in domain.yml, the widget's words in the widget, the console pages' in
their templates. These are the gateway's few messages: mostly that something failed and what to
do about it. Plain, warm and short, du-tilltal; tests compare them by these names.
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

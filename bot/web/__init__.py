"""The chat page served next to the bot (a simple REST client; the full widget is issue 4)."""

"""Rasa SDK adapter: turns trackers into plain values and calls bot/.

The kommun profile is loaded and validated here, at import, so a broken profile stops the action
server at start-up with a clear message instead of failing in the middle of a conversation.
"""

from bot.profile import active_profile

active_profile()

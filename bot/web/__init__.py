"""The web gateway: one aiohttp application between the browser, Rasa and the intake queue.

`app.py` builds it (`serve.py` runs it; `app_keys.py` names its shared objects). It serves the
chat widget's files and WebSocket (`chat.py`, docs/widget-protocol.md), the demo page and the
caseworker console (`console/`: login, pages, live socket; `templates/`, `static/`).
`conversation.py` carries each conversation to Rasa (`rasa_client.py`) or to the caseworker who
took it over, and `hub.py` delivers frames live to open tabs and console pages. Masking
(`masking.py`), the widget's secret (`session_keys.py`), origins and headers (`security.py`,
`proxies.py`) and rate limits (`rate_limits.py`, `limits.py`) guard it; `settings.py` reads
its configuration from the environment.
"""

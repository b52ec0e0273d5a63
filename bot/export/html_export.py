"""The record as one self-contained HTML page a caseworker can read, archive and print.

Everything (styles included) is in the one file so it opens the same anywhere, offline. Autoescape
is on: the organisation wrote most of this text, and it must never become markup.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from bot.clock import now_utc
from bot.export.labels import LOOK_AT_FIRST, SELF_ASSESSMENT, format_time
from bot.export.view import build_view

TEMPLATE = "record.html.j2"


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("bot.export", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt field should fail the tests, not print nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE)


def render_html(record: dict[str, Any], printed_at: datetime | None = None) -> str:
    """The whole case file as HTML; `printed_at` (default now) is shown in the footer."""
    return _template().render(
        view=build_view(record),
        self_assessment=SELF_ASSESSMENT,
        look_at_first=LOOK_AT_FIRST,
        printed_at=format_time(printed_at or now_utc()),
    )

"""The record as JSON for the kommun's registration (diarium), checked against the schema first.

The schema is the contract with the receiving system, so an export that does not match it is an
error here rather than a surprise there.
"""

from __future__ import annotations

import json
from typing import Any

from bot.record import validate_record


def export_json(record: dict[str, Any]) -> str:
    """Pretty, UTF-8 readable JSON; raises `bot.record.RecordError` if the record is invalid."""
    return json.dumps(validate_record(record), ensure_ascii=False, indent=2) + "\n"

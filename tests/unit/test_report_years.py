"""The yearly follow-up table, CSV and chart: initiatives by the year submitted, decisions by the
year decided (the queue side is tested in tests/integration/test_arbetsgang_statuses.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.export.report import render_chart_png, render_table_text, write_csv, yearly_table
from bot.intake_queue.repository import YearCounts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADING = ["År", "Inkomna initiativ", "Beslut: IOP tecknas", "Beslut: ej aktuellt", "Beslut totalt"]


def counts() -> dict[int, YearCounts]:
    return {
        2025: YearCounts(submitted=4, signed=1, not_relevant=1),
        2026: YearCounts(submitted=3, signed=1, not_relevant=0),
        2027: YearCounts(submitted=0, signed=0, not_relevant=2),  # old cases decided later
    }


def test_table_has_a_row_per_year_and_the_sums() -> None:
    assert yearly_table(counts()) == [
        HEADING,
        ["2025", "4", "1", "1", "2"],
        ["2026", "3", "1", "0", "1"],
        ["2027", "0", "0", "2", "2"],
        ["Totalt", "7", "2", "3", "5"],
    ]


def test_table_without_cases() -> None:
    assert yearly_table({}) == [HEADING, ["Totalt", "0", "0", "0", "0"]]


def test_text_table_is_aligned_with_rules() -> None:
    lines = render_table_text(yearly_table(counts())).splitlines()
    assert lines[0].startswith("År") and "Inkomna initiativ" in lines[0]
    assert set(lines[1]) == {"-", " "} and set(lines[-2]) == {"-", " "}
    assert lines[2].split() == ["2025", "4", "1", "1", "2"]
    assert lines[-1].split() == ["Totalt", "7", "2", "3", "5"]
    assert len({len(line) for line in lines}) == 1  # every column right-aligned to one width


def test_csv_opens_in_swedish_excel(tmp_path: Path) -> None:
    path = write_csv(yearly_table(counts()), tmp_path / "r.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows == yearly_table(counts())


@pytest.mark.parametrize("data", [counts(), {}])
def test_chart_is_a_png(tmp_path: Path, data: dict[int, YearCounts]) -> None:
    content = render_chart_png(data, tmp_path / "chart.png").read_bytes()
    assert content.startswith(PNG_SIGNATURE) and len(content) > 5_000

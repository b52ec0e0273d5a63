"""The yearly follow-up the kommun's guideline asks for: "Antal IOP ansökningar samt beslut om
partnerskap i form av IOP följs upp årligen".

Initiatives count in the year they were submitted; decisions (avtal tecknat, inte aktuellt) in
the year they were made. So a year's figures are final once the year is over: an old case
decided today adds to today's year and never rewrites a report already handed in. One table
feeds the terminal, the CSV and the chart, so the three never disagree.
"""

from __future__ import annotations

import csv
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.intake_queue.repository import YearCounts

Counts = dict[int, YearCounts]

YEAR_HEADING = "År"
SUBMITTED_HEADING = "Inkomna initiativ"
SIGNED_HEADING = "Beslut: IOP tecknas"
NOT_RELEVANT_HEADING = "Beslut: ej aktuellt"
DECISIONS_HEADING = "Beslut totalt"
TOTAL_HEADING = "Totalt"
HEADINGS = [
    YEAR_HEADING,
    SUBMITTED_HEADING,
    SIGNED_HEADING,
    NOT_RELEVANT_HEADING,
    DECISIONS_HEADING,
]
CHART_TITLE = "IOP-initiativ och beslut per år"
# Submitted in blue; decisions in green (IOP) and grey (not relevant).
SERIES = (
    (SUBMITTED_HEADING, "submitted", "#3182bd"),
    (SIGNED_HEADING, "signed", "#31a354"),
    (NOT_RELEVANT_HEADING, "not_relevant", "#969696"),
)


def yearly_table(counts: Counts) -> list[list[str]]:
    """Heading row, one row per year (oldest first), then a `Totalt` row over all years."""
    rows = [list(HEADINGS)]
    total = YearCounts()
    for year in sorted(counts):
        figures = counts[year]
        total = YearCounts(
            total.submitted + figures.submitted,
            total.signed + figures.signed,
            total.not_relevant + figures.not_relevant,
        )
        rows.append([str(year), *_numbers(figures)])
    rows.append([TOTAL_HEADING, *_numbers(total)])
    return rows


def _numbers(figures: YearCounts) -> list[str]:
    return [
        str(figures.submitted),
        str(figures.signed),
        str(figures.not_relevant),
        str(figures.decisions),
    ]


def render_table_text(rows: list[list[str]]) -> str:
    """Aligned columns for the terminal, with a rule under the heading and before the sums."""
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "  ".join("-" * width for width in widths)
    lines = []
    for index, row in enumerate(rows):
        if index == len(rows) - 1 and index > 0:
            lines.append(rule)
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
        if index == 0:
            lines.append(rule)
    return "\n".join(lines)


def write_csv(rows: list[list[str]], path: Path) -> Path:
    """Semicolon-separated UTF-8 with a byte-order mark: what Excel with Swedish settings opens
    correctly (a comma is the decimal sign there, and without the mark å/ä/ö come out garbled)."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    return path


def render_chart_png(counts: Counts, path: Path) -> Path:
    """Grouped bars per year: submitted, signed, not relevant. Uses the Agg canvas directly: no
    display, no pyplot state shared with anything else in the process."""
    path = Path(path)
    figure = Figure(figsize=(9, 5), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    years = sorted(counts)
    width = 0.26
    highest = 1
    for offset, (label, attribute, colour) in enumerate(SERIES):
        positions = [i + (offset - 1) * width for i in range(len(years))]
        heights = [getattr(counts[year], attribute) for year in years]
        highest = max([highest, *heights])
        bars = axes.bar(positions, heights, width=width, label=label, color=colour)
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xticks(list(range(len(years))))
    axes.set_xticklabels([str(year) for year in years])
    axes.set_title(CHART_TITLE)
    axes.set_xlabel("År")
    axes.set_ylabel("Antal")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, highest * 1.2)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    if years:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:
        axes.text(
            0.5, 0.5, "Inga initiativ ännu", ha="center", va="center", transform=axes.transAxes
        )
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path

"""The yearly follow-up the kommun's guideline asks for: initiatives per year and status.

One table feeds the terminal, the CSV and the chart, so the three never disagree. Counts are by
the year a case was submitted and its status today. "Beslut" counts the closed cases, the ones the
kommun has decided on (IOP tecknas or ej aktuellt).
"""

from __future__ import annotations

import csv
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.intake_queue.statuses import Status

Counts = dict[int, dict[Status, int]]

YEAR_HEADING = "År"
DECISIONS_HEADING = "Beslut"
TOTAL_HEADING = "Totalt"
CHART_TITLE = "IOP-initiativ per år och status"
# One colour per status, in arbetsgång order: open cases in blues, decided ones green and grey.
STATUS_COLOURS = {
    Status.INKOMMEN: "#c6dbef",
    Status.UNDER_BEDOMNING: "#9ecae1",
    Status.FORSTA_MOTE: "#6baed6",
    Status.KONTROLL_AV_ORGANISATION: "#3182bd",
    Status.DIALOG_MED_FORVALTNINGAR: "#08519c",
    Status.AVSLUTAD_IOP_TECKNAS: "#31a354",
    Status.AVSLUTAD_EJ_AKTUELLT: "#969696",
}


def yearly_table(counts: Counts) -> list[list[str]]:
    """Heading row, one row per year, then a `Totalt` row over all years.

    Columns: year, one per status (arbetsgång order), decisions (closed cases), total.
    """
    heading = [YEAR_HEADING, *(s.label for s in Status), DECISIONS_HEADING, TOTAL_HEADING]
    rows = [heading]
    sums = dict.fromkeys(Status, 0)
    for year in sorted(counts):
        per_status = {s: counts[year].get(s, 0) for s in Status}
        for status, count in per_status.items():
            sums[status] += count
        rows.append([str(year), *_numbers(per_status)])
    rows.append([TOTAL_HEADING, *_numbers(sums)])
    return rows


def _numbers(per_status: dict[Status, int]) -> list[str]:
    decisions = sum(count for status, count in per_status.items() if status.closed)
    return [*(str(per_status[s]) for s in Status), str(decisions), str(sum(per_status.values()))]


def render_table_text(rows: list[list[str]]) -> str:
    """The table turned on its side (statuses down, years across): seven status labels side by
    side would not fit a terminal, a handful of years does."""
    if not rows:
        return ""
    heading, *body = rows
    turned = [[heading[0], *(row[0] for row in body)]]
    turned += [[label, *(row[i] for row in body)] for i, label in enumerate(heading[1:], start=1)]
    widths = [max(len(row[i]) for row in turned) for i in range(len(turned[0]))]
    lines = []
    for index, row in enumerate(turned):
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
        if index == 0 or row[0] == Status.AVSLUTAD_EJ_AKTUELLT.label:
            lines.append("  ".join("-" * width for width in widths))  # rule before the sums
    return "\n".join(lines)


def write_csv(rows: list[list[str]], path: Path) -> Path:
    """Semicolon-separated UTF-8 with a byte-order mark: what Excel with Swedish settings opens
    correctly (a comma is the decimal sign there, and without the mark å/ä/ö come out garbled)."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    return path


def render_chart_png(counts: Counts, path: Path) -> Path:
    """A stacked bar per year by status. Uses the Agg canvas directly: no display, no pyplot
    state shared with anything else in the process."""
    path = Path(path)
    figure = Figure(figsize=(9, 5), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    years = sorted(counts)
    positions = list(range(len(years)))
    bottoms = [0] * len(years)
    for status in Status:
        heights = [counts[year].get(status, 0) for year in years]
        axes.bar(
            positions,
            heights,
            bottom=bottoms,
            label=status.label,
            color=STATUS_COLOURS[status],
            edgecolor="white",
            width=0.6,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for position, total in zip(positions, bottoms, strict=True):
        axes.annotate(
            str(total),
            (position, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    axes.set_xticks(positions)
    axes.set_xticklabels([str(year) for year in years])
    axes.set_title(CHART_TITLE)
    axes.set_xlabel("År")
    axes.set_ylabel("Antal initiativ")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([*bottoms, 1]) * 1.15)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    if years:
        axes.legend(title="Status", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:
        axes.text(
            0.5, 0.5, "Inga initiativ ännu", ha="center", va="center", transform=axes.transAxes
        )
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path

"""`rapport`: the yearly follow-up the guideline asks for, as a table, CSV and a chart."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.common import open_queue
from bot.cli.parser import command


def register(commands: Any) -> None:
    """Add `rapport`."""
    report = command(
        commands,
        "rapport",
        "årsuppföljning: inkomna initiativ och beslut per år",
        _report,
        description=(
            "Årsuppföljning enligt riktlinjen: initiativ räknas det år de kom in, beslut (IOP "
            "tecknas, ej aktuellt) det år beslutet togs. Ett avslutat år ändras alltså inte."
        ),
    )
    report.add_argument(
        "--ut",
        metavar="KATALOG",
        default=".",
        help="katalog för iop-rapport.csv och iop-rapport.png (standard: här)",
    )


def _report(args: argparse.Namespace) -> int:
    from bot.export.report import render_chart_png, render_table_text, write_csv, yearly_table

    with open_queue(args) as queue:
        counts = queue.yearly_counts()
    directory = Path(args.ut)
    directory.mkdir(parents=True, exist_ok=True)
    rows = yearly_table(counts)
    print(render_table_text(rows))
    print("\nInitiativ räknas det år de kom in, beslut det år beslutet togs.")
    csv_path = write_csv(rows, directory / "iop-rapport.csv")
    png_path = render_chart_png(counts, directory / "iop-rapport.png")
    print(f"Sparade {csv_path} och {png_path}")
    return 0

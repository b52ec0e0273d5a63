"""Plain-text tables for the terminal: columns padded to their widest cell."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def align_columns(
    rows: Sequence[Sequence[str]], right: Collection[int] = (), gap: str = "  "
) -> str:
    """The first row is the heading and gets a rule under it; `right` holds numeric columns."""
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return gap.join(cells).rstrip()

    rule = gap.join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])

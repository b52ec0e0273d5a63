"""The record as a PDF for the diarium: the same content as the HTML export, on A4 pages.

DejaVu Sans (shipped inside matplotlib, so no extra download) is embedded, so å, ä, ö and names
in other scripts print correctly on any machine. The whole transcript and the declaration text
are included because the PDF is often the copy that is archived.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from bot.clock import now_utc
from bot.export.labels import LOOK_AT_FIRST, SELF_ASSESSMENT, format_time
from bot.export.view import RecordView, Section, build_view

FONT = "DejaVu"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
REPLACEMENT = "\ufffd"

ACCENT = (31, 78, 121)
MUTED = (91, 91, 91)
LINE = (208, 208, 208)
SOFT = (243, 244, 246)
LINE_HEIGHT = 5.0


@cache
def _printable() -> frozenset[int]:
    """Code points both fonts can draw (fpdf2 would silently drop any other character)."""
    maps = [set(TTFont(path).getBestCmap()) for path in FONT_FILES.values()]
    return frozenset(set.intersection(*maps))


def clean(text: str) -> str:
    """Text the PDF can show: a tab as four spaces, no control characters, and a visible � where the
    font has no glyph (an emoji, say) so the reader knows something was there."""
    printable = _printable()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(
        c if c == "\n" or (ord(c) in printable and c.isprintable()) else REPLACEMENT
        for c in text
        if c == "\n" or not _is_control(c)
    )


def _is_control(character: str) -> bool:
    return ord(character) < 32 or 0x7F <= ord(character) < 0xA0


class _CaseFile(FPDF):
    """A4 pages with the reference in the header and "Sida x av y" in the footer."""

    def __init__(self, view: RecordView, printed_at: str) -> None:
        super().__init__(format="A4")
        self.view = view
        self.printed_at = printed_at
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, path)
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_draw_color(*LINE)
        self.set_title(f"{view.reference} – {view.organisation_name}")
        self.set_author("IOP-lotsen")
        self.set_subject(f"IOP-initiativ till {view.kommun}")
        self.set_lang("sv")
        self.set_creator("IOP-lotsen")

    def header(self) -> None:
        self.set_y(9)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, clean(f"IOP-initiativ · {self.view.kommun}"))
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", 8)
        self.cell(0, 5, clean(self.view.reference), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_y(self.t_margin)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Utskrivet {self.printed_at} · Alla tider i svensk tid")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # -- building blocks --------------------------------------------------------------------------

    def heading(self, title: str) -> None:
        if self.will_page_break(25):  # keep a heading with the first lines under it
            self.add_page()
        self.ln(4)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*ACCENT)
        self.cell(0, 7, clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.set_text_color(0, 0, 0)

    def paragraph(
        self, text: str, size: float = 10, style: str = "", indent: float = 0, fill: bool = False
    ) -> None:
        """Wrapped text; newlines are kept. In WORD mode fpdf2 still breaks a word longer than
        the line (a URL, a hash) between characters, so nothing runs off the page."""
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            LINE_HEIGHT,
            clean(text),
            align="L",
            fill=fill,
            wrapmode=WrapMode.WORD,
            padding=(1.5, 2) if fill else 0,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def fields(self, section: Section) -> None:
        self.table_of(
            [[f.label, f.value] for f in section.fields],
            col_widths=(28, 72),
            headings=False,
            links=[f.href for f in section.fields],
        )

    def table_of(
        self,
        rows: Sequence[Sequence[str]],
        col_widths: Sequence[float],
        headings: bool = True,
        links: Sequence[str | None] | None = None,
    ) -> None:
        self.set_font(FONT, "", 9)
        with self.table(
            col_widths=tuple(col_widths),
            first_row_as_headings=headings,
            headings_style=FontFace(emphasis="BOLD", fill_color=SOFT),
            text_align="LEFT",
            line_height=4.6,
            padding=1.2,
            wrapmode=WrapMode.WORD,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            for index, values in enumerate(rows):
                row = table.row()
                link = links[index] if links else None
                for column, value in enumerate(values):
                    label = column == 0 and not headings
                    style = FontFace(emphasis="BOLD", color=MUTED) if label else None
                    row.cell(clean(value), style=style, link=link if column == 1 else None)
        self.ln(1)


def render_pdf(record: dict[str, Any], printed_at: datetime | None = None) -> bytes:
    """The whole case file as PDF bytes; `printed_at` (default now) is shown in the footer."""
    view = build_view(record)
    pdf = _CaseFile(view, format_time(printed_at or now_utc()))
    pdf.add_page()
    _title(pdf, view)
    for section in view.sections():
        pdf.heading(section.title)
        pdf.fields(section)
    _checklist(pdf, view)
    _documents(pdf, view)
    _declaration(pdf, view)
    pdf.heading(view.personal_data.title)
    pdf.fields(view.personal_data)
    _history(pdf, view)
    _transcript(pdf, view)
    return bytes(pdf.output())


def _title(pdf: _CaseFile, view: RecordView) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.paragraph(view.organisation_name, size=17, style="B")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)
    pdf.paragraph(
        f"Referens: {view.reference}   ·   Status: {view.status}   ·   Inlämnat: {view.submitted}",
        size=10,
        style="B",
    )


def _checklist(pdf: _CaseFile, view: RecordView) -> None:
    pdf.heading("Checklistan")
    pdf.paragraph(f"{SELF_ASSESSMENT}: {view.verdict}", style="B")
    if view.look_at_first:
        pdf.paragraph(f"{LOOK_AT_FIRST}:", style="B")
        for statement in view.look_at_first:
            pdf.paragraph(f"• {statement}")
    pdf.paragraph(f"Källa: {view.checklist_source}", size=8)
    pdf.ln(1)
    rows = [["Kriterium", "Svar"], *([r.statement, r.answer] for r in view.checklist)]
    pdf.table_of(rows, col_widths=(82, 18))


def _documents(pdf: _CaseFile, view: RecordView) -> None:
    pdf.heading("Handlingar")
    rows = [
        ["Handling", "Status", "År", "Lämnas via", "Länk"],
        *([d.name, d.status, d.year, d.delivery, d.link or "–"] for d in view.documents),
    ]
    pdf.table_of(rows, col_widths=(34, 15, 9, 13, 29))
    pdf.paragraph("Saknas eller kommer senare:", style="B")
    if view.missing_documents:
        for name in view.missing_documents:
            pdf.paragraph(f"•  {name}", indent=3)
    else:
        pdf.paragraph("Inga – alla handlingar finns.", indent=3)


def _declaration(pdf: _CaseFile, view: RecordView) -> None:
    pdf.heading(view.declaration.title)
    pdf.fields(view.declaration)
    pdf.ln(1)
    pdf.set_fill_color(*SOFT)
    pdf.paragraph(view.declaration_text, size=9.5, fill=True)


def _history(pdf: _CaseFile, view: RecordView) -> None:
    pdf.heading("Statushistorik")
    if not view.history:
        pdf.paragraph("Ingen historik.")
        return
    rows = [
        ["Tid", "Från", "Till", "Av", "Notering"],
        *([h.at, h.from_status, h.to_status, h.actor, h.note] for h in view.history),
    ]
    pdf.table_of(rows, col_widths=(19, 19, 19, 14, 29))


def _transcript(pdf: _CaseFile, view: RecordView) -> None:
    """One block per message (not a table) so a long message can run over a page break."""
    pdf.heading("Samtalet")
    if not view.transcript:
        pdf.paragraph("Samtalet finns inte sparat.")
        return
    for utterance in view.transcript:
        if pdf.will_page_break(12):
            pdf.add_page()
        pdf.set_text_color(*(ACCENT if utterance.from_user else MUTED))
        pdf.paragraph(f"{utterance.speaker} · {utterance.at}", size=8, style="B")
        pdf.set_text_color(0, 0, 0)
        pdf.paragraph(utterance.text, size=9.5, indent=4)
        pdf.ln(1.5)

"""The blank Swedish spaCy pipeline that SpacyNLP loads (no downloads: lookups from PyPI).

The lookup lemmatizer from spacy-lookups-data is extended with diacritic-free spellings
("foreningen" -> "förening") so users who type without å/ä/ö get the same lemmas. The table is
held by bot/spacy_lemmatizer.py (compact arrays; same lemmas as spaCy's lookup lemmatizer).
"""

from __future__ import annotations

from pathlib import Path

import spacy
import spacy_lookups_data
import srsly

from bot.spacy_lemmatizer import FACTORY
from bot.text import fold_diacritics

# Lookup-table lemmas that are wrong for the everyday words our users write most.
LEMMA_FIXES = {
    "har": "ha",
    "hade": "ha",
    "haft": "ha",
    "finns": "finnas",
    "fanns": "finnas",
    "är": "vara",
    "var": "vara",
    "varit": "vara",
    "kan": "kunna",
    "vill": "vilja",
    "ska": "skola",
    "måste": "måsta",
    "får": "få",
    "vet": "veta",
    "gör": "göra",
    "vad": "vad",
    "när": "när",
    "hur": "hur",
    "nä": "nä",
    "ja": "ja",
    "nej": "nej",
}


def build_lookup_table() -> dict[str, str]:
    source = Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz"
    table: dict[str, str] = srsly.read_gzip_json(source)
    table.update(LEMMA_FIXES)
    for form, lemma in list(table.items()):
        table.setdefault(fold_diacritics(form), lemma)
    return table


def build(output: Path) -> None:
    nlp = spacy.blank("sv")
    nlp.meta["name"] = "iop_lotsen_sv"
    nlp.meta["version"] = "1.0.0"
    nlp.add_pipe(FACTORY).set_table(build_lookup_table())
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)

"""Whether a message plainly asks for a person, in words, not only by NLU's reading.

In the middle of the intake a reply is often a name or a free description ("Eva Lunds konsult",
"vi träffar äldre varje vecka"), and NLU may read such a reply as a request for a caseworker.
Leaving the form then would lose the answer and surprise the user, so mid-intake the bot hands
over only on a button press, a question, or words that say it outright.
"""

from __future__ import annotations

import re

from bot.text import fold_diacritics

_SOMEONE = r"(nagon|nan|naagon|er|handlaggare\w*|kommunen|manniska|tjanste\w+|(en\s+)?person)"
_PLAIN_REQUESTS = re.compile(
    rf"""
      \bhandl[ae]gg                                    # handläggare, -n, "handläggre"
    | \btjanste(person|man)
    | \bforeningskonsulent
    | \b(mann?i?ska|robot|bot)\b                      # människa, "mänska"
    | \b(prat\w*|tala\w*|chatta\w*|snacka\w*)\s+(\w+\s+)?med\s+{_SOMEONE}\b  # "hellre med"
    | \b(prat\w*|tala\w*)\s+i\s+telefon\b | \bmuntligt?\b
    | \bsamtal\s+med\s+{_SOMEONE}\b
    | \b(telefon|direkt)?numret\s+till\b | \bdirektnummer\b | \btelefonnummer\s+till\b
    | \b(mejl\w*|mail\w*|e-?post\w*)\s+till\s+(den|nagon|nan|er)\b
    | \b(prata|tala)\s+med\W*$                        # "finns det någon jag kan prata med?"
    | \bkontakt\s+med\s+({_SOMEONE}|\w*kommun\w*|\w*forvaltning\w*|\w*enhet\w*)
    | \bpersonlig\s+kontakt\b | \bsamtal\s+fran\b
    | \bmejladress | \bnumret\s+till\b
    | \bring(a|er)?\s+(upp\s+)?(mig|oss|nagon|nan)\b | \bring(a)?\s+tillbaka\b
    | \bring(a)?\s+till\s+(er|kommunen)\b | \bjag\s+kan\s+ringa\b
    | \bta\s+det\s+pa\s+telefon\b | \buppringd\b
    | \bkontakta\s+(mig|oss|var|vart|vara)\b | \bkontaktad\b
    | \bhora?\s+av\s+(er|dig|sig)\b
    | \bkoppla\s+(mig|oss|vidare)\b
    | \b(riktig|levande)\s+person\b | \bhjalp\s+av\s+(en|nagon|nan)\s+person\b
    | \b(mejla|maila)\s+(nagon|nan|er|mig)\b
    | \bboka\s+(ett\s+)?(\w+\s+)?\w*mote\b | \bkan\s+vi\s+traffas\b
    | \b(fa|kan\s+(jag|vi))\s+traffa\s+(nagon|nan|er)\b
    | \btraffa\s+(nagon|nan)\s+(fran|pa)\s+(er|kommunen)\b
    | \btalk\s+to\s+(a|someone)\b | \bhuman\b
    """,
    re.VERBOSE,
)


def plainly_asks_for_a_person(text: str) -> bool:
    """True for a button press (a /payload) or a sentence that says it wants a person."""
    stripped = text.strip()
    return stripped.startswith("/") or bool(_PLAIN_REQUESTS.search(fold_diacritics(stripped)))

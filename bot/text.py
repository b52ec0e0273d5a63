"""Text normalisation shared by the NLU featurizer and the answer parser.

Many users type without å/ä/ö ("forening", "vad ar iop"); folding both the training data and the
user's message onto the same letters lets the model treat them as the same word.
"""

from __future__ import annotations

import unicodedata

_FOLDS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o"})


def fold_diacritics(text: str) -> str:
    """Lower-case and strip Swedish (and other) diacritics: 'Förening' -> 'forening'."""
    lowered = text.lower().translate(_FOLDS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

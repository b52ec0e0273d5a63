"""Build the blank Swedish spaCy pipeline that SpacyNLP loads (no downloads: lookups from PyPI).

    python scripts/build_spacy_model.py OUTPUT_DIR

The pipeline and its lemma table are made by devstack/spacy_model.py (scripts/setup.sh runs this
when either changes).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from devstack.spacy_model import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    build(parser.parse_args().output)


if __name__ == "__main__":
    main()

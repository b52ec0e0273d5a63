"""`rasa data validate --fail-on-warnings`, minus one known false positive.

Rasa's validator warns about every response that no story or rule names, but many of ours are
sent by custom actions (with values from the kommun profile). Those, and only those, are listed
by bot.names.Response.used_by_actions(); any other warning or error fails, as with the flag.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project to validate")
    root = parser.parse_args().root
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.utils.common import EXPECTED_WARNINGS

    from bot.names import Response

    importer = TrainingDataImporter.load_from_config(
        config_path=str(root / "config.yml"),
        domain_path=str(root / "domain.yml"),
        training_data_paths=[str(root / "data")],
    )
    sent_by_actions = Response.used_by_actions()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # ignore_warnings semantics are inverted in Rasa; we judge the warnings ourselves.
            validate_files(fail_on_warnings=False, max_history=None, importer=importer)
        except SystemExit as exit_:
            if exit_.code:
                print("Rasa's validator found errors.", file=sys.stderr)
                return 1
    problems = []
    for warning in caught:
        if not issubclass(warning.category, UserWarning) or issubclass(
            warning.category, DeprecationWarning
        ):
            continue
        message = str(warning.message)
        if any(
            issubclass(warning.category, category) and re.match(pattern, message)
            for category, pattern in EXPECTED_WARNINGS
        ):
            continue  # Rasa silences these itself
        match = UNUSED_RESPONSE.search(message)
        if match and match.group(1) in sent_by_actions:
            continue
        problems.append(message)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"Data validation: {len(problems)} warning(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

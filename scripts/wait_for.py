"""Wait until every given URL answers HTTP 200, or fail after a timeout (used by run.sh)."""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    pending = list(args.urls)
    while pending and time.monotonic() < deadline:
        pending = [url for url in pending if not answers(url)]
        if pending:
            time.sleep(1)
    if pending:
        print(f"Not answering after {args.timeout:.0f} s: {', '.join(pending)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the endpoints file Rasa runs with: the action server plus the tracker store in the same
database as the intake queue (DATABASE_URL, default the SQLite file under var/).

    python scripts/write_endpoints.py OUT.yml [--actions-url URL] [--database-url URL]
                                              [--redis-url redis://HOST:PORT/DB]

The action server's shared secret comes from ACTION_SERVER_TOKEN, never from the command line;
without it nothing is written (the action server refuses to start without it too).
With several Rasa servers (docs/deployment.md), REDIS_URL or --redis-url adds Rasa's Redis lock
store, so that only one server at a time works on a conversation; put a password in REDIS_URL,
not on the command line. The work is done by devstack/endpoints.py.
"""

from __future__ import annotations

from devstack.endpoints import main

if __name__ == "__main__":
    raise SystemExit(main())

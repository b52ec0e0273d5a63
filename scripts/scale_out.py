"""The scale-out set-up on one machine, over loopback: PostgreSQL, Redis as Rasa's lock store,
two Rasa servers each with its own action server, nginx in front of the Rasa servers with sticky
sessions, and the web gateway talking to nginx.

    .venv/bin/python scripts/scale_out.py [--port 8080]

starts all of it (with a throw-away PostgreSQL server) and runs until Ctrl+C. Needs Debian's nginx
and redis-server (`bash scripts/ensure_scale_out.sh`). Every process listens on 127.0.0.1 only.
The set-up itself, and why the servers come in pairs, is devstack/scale_out.py
(`scale_out_stack()`, which the tests and the load test use too).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

from devstack.postgres import running_postgres
from devstack.scale_out import scale_out_stack


def main() -> int:
    """`python scripts/scale_out.py`: the whole set-up from one command, for trying it out."""
    parser = argparse.ArgumentParser(
        description="Start the scale-out set-up on loopback and run it until Ctrl+C."
    )
    parser.add_argument("--port", type=int, default=8080, help="the web gateway's port")
    parser.add_argument("--profile", default=None, help="IOP_PROFILE for the actions and gateway")
    parser.add_argument("--keep", action="store_true", help="keep the logs' directory afterwards")
    args = parser.parse_args()
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            parser.error(f"port {args.port} is taken; choose another with --port")
    workdir = Path(tempfile.mkdtemp(prefix="iop-scale-out-"))
    # Ctrl+C and `kill` both end in the context managers' clean-up (SIGINT explicitly: a shell
    # starts background jobs with it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Starting (PostgreSQL, Redis, 2 × actions, 2 × Rasa, nginx, gateway); logs in {workdir}")
    try:
        with (
            running_postgres(workdir) as database_url,
            scale_out_stack(workdir, database_url, args.profile, args.port) as stack,
        ):
            named = [
                ("web gateway", stack.gateway),
                ("nginx → Rasa", stack.nginx),
                *((f"Rasa {i}", server) for i, server in enumerate(stack.rasa, 1)),
                *((f"actions {i}", server) for i, server in enumerate(stack.actions, 1)),
            ]
            for name, server in named:
                print(f"  {name:<13} {server.url:<24} pid {server.process.pid}")
            print(f"  {'Redis':<13} 127.0.0.1:{stack.redis.port:<14} pid {stack.redis.process.pid}")
            print(f"  {'PostgreSQL':<13} {database_url}")
            print(f"Chat: {stack.url}/  nginx access log: {stack.access_log}")
            print("Stop with Ctrl+C.", flush=True)
            while all(
                s.process is not None and s.process.poll() is None
                for s in [stack.redis, stack.nginx, stack.gateway, *stack.rasa, *stack.actions]
            ):
                time.sleep(1)
            print("A process ended on its own; stopping the rest.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("Stopping.")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m dealbrief.healthcheck URL [--wait SECONDS]``: exit 0 once URL answers 200.

For a service manager or a monitor that has no HTTP client of its own: systemd's
``ExecStartPost`` waits with it until the bot serves ``/healthz``, and a timer or monitoring
agent can ask ``/readyz``. Prints the answer's body (the checks, as JSON) when it is not 200.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

PAUSE_SECONDS = 0.5


def ask(url: str) -> tuple[int, str]:
    """The status and body of one GET; 0 and the reason when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as err:
        return 0, str(getattr(err, "reason", err))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dealbrief.healthcheck")
    parser.add_argument("url", help="e.g. http://127.0.0.1:8081/readyz")
    parser.add_argument("--wait", type=float, default=0, help="Keep asking this many seconds.")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.wait
    while True:
        status, body = ask(args.url)
        if status == 200:
            return 0
        if time.monotonic() >= deadline:
            print(f"{args.url}: {status or 'no answer'} {body}".strip(), file=sys.stderr)
            return 1
        time.sleep(PAUSE_SECONDS)


if __name__ == "__main__":
    sys.exit(main())

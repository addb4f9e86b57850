"""``posko-bot health``: ask the running bot's status endpoints (``bot.ops.server``) whether it
is ready, for a container's health check or a monitor without HTTP of its own.

It reads the same settings as ``run`` (``POSKO_STATUS_LISTEN``, ``POSKO_STATUS_PORT``), asks
``/readyz`` (``--live``: ``/healthz``) on this machine, prints each check on a line, and exits
0 when the bot answers ready, 1 when it answers not ready or does not answer within
``TIMEOUT``, 2 when the endpoints are turned off. A bot whose event loop hangs does not answer,
so this also catches what a check of the settings alone cannot.
"""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request

from bot.cli.common import FAILURE, USAGE_ERROR, CliError
from bot.config import Settings

TIMEOUT = 10.0  # seconds for the answer
_ANY = ("0.0.0.0", "::", "")  # listening everywhere: ask on the loopback


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``health`` command line."""
    cmd = sub.add_parser("health", help="ask the running bot whether it is ready (its /readyz)")
    cmd.add_argument("--live", action="store_true",
                     help="only whether it answers at all (its /healthz)")


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Ask, print, and exit as the module docstring says."""
    if settings.status_port == 0:
        raise CliError("the status endpoints are off (POSKO_STATUS_PORT=0)", USAGE_ERROR)
    host = "127.0.0.1" if settings.status_listen in _ANY else settings.status_listen
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{settings.status_port}/{'healthz' if args.live else 'readyz'}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
            body = json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        if exc.code != 503:
            raise CliError(f"{url} answered {exc.code}") from None
        body = json.loads(exc.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CliError(f"no answer from the bot at {url} ({reason}): is it running?") from None
    except ValueError:
        raise CliError(f"{url} did not answer JSON") from None
    for name, check in body.get("checks", {}).items():
        print(f"{'ok  ' if check.get('ok') else 'FAIL'} {name}: {check.get('detail', '')}")
    ready = bool(body.get("ready", body.get("status") == "ok"))
    print("ready" if ready and not args.live else "answering" if ready else "not ready")
    return 0 if ready else FAILURE

"""``posko-bot setup``: the first step of a new installation, for someone new to a terminal.

Editing ``.env`` by hand is where a first installation goes wrong: a token pasted with a space,
into ``.env.example`` instead of ``.env``, or never checked until the bot fails to start. This
command does it:

1. Create ``.env`` from ``.env.example`` (or empty) if there is none; it holds the token, so
   only its owner may read it.
2. Take the token from ``--token``, from the settings, or ask for it; check its form, then ask
   Telegram (``getMe``) whether it works. A refused token is asked again (three tries) when
   someone is typing; without a terminal it stops with one line.
3. Write the token, and each ``--admin`` Telegram id, into ``.env``, keeping every other line.
4. Say what to do next: start the bot, and learn one's Telegram id from it to become an admin.

Run again, it checks the token it finds and changes nothing else, so the install-and-run line
of the README can run it every time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bot.cli.admin import token_owner
from bot.cli.common import USAGE_ERROR, CliError, TokenRefused
from bot.config import TOKEN_SHAPE, Settings

ENV, TEMPLATE = Path(".env"), Path(".env.example")
TRIES = 3
_PROMPT = "Paste the token @BotFather gave you, then press Enter: "


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``setup`` command line."""
    cmd = sub.add_parser("setup", help="put the @BotFather token (and admins) into .env, "
                         "checked with Telegram")
    cmd.add_argument("--token", help="the token from @BotFather (asked for when missing)")
    cmd.add_argument("--admin", action="append", default=[], metavar="TELEGRAM_ID",
                     help="make this Telegram user id an admin (repeatable)")


def _ask(prompt: str, after: str | None = None) -> str | None:
    """A line typed by the user, or None when nobody can answer (no terminal, end of input).

    ``after``: why the last answer was refused, said only when there is a new one to try.
    """
    if not sys.stdin.isatty():
        line = sys.stdin.readline()  # a pipe may still hold an answer
        if line and after:
            print(after, file=sys.stderr)
        return (line.strip() or None) if line else None
    if after:
        print(after, file=sys.stderr)
    try:
        return input(prompt).strip() or None
    except EOFError:
        return None


def _checked(token: str, settings: Settings) -> str:
    """The bot's @name for a token of the right shape that Telegram accepts; CliError if not."""
    token = token.strip()
    if not TOKEN_SHAPE.fullmatch(token):
        raise TokenRefused("that is not a bot token: it looks like 123456789:AAH… (digits, a "
                           "colon, then letters); copy it whole from @BotFather",
                           code=USAGE_ERROR)
    return asyncio.run(token_owner(token, settings))


def _token(args: argparse.Namespace, settings: Settings) -> tuple[str, str]:
    """Step 2: a working token and the bot's @name.

    Only a refused token is asked again: when Telegram cannot be reached, another token would
    not help.
    """
    token = args.token or settings.telegram_bot_token or _ask(_PROMPT)
    if token is None:
        raise CliError("no token: run `posko-bot setup` in a terminal and paste it, or "
                       "`posko-bot setup --token 123456789:AAH…`", code=USAGE_ERROR)
    for attempt in range(1, TRIES + 1):
        try:
            return token.strip(), _checked(token, settings)
        except TokenRefused as exc:
            again = _ask(_PROMPT, after=f"posko-bot: {exc}") if attempt < TRIES else None
            if again is None:
                raise
            token = again
    raise AssertionError("the last try returns or raises")


def _admins(args: argparse.Namespace, settings: Settings) -> list[int]:
    ids = list(settings.admin_ids)
    for value in args.admin:
        if not (value.isascii() and value.isdigit()):
            raise CliError(f"--admin {value}: a Telegram user id is a number, e.g. 123456789 "
                           "(the bot tells you yours when you send it /start)", code=USAGE_ERROR)
        if int(value) not in ids:
            ids.append(int(value))
    return ids


def _write(values: dict[str, str]) -> None:
    """Step 1 and 3: set ``values`` in ``.env``, keeping its other lines and comments."""
    lines = (ENV.read_text(encoding="utf-8") if ENV.exists() else
             TEMPLATE.read_text(encoding="utf-8") if TEMPLATE.exists() else "").splitlines()
    pending = dict(values)
    for index, line in enumerate(lines):
        key = line.split("=", 1)[0].strip()
        if "=" in line and key in pending:
            lines[index] = f"{key}={pending.pop(key)}"
    lines += [f"{key}={value}" for key, value in pending.items()]
    # Created owner-only: the token lets anyone act as the bot.
    fd = os.open(ENV, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    ENV.chmod(0o600)


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    """Steps 1–4 of the module docstring."""
    admins = _admins(args, settings)
    token, name = _token(args, settings)
    values = {"TELEGRAM_BOT_TOKEN": token}
    if admins:
        values["POSKO_ADMIN_IDS"] = ",".join(map(str, admins))
    _write(values)
    print(f"Telegram accepts the token: your bot is @{name}. Saved in {ENV.resolve()}.")
    if admins:
        print(f"Admins: {values['POSKO_ADMIN_IDS']}.")
    else:
        print(f"Next: start the bot (posko-bot run), open https://t.me/{name} in Telegram and "
              "send /start: the bot answers with your Telegram ID. Stop the bot (Ctrl+C), run "
              "`posko-bot setup --admin YOUR_ID`, and start it again: you are then an admin.")
    return 0

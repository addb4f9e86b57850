"""``python -m bot`` is the same as ``posko-bot``."""

from bot.cli import main

raise SystemExit(main())

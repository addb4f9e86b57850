"""The real ``posko-bot`` in subprocesses against the stand-in Bot API server."""

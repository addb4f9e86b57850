"""The outbox sender against the stand-in Bot API over HTTP, on a real SQLite file."""

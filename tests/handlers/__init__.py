"""Handlers and the outbox through the real Application, in-process."""

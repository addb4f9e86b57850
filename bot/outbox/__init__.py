"""Messages that are not direct replies: the sender that drains the outbox within Telegram's
limits, and one renderer per kind of intent (alerts, presence, incidents, digest)."""

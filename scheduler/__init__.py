"""Decisions over time. Writes state and outbox intents to the store; never talks to Telegram."""

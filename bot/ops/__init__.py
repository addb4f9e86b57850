"""Running the bot as a service: its metrics, readiness, heartbeat and HTTP endpoints."""

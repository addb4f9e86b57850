"""The store: everything the bot knows, in one SQLite file; knows nothing of Telegram.

``rules/`` holds pure rules (duty windows, the geofence, coverage arithmetic), ``sqlite/`` the
engine and migrations, and each other module one family of tables with its records and
queries (desks, members, shifts, alerts, incidents, outbox, ...).
"""

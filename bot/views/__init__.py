"""Texts and keyboards shared by direct replies and outbox messages.

A view knows how a thing looks in a chat (an alert, a report) and reads the store for what it
shows; it sends nothing. Handlers reply with views; the outbox renderers (``bot.outbox``) put
the same views into the messages they send later.
"""

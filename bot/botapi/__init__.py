"""The HTTP path to Telegram's Bot API: the client every call of the bot goes through."""

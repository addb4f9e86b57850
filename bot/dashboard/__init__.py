"""The situation room: a live map and board of a supervisor's scope in a browser, served by
``posko-bot run`` beside the bot (``server``), signed in from the chat (``auth``)."""

"""Pure rules: the decisions about duty, place and staffing, apart from any storage or chat.

Nothing here reads the clock, a database, Telegram or the network (the zone data behind
``ZoneInfo`` is all it loads): the moment comes in as an argument, so every rule is tested at
any time without waiting or patching. The package sits below all the code that uses it (the
tables of ``storage``, the ``scheduler`` and the ``bot``) and imports none of it; the
import-linter contracts in ``pyproject.toml`` hold it to that.

- :mod:`storage.rules.duty`: duty windows (``duty_hours`` and the day's rules), the spans they
  make in a desk's own zone, and whether a desk is on duty and short of staff at a moment.
- :mod:`storage.rules.geo`: the geofence, whether a shared location proves presence at a desk.
- :mod:`storage.rules.coverage`: how well duty spans were staffed by shifts, for the digest.
"""

"""Gladi: a duty day rehearsed before it happens, with no Telegram at all.

``posko-bot rehearse`` runs a day of a scope through the real handlers, jobs, rules, outbox
renderers and store, at simulated time (:mod:`bot.rehearsal.clock`), against a simulated
Telegram that answers the Bot API in-process and records what every recipient would get
(:mod:`bot.rehearsal.telegram`), on a throwaway copy of the database. Who does what comes
from seeded synthetic actors (:mod:`bot.rehearsal.actors`) or a script
(:mod:`bot.rehearsal.script`); :mod:`bot.rehearsal.runner` plays the day minute by minute and
:mod:`bot.rehearsal.report` writes the timeline, the summary, the digest and the XLSX.
``posko-bot demo`` is a rehearsal of a voting day on the DKI Jakarta desks shipped in
``bot/rehearsal/data``.
"""

"""An actor's action, done the way a person does it: updates into the real application.

A check-in is the location of the desk (what the 📍 button of ``/checkin`` sends); a
check-out is ``/checkout`` (and *Ya* when the bot asks whether to leave the desk short); a
report walks every step of ``/lapor``; a supervisor's *Saya tangani* and an officer's
*Masih bertugas* are taps on the buttons the simulated Telegram shows in their chat. Each
update is dated on the rehearsal's clock, so the geofence judges a fresh location, and goes
through ``process_update`` as an update from Telegram does.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot.rehearsal.actors import Actor
from bot.rehearsal.clock import SimClock
from bot.rehearsal.telegram import SimulatedTelegram
from bot.texts import t

if TYPE_CHECKING:
    from bot.app import PoskoApp

LANG = "id"
DESCRIPTION = "Laporan gladi: {category} di {desk}, dicatat untuk latihan."


class Player:
    """Feeds an actor's updates to the application and taps what their chat shows."""

    def __init__(self, app: PoskoApp, telegram: SimulatedTelegram, clock: SimClock) -> None:
        self.app, self.telegram, self.clock = app, telegram, clock
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def _user(self, actor: Actor) -> dict[str, Any]:
        return {"id": actor.user_id, "is_bot": False, "first_name": actor.name,
                "language_code": LANG}

    async def _feed(self, data: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def _message(self, actor: Actor, **content: Any) -> None:
        user = self._user(actor)
        message = {"message_id": next(self._message_ids), "date": self.clock.epoch(),
                   "from": user, "chat": {"id": actor.user_id, "type": "private",
                                          "first_name": actor.name}, **content}
        await self._feed({"update_id": next(self._update_ids), "message": message})

    async def text(self, actor: Actor, body: str) -> None:
        """A text message (a leading /command is marked as Telegram marks it)."""
        extra: dict[str, Any] = {}
        if body.startswith("/"):
            extra["entities"] = [{"type": "bot_command", "offset": 0,
                                  "length": len(body.split(maxsplit=1)[0])}]
        await self._message(actor, text=body, **extra)

    async def tap(self, actor: Actor, prefix: str) -> bool:
        """Tap the first button of the actor's chat whose data starts with ``prefix``."""
        shown = self.telegram.shown(actor.user_id)
        data = next((d for _text, d in shown.buttons if d.startswith(prefix)), None)
        if data is None:
            return False
        await self.press(actor, data, shown.message_id)
        return True

    async def press(self, actor: Actor, data: str, message_id: int) -> None:
        """A button press on one of the bot's messages in the actor's chat."""
        user = self._user(actor)
        pressed = {"message_id": message_id, "date": self.clock.epoch(),
                   "chat": {"id": actor.user_id, "type": "private", "first_name": actor.name},
                   "from": {"id": 1, "is_bot": True, "first_name": "Posko"}, "text": "…"}
        await self._feed({"update_id": next(self._update_ids),
                          "callback_query": {"id": str(next(self._update_ids)), "from": user,
                                             "chat_instance": "1", "data": data,
                                             "message": pressed}})

    async def checkin(self, actor: Actor) -> None:
        """The location of the desk, as the 📍 button sends it (a live one when the bot
        requires it); the pledge first if the bot asks for it."""
        desk, settings = actor.desk, self.app.bot_data.settings
        location: dict[str, Any] = {"latitude": desk.latitude or 0.0,
                                    "longitude": desk.longitude or 0.0}
        if settings.require_live_location:
            location |= {"live_period": 3600, "horizontal_accuracy": 10.0}
        await self._message(actor, location=location)
        if await self.tap(actor, "pk:"):  # agreed: the location again
            await self._message(actor, location=location)

    async def checkout(self, actor: Actor) -> None:
        """``/checkout``, confirmed when the bot asks (the officer means to leave)."""
        await self.text(actor, "/checkout")
        shown = self.telegram.shown(actor.user_id)
        yes = next((d for _text, d in shown.buttons if d.startswith("co:") and d.endswith(":y")),
                   None)
        if yes is not None:
            await self.press(actor, yes, shown.message_id)

    async def report(self, actor: Actor, category: str, severity: str) -> None:
        """Every step of ``/lapor``: category, severity, description, no location, no
        attachment, no TPS number, *Kirim*."""
        await self.text(actor, "/lapor")
        for _ in range(12):  # a report has at most 8 steps; never loop on a surprise
            shown = self.telegram.shown(actor.user_id)
            datas = [d for _text, d in shown.buttons if d.startswith("lp:")]
            pick = (next((d for d in datas if f":cat:{category}" in d), None)
                    or next((d for d in datas if f":sev:{severity}" in d), None)
                    or next((d for d in datas if d.endswith((":skip", ":skip:"))), None)
                    or next((d for d in datas if d.endswith((":send", ":send:"))), None))
            if pick is not None:
                await self.press(actor, pick, shown.message_id)
                if ":send" in pick:
                    return
            elif shown.reply_keyboard:  # the location step: its Lewati sits under the input
                await self.text(actor, t(LANG, "lapor.skip"))
            elif datas:  # the description: only Batal under it
                await self.text(actor, DESCRIPTION.format(category=category,
                                                          desk=actor.desk.name))
            else:
                return

    async def still_here(self, actor: Actor) -> bool:
        """*Masih bertugas*, if the question is shown."""
        return await self.tap(actor, "pc:")

    async def take_alerts(self, actor: Actor) -> int:
        """*Saya tangani* under every alert the supervisor's chat shows; how many taps."""
        shown = self.telegram.shown(actor.user_id)
        taps = [d for _text, d in shown.buttons if d.startswith("ack:")]
        for data in taps:
            await self.press(actor, data, shown.message_id)
        return len(taps)

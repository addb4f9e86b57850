"""``/langganan`` (``/subscribe``): a group receives the alerts, reports and digest of scopes.

A group may hold several subscriptions, one per scope, added by supervisors of different
areas. Each supervisor adds and ends only the ones within their own scope (an admin: all);
every answer ends with what the group receives now, so nobody has to guess.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.handlers.common import reply
from bot.texts import Markup, t
from storage import desks as desks_store
from storage import subscriptions as subscriptions_store
from storage.models import Desk, utcnow
from storage.sqlite.engine import Database

_OFF = ("off", "stop", "berhenti")


async def subscribe(update: Update, context: Ctx) -> None:
    """``/langganan [code]`` adds a scope (the caller's desk, or ``code`` within it) to the
    group's subscriptions; ``/langganan off [code]`` ends those within the caller's scope."""
    caller = await identify(update, context)
    chat = update.effective_chat
    if caller is None or chat is None:
        return
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):  # strangers: how to register
        await reply(update, t(caller.lang, "subscribe.groups_only" if caller.role is not None
                              else "unknown_user", id=caller.user_id))
        return
    if not caller.is_supervisor:
        await reply(update, t(caller.lang, "supervisors_only"))
        return
    db = context.bot_data.db
    args = context.args or []
    stopping = bool(args) and args[0].lower() in _OFF
    code = args[1 if stopping else 0] if len(args) > stopping else None
    desk = caller.desk
    if code is not None:  # a code in the caller's scope names one subscription
        desk = await desks_store.by_code(db, code)
        if desk is None or not caller.can_oversee(desk):
            await _answer(update, db, caller, chat.id, t(caller.lang, "out_of_scope",
                                                          code=code[:40]),
                          t(caller.lang, "subscribe.yours_only"))
            return
    if stopping:
        await _stop(update, db, caller, chat.id, desk if code is not None else None)
        return
    if desk is None:  # an admin without a desk must name one
        await _answer(update, db, caller, chat.id, t(caller.lang, "subscribe.usage"))
        return
    await subscriptions_store.subscribe(db, chat.id, desk.id, chat.title, caller.user_id,
                                        utcnow())
    await _answer(update, db, caller, chat.id, t(caller.lang, "subscribe.done",
                                                  scope=desk.name))


async def _stop(update: Update, db: Database, caller: Caller, chat_id: int,
                desk: Desk | None) -> None:
    """End the group's subscriptions within the caller's scope (or the one of ``desk``)."""
    ended = await subscriptions_store.unsubscribe(db, chat_id, caller.scope_path,
                                                  desk.id if desk is not None else None)
    if ended:
        await _answer(update, db, caller, chat_id,
                      t(caller.lang, "subscribe.off", scopes=", ".join(ended)))
    elif await subscriptions_store.of_chat(db, chat_id):  # others' subscriptions stay
        await _answer(update, db, caller, chat_id, t(caller.lang, "subscribe.yours_only"))
    else:
        await reply(update, t(caller.lang, "subscribe.none"))


async def _answer(update: Update, db: Database, caller: Caller, chat_id: int,
                  *lines: str) -> None:
    """Reply with ``lines`` and the group's subscriptions as they are now."""
    scopes = [t(caller.lang, "subscribe.scope", name=s.name, code=s.code)
              for s in await subscriptions_store.of_chat(db, chat_id)]
    now = (t(caller.lang, "subscribe.list", scopes=Markup(", ".join(scopes))) if scopes
           else t(caller.lang, "subscribe.none"))
    await reply(update, "\n".join((*lines, now)))

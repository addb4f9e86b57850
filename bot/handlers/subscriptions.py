"""``/langganan`` (``/subscribe``): a group receives the alerts and digest of a scope."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Ctx
from bot.handlers.access import identify
from bot.handlers.common import reply
from bot.texts import t
from storage import desks as desks_store
from storage import subscriptions as subscriptions_store
from storage.models import utcnow


async def subscribe(update: Update, context: Ctx) -> None:
    """``/langganan [off]`` in a group: the group receives the alerts of the caller's scope."""
    caller = await identify(update, context)
    chat = update.effective_chat
    if caller is None or chat is None:
        return
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):  # strangers: how to register
        await reply(update, t(caller.lang, "subscribe.groups_only" if caller.role is not None
                              else "unknown_user"))
        return
    if not caller.is_supervisor:
        await reply(update, t(caller.lang, "supervisors_only"))
        return
    db = context.bot_data.db
    if context.args and context.args[0].lower() in ("off", "stop", "berhenti"):
        stopped = await subscriptions_store.unsubscribe(db, chat.id)
        await reply(update, t(caller.lang, "subscribe.off" if stopped else "subscribe.none"))
        return
    desk = caller.desk
    if context.args:  # a code in the caller's scope narrows the subscription
        desk = await desks_store.by_code(db, context.args[0])
        if desk is None or not caller.can_oversee(desk):
            await reply(update, t(caller.lang, "out_of_scope", code=context.args[0][:40]))
            return
    if desk is None:  # an admin without a desk must name one
        await reply(update, t(caller.lang, "subscribe.usage"))
        return
    await subscriptions_store.subscribe(db, chat.id, desk.id, chat.title, caller.user_id,
                                        utcnow())
    await reply(update, t(caller.lang, "subscribe.done", scope=desk.name))

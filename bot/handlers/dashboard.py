"""``/dasbor`` (``/dashboard``): a one-time sign-in link to the situation room in a browser.

The link is ``POSKO_DASHBOARD_URL/login#TOKEN``: the token sits in the fragment, which the
browser never sends to a server, and the message carries no link preview, so no preview
fetcher spends it (``storage.logins``: valid 10 minutes, used once, bound to the member).
With an https address the page is also offered as a Telegram Mini App: a ``web_app`` button
under the link, and the chat's menu button.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError

from bot.context import Ctx
from bot.handlers.common import private_supervisor, reply
from bot.texts import t
from storage import logins
from storage.models import utcnow


async def dashboard(update: Update, context: Ctx) -> None:
    """``/dasbor``: the caller's sign-in link (supervisors and admins, private chat)."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    data = context.bot_data
    settings = data.settings
    lang = caller.lang
    if settings.dashboard_port == 0:
        await reply(update, t(lang, "dash.off"))
        return
    token = await logins.create_link(data.db, caller.user_id, utcnow())
    base = settings.dashboard_base
    scope = caller.desk.name if caller.desk is not None and not caller.is_admin else t(
        lang, "status.all")
    text = t(lang, "dash.link", scope=scope, url=f"{base}/login#{token}")
    markup = None
    if settings.dashboard_https:
        app = WebAppInfo(f"{base}/")
        text += "\n" + t(lang, "dash.link_app")
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "dash.open_button"),
                                                             web_app=app)]])
        # The menu button opens the page too; not having it is no reason to fail.
        with suppress(TelegramError):
            await context.bot.set_chat_menu_button(
                caller.user_id, MenuButtonWebApp(t(lang, "dash.open_button"), app))
    await reply(update, text, reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True))

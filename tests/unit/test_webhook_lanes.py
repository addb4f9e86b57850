"""Updates that arrive by webhook go through PTB's update processor: the bot's is the lanes'
(``bot.updates.webhook_lanes``), so one chat waiting or flooding holds up nobody else."""

from __future__ import annotations

import asyncio
import warnings

from telegram import Update

from bot.updates.lanes import BACKLOG
from bot.updates.webhook_lanes import LaneProcessor
from tests.support.harness import Harness
from tests.unit.test_lanes import settle, update


class Handlers:
    """Stands for PTB's handling of one update: waits for its chat's release, in order."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.finished: list[int] = []
        self.release: dict[int, asyncio.Event] = {}

    async def handle(self, item: Update) -> None:
        self.started.append(item.update_id)
        chat = item.effective_chat.id if item.effective_chat else 0
        await self.release.setdefault(chat, asyncio.Event()).wait()
        self.finished.append(item.update_id)


async def test_a_chat_waits_alone_and_in_order() -> None:
    handlers, processor = Handlers(), LaneProcessor()
    a1, b1, a2 = update(1), update(2), update(1)
    tasks = [asyncio.create_task(processor.process_update(item, handlers.handle(item)))
             for item in (a1, b1, a2)]
    await settle()
    assert handlers.started == [a1.update_id, b1.update_id]  # a2 after a1; b1 not held up
    handlers.release[2].set()
    await settle()
    assert handlers.finished == [b1.update_id] and tasks[1].done() and not tasks[0].done()
    handlers.release[1].set()
    await asyncio.gather(*tasks)
    assert handlers.started == [a1.update_id, b1.update_id, a2.update_id]
    await processor.shutdown()


async def test_a_flood_beyond_the_backlog_is_dropped_and_its_sender_told() -> None:
    told: list[int] = []

    async def overflow(dropped: Update) -> None:
        told.append(dropped.update_id)

    handlers, processor = Handlers(), LaneProcessor(overflow)
    flood = [update(1, f"pesan {n}") for n in range(BACKLOG + 10)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dropped update's handlers never run, nor linger
        tasks = [asyncio.create_task(processor.process_update(item, handlers.handle(item)))
                 for item in flood]
        other = update(2)
        tasks.append(asyncio.create_task(processor.process_update(other,
                                                                  handlers.handle(other))))
        await settle()
        assert sum(task.done() for task in tasks[:-1]) == 10  # the dropped: answered at once
        assert told == [flood[BACKLOG].update_id]
        assert other.update_id in handlers.started
        handlers.release[1].set()
        handlers.release[2].set()
        await asyncio.gather(*tasks)
    assert handlers.started == [flood[0].update_id, other.update_id,
                                *(item.update_id for item in flood[1:BACKLOG])]


async def test_the_bot_takes_webhook_updates_by_lanes(harness: Harness) -> None:
    assert isinstance(harness.app.update_processor, LaneProcessor)

"""The polling loop's bookkeeping without Telegram: the handled prefix (``bot.updates.ledger``),
the per-chat lanes and their bounded backlog (``bot.updates.lanes``), and the flood guard's
memory (``bot.handlers.throttle``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from telegram import Update

from bot.handlers.throttle import REPEAT_WINDOW, UNKNOWN_EVERY, Throttle
from bot.updates.lanes import BACKLOG, Lanes
from bot.updates.ledger import IN_FLIGHT, TELEGRAM_LIMIT, Ledger
from tests.support import updates as u

# --- the handled prefix ---------------------------------------------------------------------


def test_the_prefix_ends_before_the_oldest_update_not_handled() -> None:
    ledger = Ledger()
    for update_id in (10, 11, 12, 13):
        ledger.add(update_id)
    assert ledger.offset() == 10 and ledger.last is None
    ledger.finish(12)  # handled, but 10 and 11 are not
    ledger.finish(11)
    assert ledger.offset() == 10 and ledger.last is None and not ledger.advanced.is_set()
    ledger.finish(10)
    assert ledger.last == 12 and ledger.offset() == 13 and ledger.advanced.is_set()
    ledger.finish(13)
    assert ledger.last == 13 and ledger.offset() == 14 and len(ledger) == 0
    ledger.finish(13)  # reported twice: nothing changes
    assert ledger.last == 13


def test_repeats_of_an_answer_are_known() -> None:
    """Still in the ledger, handled behind an open one, or just confirmed: all known."""
    ledger = Ledger()
    for update_id in (5, 6, 7):
        ledger.add(update_id)
    ledger.finish(5)
    ledger.finish(7)
    assert all(ledger.known(i) for i in (5, 6, 7)) and not ledger.known(8)
    for update_id in range(8, 8 + 3 * TELEGRAM_LIMIT):
        ledger.add(update_id)
        ledger.finish(update_id)  # 6 holds them all
    ledger.finish(6)
    assert ledger.known(8 + 3 * TELEGRAM_LIMIT - 1)  # confirmed lately
    assert not ledger.known(5)  # long confirmed: an answer cannot hold it any more


def test_a_crowded_ledger_waits_and_an_empty_answer_forgets_the_offset() -> None:
    ledger = Ledger(in_flight=2)
    for update_id in (1, 2, 3):
        ledger.add(update_id)
    assert not ledger.roomy
    ledger.finish(1)
    assert ledger.roomy
    ledger.finish(2)
    ledger.finish(3)
    ledger.idle()  # an empty answer: Telegram may number anew, lower
    assert ledger.offset() is None and ledger.last is None
    ledger.add(7)
    assert ledger.offset() == 7


def test_idle_keeps_the_offset_while_updates_are_open() -> None:
    ledger = Ledger()
    ledger.add(1)
    ledger.idle()
    assert ledger.offset() == 1


# --- lanes ----------------------------------------------------------------------------------

def update(user_id: int, text: str = "halo") -> Update:
    return Update.de_json(u.text(u.user(user_id), text), None)


class Handling:
    """A process step that waits until released, recording the order updates start in."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.release = asyncio.Event()
        self.done: list[int] = []

    async def process(self, update: Update) -> None:
        self.started.append(update.update_id)
        await self.release.wait()

    def report(self, update: Update) -> None:
        self.done.append(update.update_id)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_chat_in_order_and_the_chats_at_once() -> None:
    handling = Handling()
    lanes = Lanes(handling.process, handling.report)
    a1, b1, a2 = update(1), update(2), update(1)
    for item in (a1, b1, a2):
        lanes.submit(item)
    await settle()
    assert handling.started == [a1.update_id, b1.update_id]  # a2 waits for a1, b1 does not
    handling.release.set()
    await lanes.join()
    assert handling.started == [a1.update_id, b1.update_id, a2.update_id]
    assert sorted(handling.done) == sorted(i.update_id for i in (a1, b1, a2))


async def test_a_backlog_beyond_its_bound_is_dropped_and_told_once(
        caplog: pytest.LogCaptureFixture) -> None:
    handling, told = Handling(), []

    async def overflow(dropped: Update) -> None:
        told.append(dropped.update_id)

    lanes = Lanes(handling.process, handling.report, overflow, backlog=3)
    flood = [update(1, f"pesan {n}") for n in range(10)]
    with caplog.at_level(logging.WARNING, logger="bot.updates.lanes"):
        for item in flood:
            lanes.submit(item)
        other = update(2)
        lanes.submit(other)
        await settle()
        # Dropped at once, reported done (so confirmed), logged and told once.
        assert handling.done == [i.update_id for i in flood[3:]]
        assert told == [flood[3].update_id] and lanes.dropped == 7
        assert len(caplog.records) == 1
        assert other.update_id in handling.started  # another chat is not held up
        late = update(1, "lagi")  # still draining: dropped too, silently
        lanes.submit(late)
        assert handling.done[-1] == late.update_id and told == [flood[3].update_id]
        handling.release.set()
        await lanes.join()
    assert handling.started == [flood[0].update_id, other.update_id, flood[1].update_id,
                                flood[2].update_id]
    assert sorted(handling.done) == sorted(i.update_id for i in [*flood, other, late])
    lanes.submit(after := update(1, "sesudahnya"))  # drained: the chat is heard again
    await lanes.join()
    assert handling.started[-1] == after.update_id


async def test_shedding_keeps_only_what_a_flooding_chat_is_handling() -> None:
    handling = Handling()
    lanes = Lanes(handling.process, handling.report, backlog=3)
    calm = [update(2, f"tenang {n}") for n in range(2)]
    flood = [update(1, f"pesan {n}") for n in range(5)]
    for item in [*calm, *flood]:
        lanes.submit(item)
    await settle()
    lanes.shed()
    assert sorted(handling.done) == sorted(i.update_id for i in flood[1:])
    handling.release.set()
    await lanes.join()
    assert handling.started == [calm[0].update_id, flood[0].update_id, calm[1].update_id]


async def test_a_handler_that_raises_does_not_stop_its_lane() -> None:
    seen: list[int] = []

    async def process(item: Update) -> None:
        seen.append(item.update_id)
        if len(seen) == 1:
            raise RuntimeError("a bug")

    done: list[int] = []
    lanes = Lanes(process, lambda item: done.append(item.update_id))
    first, second = update(1), update(1, "dua")
    lanes.submit(first)
    lanes.submit(second)
    await lanes.join()
    assert seen == done == [first.update_id, second.update_id]


def test_the_backlog_bound_leaves_room_in_telegrams_answer() -> None:
    assert BACKLOG < IN_FLIGHT < TELEGRAM_LIMIT


# --- the guard's memory ---------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_same_text_again_is_a_repeat_only_right_after_it() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    me = (1, 1)
    assert not throttle.repeated(me, "a")
    assert throttle.repeated(me, "a")
    assert not throttle.repeated((2, 1), "a")  # another chat
    assert not throttle.repeated(me, None)  # a location in between
    assert not throttle.repeated(me, "a")
    clock.now += REPEAT_WINDOW - 0.1
    assert throttle.repeated(me, "a")  # the window counts from the accepted one
    clock.now += 0.1
    assert not throttle.repeated(me, "a")


def test_an_unknown_user_is_due_once_a_minute() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    assert throttle.answer_due(7)
    assert not throttle.answer_due(7) and throttle.answer_due(8)
    clock.now += UNKNOWN_EVERY
    assert throttle.answer_due(7)


def test_rotating_ids_cannot_grow_the_memory() -> None:
    clock = Clock()
    throttle = Throttle(clock, remembered=100)
    for user_id in range(10_000):
        throttle.answer_due(user_id)
        throttle.repeated((user_id, user_id), "spam")
    memories: list[Any] = [throttle._answered, throttle._last]
    assert [len(memory) for memory in memories] == [100, 100]
    clock.now += UNKNOWN_EVERY
    throttle.answer_due(1)
    throttle.repeated((1, 1), "x")
    assert [len(memory) for memory in memories] == [1, 1]  # the old ones expired

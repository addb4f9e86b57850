"""Failures a test makes the stand-in Bot API server answer with: 429s, 5xx, calls that time
out and connections dropped without an answer."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass

from tests.support.botapi_rules import DROP, ApiError, too_many

FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "drop"})


@dataclass
class Fault:
    """``count`` calls of ``method`` (to ``chat_id``, if given) to fail as ``kind`` says."""

    method: str | None  # None: any method but getUpdates
    kind: str
    count: int
    retry_after: int
    chat_id: int | None


class Faults:
    """The faults still to inject, in the order they were asked for."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; use one of "
                             f"{sorted(FAULT_KINDS)}")
        self._pending.append(fault)

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault that hits this call, if any, counting it as used once."""
        for fault in self._pending:
            any_method = fault.method is None and method != "getUpdates"
            if (fault.method == method or any_method) and fault.chat_id in (None, chat_id):
                fault.count -= 1
                if fault.count <= 0:
                    self._pending.remove(fault)
                return fault
        return None

    @staticmethod
    async def apply(fault: Fault, stopping: asyncio.Event) -> None:
        """Fail the call as ``fault`` says; a timeout lasts until ``stopping`` at most."""
        if fault.kind == "429":
            raise too_many(fault.retry_after)
        if fault.kind in ("500", "502"):
            text = "Internal Server Error" if fault.kind == "500" else "Bad Gateway"
            raise ApiError(int(fault.kind), text)
        if fault.kind == "timeout":  # outlast the client's read timeout
            with suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), 30)
        raise ApiError(DROP, "connection dropped")

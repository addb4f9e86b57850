"""What the benchmarks do alike: write members straight into the store (invites would take
longer than what is measured, at the national scale) and report the run's peak memory."""

from __future__ import annotations

import resource
from collections.abc import Iterable

from storage.sqlite.engine import Tx

# (telegram_id, full_name, desk_id, role, created_at, updated_at)
MemberRow = tuple[int, str, int, str, str, str]


async def add_members(tx: Tx, rows: Iterable[MemberRow]) -> None:
    await tx.executemany("INSERT INTO members (telegram_id, full_name, desk_id, role, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux counts ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

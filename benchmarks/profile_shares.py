"""Shares of a ``py-spy`` profile of the bot by part of a check-in's path.

Reads the raw stack files ``bench_knee --profile DIR`` writes (``py-spy record --format raw
--threads``) and prints, for the event loop's thread and for the others, which share of the
samples each part took. A sample belongs to the part of the frame nearest its leaf that any
rule below names; the rules go from the most specific to the most general:

1. the HTTP client (aiohttp and ``bot/botapi/``; httpx, httpcore, anyio, h11 before), split
   by whether ``getUpdates`` is on the stack, and into httpcore looking for sniffio, its
   pool's bookkeeping and the rest;
2. PTB turning JSON into objects (``de_json``), split into the updates that came in and the
   objects Telegram returned for the bot's own calls;
3. PTB building a request (parameters, ``to_dict``, the rest of ``telegram/request``);
4. the reply gate (``bot/outbox/pacing.py``), the store (``storage/``, ``sqlite3``), the
   handlers with their texts and views, the polling loop (``bot/updates/``), the rest of
   PTB, asyncio.

Usage:
    python -m benchmarks.profile_shares DIR_OR_FILE...
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

# (part, markers). The first three take a sample if any frame of it matches (they run
# inside the others: a reply's HTTP call inside the handler and the gate); the rest take it by
# the frame nearest its leaf.
ANYWHERE: list[tuple[str, tuple[str, ...]]] = [
    ("HTTP client", ("httpx/", "httpcore/", "anyio/", "h11/", "aiohttp/", "yarl/", "multidict/",
                     "bot/botapi/")),
    ("PTB parsing JSON into objects", ("de_json", "de_list")),
    ("PTB building requests", ("to_dict", "telegram/request/", "RequestParameter",
                               "RequestData", "_insert_defaults")),
]
NEAREST: list[tuple[str, tuple[str, ...]]] = [
    ("reply gate (pacing)", ("bot/outbox/pacing.py",)),
    ("store", ("storage/", "sqlite3")),
    ("handlers, texts, views", ("bot/handlers/", "bot/texts/", "bot/views/")),
    ("polling loop, lanes, ledger", ("bot/updates/",)),
    ("rest of PTB", ("telegram/",)),
    ("asyncio", ("asyncio/",)),
]


# Inside the HTTP client: (what, markers), the first match anywhere in the sample.
HTTP_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("looking for sniffio", ("current_async_library",)),
    ("pool bookkeeping", ("_assign_requests_to_connections", "_close_connections")),
]
IDLE = "_worker (concurrent/futures/thread.py"  # a pool thread waiting for work


def part(frames: list[str]) -> str:
    """The part of one sample (frames from the root to the leaf)."""
    if frames[-1].startswith(IDLE):
        return "waiting for work"
    inbound = any("get_updates" in f or "fetch_updates" in f for f in frames)
    for name, markers in ANYWHERE:
        if any(m in f for f in frames for m in markers):
            if name == "HTTP client":
                what = next((w for w, ms in HTTP_PARTS
                             if any(m in f for f in frames for m in ms)), "the rest")
                side = "getUpdates" if inbound else "the bot's calls"
                return f"{name} ({side}): {what}"
            if name.startswith("PTB parsing"):
                return name + (": updates" if inbound else ": what calls return")
            return name
    for frame in reversed(frames):
        for name, markers in NEAREST:
            if any(m in frame for m in markers):
                return name
    return "other"


def shares(paths: list[Path]) -> dict[str, Counter[str]]:
    """Samples per part, for the event loop's thread (the one running ``run_forever``) and
    for the others together."""
    by_thread: dict[str, Counter[str]] = {"event loop": Counter(), "other threads": Counter()}
    for path in paths:
        samples: dict[str, list[tuple[list[str], int]]] = {}
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            thread, _, rest = stack.partition(";")  # py-spy --threads: the thread first
            samples.setdefault(thread, []).append((rest.split(";"), int(count)))
        for stacks in samples.values():
            loop = any("run_forever" in f for frames, _ in stacks for f in frames)
            counts = by_thread["event loop" if loop else "other threads"]
            for frames, n in stacks:
                counts[part(frames)] += n
    return by_thread


def main(args: list[str]) -> None:
    paths = [p for a in args for p in (sorted(Path(a).glob("*.txt")) if Path(a).is_dir()
                                       else [Path(a)])]
    if not paths:
        raise SystemExit(__doc__)
    by_thread = shares(paths)
    loop_total = sum(by_thread["event loop"].values())
    for thread, counts in by_thread.items():
        total = sum(counts.values())
        print(f"{thread}: {total} samples ({total / max(loop_total, 1):.0%} of the loop's)")
        for name, n in counts.most_common():
            print(f"  {n / total:6.1%}  {name}")
        http = sum(n for name, n in counts.items() if name.startswith("HTTP client"))
        print(f"  ({http / total:.1%} in the HTTP client together)")


if __name__ == "__main__":
    main(sys.argv[1:])

"""The SQLite store on aiosqlite: connections, pragmas, versioned migrations, the one guarded
write path, reads, scans and backups.

Three connections share the file (WAL), each seeing only committed data outside its own
transaction:

* The writer, an ``aiosqlite.Connection``: every write statement runs on its thread, in the
  order it was queued, so a ``BEGIN`` that waits for another process's lock (the CLI
  importing desks while the bot runs) or a sweep opening thousands of alerts never stalls
  the event loop. What runs inside a transaction is ``storage.sqlite.statements``.
* The scanner, an ``aiosqlite.Connection`` (``query_only``): scans (``scan``, ``scanval``;
  aggregates and lists over many rows for reports, digests, exports, the sweep and the
  sender) run on its thread, so a national ``/rekap`` does not stall the officers.
* Point reads (``fetchone``, ``fetchall``, ``fetchval``: a row by key, a few rows) run on the
  event loop thread on a plain ``sqlite3`` connection (``query_only``). WAL readers never wait
  for the writer, and a hop to a thread costs more than such a query. Measured with
  ``benchmarks/bench_reads.py`` (a desk by id, national file, 2-core machine shared with other
  runs): with the loop idle, 12 µs on the loop against 81 µs through an aiosqlite hop (means
  of 10,000); with the loop kept busy, 12 µs on the loop, while 1,000 hops had not finished
  after six minutes.

The writer groups commits. A write transaction (``async with db.transaction() as tx``) is a
``SAVEPOINT`` inside one SQLite transaction that every writer arriving meanwhile joins, and it
returns only once that transaction is committed, so "saved" means on disk
(``synchronous=FULL``). The algorithm:

1. A writer takes the write lock (so no two bodies interleave). If no SQLite transaction is
   open, it runs ``BEGIN IMMEDIATE`` and waits for it. If that wait ends in a storage fault
   (the lock held past the busy timeout), the writers already queued behind it fail at once
   with :class:`~storage.sqlite.faults.NotTried` instead of each waiting out the timeout in
   turn; a writer arriving later tries again.
2. Its body runs inside ``SAVEPOINT tx``, queued on the writer before the body arrived (see
   below); an exception rolls back to that savepoint, so only that body's work is undone, and
   the exception reaches the caller at once. If the savepoint is gone, SQLite rolled back the
   whole transaction (an I/O error, a full disk): the group's other members get
   :class:`~storage.sqlite.faults.RolledBack`, none is told it was saved.
3. On leaving, the writer queues the next body's ``SAVEPOINT``, releases the lock, makes sure
   a commit is scheduled, and waits for it. A writer that worked and after which no other
   writer arrived (nobody waits to join) runs step 4 itself at once, holding the lock: a
   lone write takes no next savepoint and no commit task, a third fewer turns of the event
   loop (a rehearsed day is mostly lone writes).
4. The commit task takes the lock after the bodies queued before it, detaches the open
   transaction and runs ``COMMIT`` (the fsync). Writers arriving during the commit wait for
   the lock and form the next group. A failed commit is rolled back and its error goes to
   every member of the group: none of them was told it was saved.

Hops: each statement waits for the writer's thread and then for the busy loop to come back
to it, and bodies hold the lock across their statements, so a hop saved is time every other
writer waits less. Three are saved per body: its ``SAVEPOINT`` is queued ahead (:class:`_Mark`;
the thread runs its queue in order, so the body's statements run inside it without waiting
for its answer), a ``SELECT`` comes back with its rows in one hop, and a body that worked
leaves its savepoint nested for the ``COMMIT`` to release instead of a ``RELEASE``. That
leaves one hop per statement: about 1.8 per write transaction in a 5,000-update run of
``benchmarks/bench_throughput.py``, against about 4.1 without the three (``docs/performance.md``).

Cancellation: the writer's thread runs what was queued even if the caller is cancelled, in
order. A body's statements need nothing more (the rollback of a cancelled body is queued
after its last statement); ``BEGIN``, the rollback itself, ``COMMIT``, a backup and the
writability probe are waited for even when cancelled (:func:`_finish`), so the lock is never
free while one of them may still change what the next holder finds.

A storage fault (``storage.sqlite.faults``: a full disk, another process's lock held longer
than the busy timeout, an I/O error) reaches the caller like any error; the write path also
notes it in :attr:`Database.health`, which logs one line when writes start failing and one when
a commit works again.

The module is longer than the ~300 lines the others keep to because the connections, the write
lock, the queued savepoints and the commit task are one algorithm whose invariants (who holds
the lock, which group a writer joins, what is queued on the writer before what) are easier to
check when they are read together.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.sqlite.faults import NotTried, RolledBack, StoreHealth, is_storage_fault, reason
from storage.sqlite.faults import StorageError as StorageError
from storage.sqlite.rebuild import rebuild
from storage.sqlite.schema import MIGRATIONS, AddColumn, Rebuild
from storage.sqlite.statements import Cursor as Cursor
from storage.sqlite.statements import Params
from storage.sqlite.statements import Tx as Tx

T = TypeVar("T")
POINT_KEYS = 20  # a lookup by at most this many keys is a point read; more is a scan
_MAX_PARAMS = 900  # keys per IN list, under SQLite's limit of bound parameters


# WAL lets the readers work while the writer writes; FULL makes every acknowledged commit
# survive a power cut, not only a process crash ("nothing a user was told is lost").
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON")
# How long a write waits for another process's lock before it fails as a storage fault.
BUSY_TIMEOUT = 10.0


def _pragmas(query_only: bool, busy_timeout: float) -> tuple[str, ...]:
    return (*_PRAGMAS, f"PRAGMA busy_timeout={int(busy_timeout * 1000)}",
            *(("PRAGMA query_only=ON",) if query_only else ()))


def _connect_reader(path: str, busy_timeout: float) -> sqlite3.Connection:
    """The point reader: a plain connection used only on the event loop thread."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout)
    conn.row_factory = sqlite3.Row
    try:
        for pragma in _pragmas(True, busy_timeout):
            conn.execute(pragma)
    except BaseException:
        conn.close()  # the first statement is where a file that is not a database fails
        raise
    return conn


async def _connect(path: str, *, query_only: bool, busy_timeout: float
                   ) -> aiosqlite.Connection:
    """A connection with a thread of its own (the writer, the scanner)."""
    conn = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout)
    conn.row_factory = sqlite3.Row
    try:
        for pragma in _pragmas(query_only, busy_timeout):
            await conn.execute(pragma)
    except BaseException:
        await conn.close()  # the first statement is where a file that is not a database fails
        raise
    return conn


async def _finish(work: Awaitable[T]) -> T:
    """Await ``work``; a cancelled caller still waits until it has run, then is cancelled."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise


class _Mark:
    """A ``SAVEPOINT tx`` queued on the writer ahead of the body that will use it.

    The writer's thread runs its queue in order, so a body's statements queued after the mark
    run inside it without waiting for the SAVEPOINT's answer: one hop fewer per body.
    """

    def __init__(self, writer: aiosqlite.Connection):
        self.queued = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run(writer))
        self.task.add_done_callback(self._ended)

    async def _run(self, writer: aiosqlite.Connection) -> None:
        self.queued.set()  # the statement enters the writer's queue within this step
        await writer.execute("SAVEPOINT tx")

    def _ended(self, task: asyncio.Task[None]) -> None:
        self.queued.set()  # also if cancelled before it ran: nobody waits forever
        # Retrieved even if nobody awaits it (a group that ended first); see _undo.
        task.cancelled() or task.exception()

    async def ensure_queued(self) -> None:
        """Return once the SAVEPOINT is in the writer's queue (at once, nearly always)."""
        await self.queued.wait()


class _Group:
    """One SQLite transaction shared by the write transactions that joined it."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.done: asyncio.Future[None] = loop.create_future()
        # Retrieve the error even if every waiter was cancelled (no "never retrieved").
        self.done.add_done_callback(lambda f: f.cancelled() or f.exception())
        self.scheduled = False

    def settle(self, commit: asyncio.Future[None]) -> None:
        """Pass the finished commit's outcome to the members."""
        error = commit.exception()
        if error is None:
            self.done.set_result(None)
        else:
            self.done.set_exception(error)


class Database:
    """Async access to the store; create with :meth:`open`."""

    def __init__(self, path: str, writer: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader: sqlite3.Connection | None = None  # point reads, on the loop
        self._scanner: aiosqlite.Connection | None = None  # scans, on their own thread
        self._lock = asyncio.Lock()
        self._group: _Group | None = None
        self._mark: _Mark | None = None  # the next body's savepoint, while a group is open
        self._commits: set[asyncio.Task[None]] = set()
        self.health = StoreHealth()  # whether writes work; see storage.sqlite.faults
        self._arrivals = 0  # writers that asked for the lock so far
        self._refused = 0  # those below this number are refused (a BEGIN failed after them)
        self._refusal = ""  # why
        self._closed = False

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
        """Open (creating if needed) the database file and bring its schema up to date.

        ``busy_timeout``: seconds a statement waits for another process's lock.
        """
        path = str(path)
        if path == ":memory:" or path.startswith("file:"):
            raise StorageError("the store needs a file path: its three connections share it")
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a directory should be, no permission
            raise StorageError(f"cannot open database {path}: {exc}") from None
        try:
            writer = await _connect(path, query_only=False, busy_timeout=busy_timeout)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        db = cls(path, writer)
        try:
            await db._migrate()
            db._reader = _connect_reader(path, busy_timeout)
            db._scanner = await _connect(path, query_only=True, busy_timeout=busy_timeout)
        except BaseException as exc:
            # Close what was opened: a refused file (newer schema, not a database) must not
            # leave a connection thread and a file handle behind.
            await db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StorageError(f"cannot open database {path}: {exc}") from exc
            raise
        return db

    async def skip_fsync(self) -> None:
        """Commits stop waiting for the disk (``synchronous=OFF``). Only for a throwaway copy
        whose loss nobody minds, such as a rehearsal's (``bot.rehearsal``): never for the
        database of a running bot, whose users are told "saved" after the commit."""
        async with self._lock:
            await self._writer.execute("PRAGMA synchronous=OFF")

    async def close(self) -> None:
        """Commit what is pending, then close the connections (idempotent).

        Every opened store must be closed: aiosqlite's threads are not daemons, so a store
        left open keeps the process from exiting.
        """
        async with self._lock:
            if self._closed:
                return
            await self._flush()
            self._closed = True
            if self._reader is not None:
                self._reader.close()
            # aiosqlite runs what was queued first: a running scan finishes, then it closes.
            for conn in (self._scanner, self._writer):
                if conn is not None:
                    await _finish(conn.close())
            self._reader = self._scanner = None

    async def _migrate(self) -> None:
        """Apply the migrations newer than ``PRAGMA user_version``, each in its own transaction."""
        rows = await self._writer.execute_fetchall("PRAGMA user_version")
        current = int(next(iter(rows))[0])
        if current > len(MIGRATIONS):
            raise StorageError(
                f"database schema version {current} is newer than this program "
                f"({len(MIGRATIONS)}); upgrade posko-bot"
            )
        for version, statements in enumerate(MIGRATIONS[current:], start=current + 1):
            # A rebuilt table is dropped and made again: its children's foreign keys would
            # refuse that, and the pragma only takes effect outside a transaction.
            rebuilds = any(isinstance(statement, Rebuild) for statement in statements)
            if rebuilds:
                await self._writer.execute("PRAGMA foreign_keys=OFF")
            try:
                async with self.transaction() as tx:
                    for statement in statements:
                        if isinstance(statement, Rebuild):
                            await rebuild(tx, statement)
                        elif not isinstance(statement, AddColumn):
                            await tx.execute(statement)
                        elif not await tx.execute_fetchall(statement.exists_sql):
                            await tx.execute(statement.sql)
                    await tx.execute(f"PRAGMA user_version = {version}")
            finally:
                if rebuilds:
                    await self._writer.execute("PRAGMA foreign_keys=ON")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """The one write path (steps 1–3 of the module docstring); nothing is half-saved.

        Its outcome keeps :attr:`health`: a storage fault starts an outage (logged once), a
        commit ends it.
        """
        ticket, self._arrivals = self._arrivals, self._arrivals + 1
        try:
            async with self._lock:
                if self._closed:
                    raise StorageError("the database is closed")
                if self._group is None:
                    if ticket < self._refused:
                        raise NotTried(f"not tried, the write before it failed: "
                                       f"{self._refusal}")
                    await self._begin_or_refuse()
                    self._group = _Group(asyncio.get_running_loop())
                    self._mark = _Mark(self._writer)
                group, mark, self._mark = self._group, self._mark, None
                assert mark is not None  # made with the group, and after every body
                worked = False
                try:
                    await mark.ensure_queued()
                    yield Tx(self._writer)
                    await mark.task  # done already: it ran before the body's statements
                    if not self._writer.in_transaction:  # a fault the body caught itself
                        raise RolledBack("SQLite rolled the transaction back")
                    worked = True
                except BaseException as exc:
                    await _finish(self._undo(group, mark, exc))  # whole, even if cancelled
                    raise
                finally:
                    if worked and self._group is group and self._arrivals == ticket + 1:
                        await self._flush()  # nobody came to join: step 4 now, lock held
                    else:
                        if self._group is group:
                            self._mark = _Mark(self._writer)  # nested: COMMIT releases it
                        self._schedule(group)
            await asyncio.shield(group.done)
        except Exception as exc:
            self.health.failed(exc)  # only a storage fault counts
            raise
        self.health.worked()

    async def _undo(self, group: _Group, mark: _Mark, exc: BaseException) -> None:
        """Step 2's rollback: the failed body's work, or the whole group if that is not
        possible (SQLite dropped the transaction, or the body's savepoint is missing)."""
        writer = self._writer
        await asyncio.wait([mark.task])  # ran before the body's statements: done already
        undone = False
        if not mark.task.cancelled() and mark.task.exception() is None:
            # Queued behind the body's last statement, even one whose caller was cancelled.
            with suppress(sqlite3.Error):  # no savepoint left: SQLite rolled back (below)
                await writer.execute("ROLLBACK TO tx")
                await writer.execute("RELEASE tx")
                undone = True
        if undone:
            return
        # Without the body's own savepoint, ROLLBACK TO would reach into the bodies before
        # it: the group goes as a whole.
        if writer.in_transaction:
            with suppress(sqlite3.Error):
                await writer.execute("ROLLBACK")
        if self._group is group:
            # Its other members must not be told they were saved.
            self._group = None
            error = RolledBack(f"the transaction was rolled back: {exc!r}")
            error.__cause__ = exc
            group.done.set_exception(error)

    async def _begin_or_refuse(self) -> None:
        """Step 1's BEGIN; a storage fault refuses the writers queued meanwhile."""
        try:
            # Already begun if a cancelled caller left it so before its group existed.
            if not self._writer.in_transaction:
                await _finish(self._writer.execute("BEGIN IMMEDIATE"))
        except Exception as exc:
            if is_storage_fault(exc):
                self._refused, self._refusal = self._arrivals, reason(exc)
            raise

    def _schedule(self, group: _Group) -> None:
        if not group.scheduled:
            group.scheduled = True
            task = asyncio.get_running_loop().create_task(self._commit_task())
            self._commits.add(task)  # keep a reference until it has run
            task.add_done_callback(self._commits.discard)

    async def _commit_task(self) -> None:
        async with self._lock:
            await self._flush()

    async def _flush(self) -> None:
        """Commit the open group, if any (step 4); the lock is held."""
        if self._mark is not None:
            await self._mark.ensure_queued()  # inside the transaction, before the COMMIT
        group, self._group, self._mark = self._group, None, None
        if group is None:
            return
        commit = asyncio.ensure_future(self._commit())
        try:
            # Also when cancelled (shutdown): the COMMIT runs anyway, and the lock is not
            # free before it has.
            await _finish(asyncio.wait([commit]))
        finally:
            group.settle(commit)

    async def _commit(self) -> None:
        try:
            await self._writer.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (a full disk) may leave the transaction open, and every later
            # BEGIN would fail: end it here.
            if self._writer.in_transaction:
                await self._writer.execute("ROLLBACK")
            raise

    def _read(self) -> sqlite3.Connection:
        if self._reader is None:
            raise StorageError("the database is closed")
        return self._reader

    # Point reads execute and fetch in one go: a statement left half-read would hold the
    # reader's snapshot, and a handler reading right after its own commit could miss it.

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a point read on committed data (the whole result is read)."""
        return next(iter(self._read().execute(sql, params).fetchall()), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a point read (a few rows, by key) on committed data."""
        return list(self._read().execute(sql, params).fetchall())

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row of a point read, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def scan(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a read over many rows, run on the scanner's thread."""
        if self._scanner is None:
            raise StorageError("the database is closed")
        return list(await self._scanner.execute_fetchall(sql, params))

    async def fetch_in(self, sql: str, keys: Sequence[Any]) -> list[sqlite3.Row]:
        """All rows of ``sql`` whose ``{keys}`` is an ``IN`` list of ``keys``.

        Read in chunks under SQLite's parameter limit; a handful of keys is a point read, more
        (the sweep's thousands of desks) a scan.
        """
        read = self.fetchall if len(keys) <= POINT_KEYS else self.scan
        rows: list[sqlite3.Row] = []
        for start in range(0, len(keys), _MAX_PARAMS):
            chunk = keys[start:start + _MAX_PARAMS]
            rows += await read(sql.format(keys=",".join("?" * len(chunk))), chunk)
        return rows

    async def scanval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row of a scan (a count over many rows), or None."""
        rows = await self.scan(sql, params)
        return rows[0][0] if rows else None

    async def check_writable(self) -> None:
        """Raise :class:`StorageError` unless this process can write the database.

        Only a real write tells: file modes do not stop root, and a read-only mount, an
        immutable file or a file SQLite itself will only read look writable to ``os.access``.
        The write is rolled back whole, so not a byte of the file changes.
        """
        async with self._lock:
            await self._flush()  # the rollback must not take a group's work with it
            try:
                await _finish(self._probe_write())
            except sqlite3.Error as exc:
                raise StorageError(f"database {self.path} is not writable: {exc}") from None

    async def _probe_write(self) -> None:
        writer = self._writer
        await writer.execute("BEGIN IMMEDIATE")
        try:
            version = int(next(iter(await writer.execute_fetchall("PRAGMA user_version")))[0])
            await writer.execute(f"PRAGMA user_version = {version}")
        finally:
            await writer.execute("ROLLBACK")

    async def backup(self, target: str | Path) -> None:
        """Online backup of the whole database into ``target`` (consistent even while writing)."""
        async with self._lock:
            await self._flush()  # an open group is not committed yet: not in the copy
            try:
                # Used only on the writer's thread, which the backup runs on.
                dest = sqlite3.connect(str(target), check_same_thread=False)
                try:
                    await _finish(self._writer.backup(dest))
                finally:
                    dest.close()
            except sqlite3.Error as exc:
                raise StorageError(f"cannot write backup {target}: {exc}") from None

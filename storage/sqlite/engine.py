"""The SQLite store: connections, pragmas, versioned migrations and the one guarded write path.

Three connections share the file (WAL), each seeing only committed data outside its own
transaction:

* Point reads (``fetchone``, ``fetchall``, ``fetchval``: a row by key, a few rows) run on the
  event loop thread on a ``query_only`` connection. They take microseconds, and WAL readers
  never wait for the writer; a hop to a thread and back would cost more than the query.
* Scans (``scan``: aggregates and lists over many rows, for reports, digests, exports, the
  sweep and the sender) run on a ``query_only`` connection on their own thread, so a national
  ``/rekap`` does not stall the officers.
* The writer, below.

The writer groups commits. A write transaction (``async with db.transaction() as tx``) runs
its statements on the event loop thread: point writes take microseconds, far less than a hop
to another thread and back. Each transaction is a ``SAVEPOINT`` inside one SQLite transaction
that every writer arriving meanwhile joins, and it returns only once that transaction is
committed, so "saved" still means on disk (``synchronous=FULL``). The algorithm:

1. A writer takes the write lock (so no two bodies interleave). If no SQLite transaction is
   open, ``BEGIN IMMEDIATE`` runs on the writer thread, where waiting for another process's
   lock (the CLI importing desks while the bot runs) does not stall the bot. If that wait
   ends in a storage fault (the lock held past the busy timeout), the writers already queued
   behind it fail at once with :class:`~storage.sqlite.faults.NotTried` instead of each
   waiting out the timeout in turn; a writer arriving later tries again.
2. Its body runs inside ``SAVEPOINT tx``; an exception rolls back to the savepoint, so only
   that body's work is undone, and the exception reaches the caller at once.
3. On leaving, the writer releases the savepoint and the lock, makes sure a commit is
   scheduled, and waits for it.
4. The commit task takes the lock after the bodies queued before it, detaches the open
   transaction and runs ``COMMIT`` (the fsync) on the writer thread. Writers arriving during
   the commit wait for the lock and form the next group. A failed commit is rolled back and
   its error goes to every member of the group: none of them was told it was saved.

A storage fault (``storage.sqlite.faults``: a full disk, another process's lock held longer
than the busy timeout, an I/O error) reaches the caller like any error; the write path also
notes it in :attr:`Database.health`, which logs one line when writes start failing and one when
a commit works again.

Statements over many rows (``executemany`` with more than ``BULK_ROWS`` rows, or
``execute(..., bulk=True)``) run on the writer thread too, so a sweep opening thousands of
alerts does not stall the loop.

The module is longer than the ~300 lines the others keep to because the connections, the write
lock and the commit task are one algorithm whose invariants (who holds the lock, which group a
writer joins) are easier to check when they are read together.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from storage.sqlite.faults import NotTried, RolledBack, StoreHealth, is_storage_fault, reason
from storage.sqlite.faults import StorageError as StorageError
from storage.sqlite.schema import MIGRATIONS, AddColumn

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")
BULK_ROWS = 200  # an executemany above this many rows runs on the writer thread
POINT_KEYS = 20  # a lookup by at most this many keys is a point read; more is a scan
_MAX_PARAMS = 900  # keys per IN list, under SQLite's limit of bound parameters


# WAL lets the reader work while the writer writes; FULL makes every acknowledged commit
# survive a power cut, not only a process crash ("nothing a user was told is lost").
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON")
# How long a write waits for another process's lock before it fails as a storage fault.
BUSY_TIMEOUT = 10.0


def _connect(path: str, *, query_only: bool, busy_timeout: float = BUSY_TIMEOUT
             ) -> sqlite3.Connection:
    # check_same_thread=False: the loop thread and a connection's own thread take turns,
    # never at once (the write lock, or a single-worker executor, orders them).
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        for pragma in (*_PRAGMAS, f"PRAGMA busy_timeout={int(busy_timeout * 1000)}",
                       *(("PRAGMA query_only=ON",) if query_only else ())):
            conn.execute(pragma)
    except BaseException:
        conn.close()  # the first statement is where a file that is not a database fails
        raise
    return conn


class Cursor:
    """The result of a statement inside a transaction (already executed)."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> sqlite3.Row | None:
        """The next row."""
        row: sqlite3.Row | None = self._cursor.fetchone()
        return row

    async def fetchall(self) -> list[sqlite3.Row]:
        """The remaining rows."""
        return list(self._cursor.fetchall())


class Tx:
    """Statements inside a write transaction; only valid within ``db.transaction()``."""

    def __init__(self, db: Database):
        self._db = db

    async def execute(self, sql: str, params: Params = (), *, bulk: bool = False) -> Cursor:
        """Run one statement; ``bulk`` for one that touches many rows (runs off the loop)."""
        conn = self._db._writer
        if bulk:
            return Cursor(await self._db._in_thread(conn.execute, sql, params))
        return Cursor(conn.execute(sql, params))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run one statement and return all its rows (for ``RETURNING``)."""
        return list(self._db._writer.execute(sql, params).fetchall())

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        """Run one statement for every row; a large batch runs off the loop."""
        conn, batch = self._db._writer, list(rows)
        if len(batch) > BULK_ROWS:
            return Cursor(await self._db._in_thread(conn.executemany, sql, batch))
        return Cursor(conn.executemany(sql, batch))


class _Group:
    """One SQLite transaction shared by the write transactions that joined it."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.done: asyncio.Future[None] = loop.create_future()
        # Retrieve the error even if every waiter was cancelled (no "never retrieved").
        self.done.add_done_callback(lambda f: f.cancelled() or f.exception())
        self.scheduled = False

    def settle(self, commit: Future[None]) -> None:
        """Pass the commit's outcome to the members (waits if the commit still runs)."""
        error = commit.exception()
        if error is None:
            self.done.set_result(None)
        else:
            self.done.set_exception(error)


class Database:
    """Async access to the store; create with :meth:`open`."""

    def __init__(self, path: str, writer: sqlite3.Connection):
        self.path = path
        self._writer = writer
        self._reader: sqlite3.Connection | None = None  # point reads, on the loop
        self._scanner: sqlite3.Connection | None = None  # scans, on their own thread
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="posko-db-writer")
        self._scan_thread = ThreadPoolExecutor(1, thread_name_prefix="posko-db-scan")
        self._lock = asyncio.Lock()
        self._group: _Group | None = None
        self._commits: set[asyncio.Task[None]] = set()
        self.health = StoreHealth()  # whether writes work; see storage.sqlite.faults
        self._arrivals = 0  # writers that asked for the lock so far
        self._refused = 0  # those below this number are refused (a BEGIN failed after them)
        self._refusal = ""  # why

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
            writer = await asyncio.to_thread(_connect, path, query_only=False,
                                             busy_timeout=busy_timeout)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        db = cls(path, writer)
        try:
            await db._migrate()
            db._reader = _connect(path, query_only=True, busy_timeout=busy_timeout)
            db._scanner = _connect(path, query_only=True, busy_timeout=busy_timeout)
        except BaseException as exc:
            # Close what was opened: a refused file (newer schema, not a database) must not
            # leave a connection thread and a file handle behind.
            await db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StorageError(f"cannot open database {path}: {exc}") from exc
            raise
        return db

    async def close(self) -> None:
        """Commit what is pending, then close the connections (idempotent)."""
        async with self._lock:
            await self._flush()
            self._scan_thread.shutdown(wait=True)  # a running scan finishes first
            for conn in (self._reader, self._scanner):
                if conn is not None:
                    conn.close()
            self._reader = self._scanner = None
            self._writer.close()
        self._thread.shutdown(wait=True)

    async def _in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        # A cancelled caller still waits for the writer thread: it would go on with a BEGIN or
        # a batch while the loop rolled back or began anew on the same connection.
        work = asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            await asyncio.wait([work])
            raise

    async def _migrate(self) -> None:
        """Apply the migrations newer than ``PRAGMA user_version``, each in its own transaction."""
        current = int(self._writer.execute("PRAGMA user_version").fetchone()[0])
        if current > len(MIGRATIONS):
            raise StorageError(
                f"database schema version {current} is newer than this program "
                f"({len(MIGRATIONS)}); upgrade posko-bot"
            )
        for version, statements in enumerate(MIGRATIONS[current:], start=current + 1):
            async with self.transaction() as tx:
                for statement in statements:
                    if not isinstance(statement, AddColumn):
                        await tx.execute(statement)
                    elif await (await tx.execute(statement.exists_sql)).fetchone() is None:
                        await tx.execute(statement.sql)
                await tx.execute(f"PRAGMA user_version = {version}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """The one write path (steps 1–3 of the module docstring); nothing is half-saved.

        Its outcome keeps :attr:`health`: a storage fault starts an outage (logged once), a
        commit ends it.
        """
        ticket, self._arrivals = self._arrivals, self._arrivals + 1
        try:
            async with self._lock:
                if self._group is None:
                    if ticket < self._refused:
                        raise NotTried(f"not tried, the write before it failed: "
                                       f"{self._refusal}")
                    await self._begin_or_refuse()
                    self._group = _Group(asyncio.get_running_loop())
                group = self._group
                self._writer.execute("SAVEPOINT tx")
                try:
                    yield Tx(self)
                except BaseException as exc:
                    if self._writer.in_transaction:
                        self._writer.execute("ROLLBACK TO tx")
                        self._writer.execute("RELEASE tx")
                    elif self._group is group:
                        # An I/O error or a full disk made SQLite roll back the whole group:
                        # its other members must not be told they were saved.
                        self._group = None
                        error = RolledBack(f"the transaction was rolled back: {exc!r}")
                        error.__cause__ = exc
                        group.done.set_exception(error)
                    raise
                else:
                    self._writer.execute("RELEASE tx")
                finally:
                    self._schedule(group)
            await asyncio.shield(group.done)
        except Exception as exc:
            self.health.failed(exc)  # only a storage fault counts
            raise
        self.health.worked()

    async def _begin_or_refuse(self) -> None:
        """Step 1's BEGIN; a storage fault refuses the writers queued meanwhile."""
        try:
            # Already begun if a cancelled caller left it so before its group existed.
            await self._in_thread(self._begin)
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
        group, self._group = self._group, None
        if group is None:
            return
        commit = self._thread.submit(self._commit)
        try:
            await asyncio.wait([asyncio.wrap_future(commit)])  # waits; raises nothing
        finally:
            # Also when cancelled (shutdown): the writer thread finishes the COMMIT anyway,
            # and settle() waits for it, so the lock is not free before it has.
            group.settle(commit)

    def _begin(self) -> None:
        if not self._writer.in_transaction:
            self._writer.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        try:
            self._writer.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (a full disk) may leave the transaction open, and every later
            # BEGIN would fail: end it here.
            if self._writer.in_transaction:
                self._writer.execute("ROLLBACK")
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
        """All rows of a read over many rows, run on the scan thread."""
        scanner = self._scanner
        if scanner is None:
            raise StorageError("the database is closed")
        return await asyncio.get_running_loop().run_in_executor(
            self._scan_thread, lambda: list(scanner.execute(sql, params).fetchall()))

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
                await self._in_thread(self._probe_write)
            except sqlite3.Error as exc:
                raise StorageError(f"database {self.path} is not writable: {exc}") from None

    def _probe_write(self) -> None:
        self._writer.execute("BEGIN IMMEDIATE")
        try:
            version = int(self._writer.execute("PRAGMA user_version").fetchone()[0])
            self._writer.execute(f"PRAGMA user_version = {version}")
        finally:
            self._writer.execute("ROLLBACK")

    async def backup(self, target: str | Path) -> None:
        """Online backup of the whole database into ``target`` (consistent even while writing)."""
        async with self._lock:
            await self._flush()  # an open group is not committed yet: not in the copy
            try:
                dest = sqlite3.connect(str(target), check_same_thread=False)
                try:
                    await self._in_thread(self._writer.backup, dest)
                finally:
                    dest.close()
            except sqlite3.Error as exc:
                raise StorageError(f"cannot write backup {target}: {exc}") from None


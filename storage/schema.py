"""The schema as an ordered list of migrations; ``PRAGMA user_version`` counts those applied.

Never edit a migration that has shipped: append a new one. Timestamps are UTC ISO-8601 text
(``2026-11-22T08:00:00.000000Z``, fixed width so text order is time order).
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: desks, members, invites, shifts
    [
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        # A desk is one administrative unit's posko. `path` is the chain of ancestor ids
        # ("/1/5/77/"), so "everything in the scope of desk X" is one index range scan.
        """CREATE TABLE desks (
            id          INTEGER PRIMARY KEY,
            code        TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            level       TEXT NOT NULL CHECK (level IN
                            ('provinsi', 'kabupaten_kota', 'kecamatan', 'kelurahan_desa')),
            parent_id   INTEGER REFERENCES desks(id),
            path        TEXT NOT NULL,
            latitude    REAL,
            longitude   REAL,
            timezone    TEXT NOT NULL,
            radius_m    INTEGER NOT NULL CHECK (radius_m > 0),
            min_staff   INTEGER NOT NULL CHECK (min_staff >= 0),
            duty_hours  TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        )""",
        "CREATE INDEX desks_path ON desks(path)",
        "CREATE INDEX desks_parent ON desks(parent_id)",
        # One Telegram user is one member at one desk. Admins may have no desk.
        """CREATE TABLE members (
            telegram_id INTEGER PRIMARY KEY,
            full_name   TEXT NOT NULL,
            username    TEXT,
            desk_id     INTEGER REFERENCES desks(id),
            role        TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
            language    TEXT,
            active      INTEGER NOT NULL DEFAULT 1,
            invite_id   INTEGER REFERENCES invites(id),
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            CHECK (desk_id IS NOT NULL OR role = 'admin')
        )""",
        "CREATE INDEX members_desk ON members(desk_id, role)",
        # Only the SHA-256 of a token is kept: a leaked database does not leak usable invites.
        """CREATE TABLE invites (
            id          INTEGER PRIMARY KEY,
            token_hash  TEXT NOT NULL UNIQUE,
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            role        TEXT NOT NULL CHECK (role IN ('officer', 'supervisor')),
            max_uses    INTEGER NOT NULL CHECK (max_uses > 0),
            uses        INTEGER NOT NULL DEFAULT 0,
            expires_at  TEXT NOT NULL,
            created_by  INTEGER,
            created_at  TEXT NOT NULL,
            revoked_at  TEXT,
            CHECK (uses <= max_uses)
        )""",
        # A shift is open while ended_at IS NULL. The partial unique index is what makes a
        # redelivered check-in unable to open a second shift.
        """CREATE TABLE shifts (
            id            INTEGER PRIMARY KEY,
            member_id     INTEGER NOT NULL REFERENCES members(telegram_id),
            desk_id       INTEGER NOT NULL REFERENCES desks(id),
            started_at    TEXT NOT NULL,
            ended_at      TEXT,
            end_reason    TEXT CHECK (end_reason IN
                              ('manual', 'presence_timeout', 'handover', 'admin')),
            latitude      REAL,
            longitude     REAL,
            distance_m    REAL NOT NULL,
            accuracy_m    REAL,
            live_until    TEXT,
            last_seen_at  TEXT NOT NULL,
            outside_since TEXT,
            update_id     INTEGER,
            CHECK (ended_at IS NULL OR end_reason IS NOT NULL)
        )""",
        "CREATE UNIQUE INDEX shifts_one_open ON shifts(member_id) WHERE ended_at IS NULL",
        "CREATE INDEX shifts_open_by_desk ON shifts(desk_id) WHERE ended_at IS NULL",
        "CREATE INDEX shifts_desk_time ON shifts(desk_id, started_at)",
        "CREATE INDEX shifts_member_time ON shifts(member_id, started_at)",
    ],
]

"""The schema as an ordered list of migrations; ``PRAGMA user_version`` counts those applied.

Never edit a migration that has shipped: append a new one. Timestamps are UTC ISO-8601 text
(``2026-11-22T08:00:00.000000Z``, fixed width so text order is time order). The module grows
past 300 lines because migrations are only ever appended: the whole history stays in one
ordered list, read top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddColumn:
    """``ALTER TABLE … ADD COLUMN`` where the column is missing (SQLite has no IF NOT EXISTS)."""

    table: str
    column: str
    declaration: str

    @property
    def exists_sql(self) -> str:
        return f"SELECT 1 FROM pragma_table_info('{self.table}') WHERE name = '{self.column}'"

    @property
    def sql(self) -> str:
        return f"ALTER TABLE {self.table} ADD COLUMN {self.column} {self.declaration}"


@dataclass(frozen=True)
class Rebuild:
    """A table rebuilt with ``old`` replaced by ``new`` in its ``CREATE TABLE`` (SQLite cannot
    alter a CHECK constraint): ``storage.sqlite.rebuild`` does it the way SQLite documents,
    keeping every row, column, index and trigger, with foreign keys checked afterwards."""

    table: str
    old: str
    new: str


Step = str | AddColumn | Rebuild

MIGRATIONS: list[list[Step]] = [
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
                              ('manual', 'presence_timeout', 'duty_end', 'handover',
                               'admin')),
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
    # 2: duty rules, alerts, presence checks, group subscriptions, the outbox
    [
        # Exceptions to a desk's daily duty_hours: a weekday (1 = Monday … 7 = Sunday) or one
        # local date. A date rule beats a weekday rule, which beats duty_hours.
        """CREATE TABLE duty_rules (
            id          INTEGER PRIMARY KEY,
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            day         TEXT NOT NULL,
            duty_hours  TEXT NOT NULL,
            min_staff   INTEGER CHECK (min_staff >= 0),
            created_at  TEXT NOT NULL,
            UNIQUE (desk_id, day),
            CHECK (day GLOB '[1-7]' OR day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
        )""",
        "CREATE INDEX shifts_desk_end ON shifts(desk_id, ended_at)",
        "CREATE INDEX shifts_update ON shifts(update_id) WHERE update_id IS NOT NULL",
        # One alert per empty-desk episode. `level` is how far up the hierarchy it was last
        # sent (0: the desk's own supervisors), `step` how many escalation steps it took;
        # `next_escalation_at` is NULL once acknowledged, resolved, or out of steps.
        """CREATE TABLE alerts (
            id                 INTEGER PRIMARY KEY,
            desk_id            INTEGER NOT NULL REFERENCES desks(id),
            short_since        TEXT NOT NULL,
            opened_at          TEXT NOT NULL,
            level              INTEGER NOT NULL DEFAULT 0,
            step               INTEGER NOT NULL DEFAULT 0,
            next_escalation_at TEXT,
            acked_by           INTEGER REFERENCES members(telegram_id),
            acked_at           TEXT,
            resolved_at        TEXT,
            resolution         TEXT CHECK (resolution IN ('staffed', 'off_duty')),
            last_member_id     INTEGER
        )""",
        "CREATE UNIQUE INDEX alerts_one_open ON alerts(desk_id) WHERE resolved_at IS NULL",
        """CREATE INDEX alerts_escalation ON alerts(next_escalation_at)
            WHERE next_escalation_at IS NOT NULL""",
        "CREATE INDEX alerts_desk_time ON alerts(desk_id, opened_at)",
        # "Masih bertugas?" questions: one open per shift.
        """CREATE TABLE presence_checks (
            id          INTEGER PRIMARY KEY,
            shift_id    INTEGER NOT NULL REFERENCES shifts(id),
            asked_at    TEXT NOT NULL,
            answered_at TEXT,
            expired_at  TEXT
        )""",
        """CREATE UNIQUE INDEX presence_one_open ON presence_checks(shift_id)
            WHERE answered_at IS NULL AND expired_at IS NULL""",
        # A group chat receiving the alerts (and later incidents and digests) of a scope.
        """CREATE TABLE subscriptions (
            chat_id     INTEGER PRIMARY KEY,
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            title       TEXT,
            created_by  INTEGER,
            active      INTEGER NOT NULL DEFAULT 1,
            created_at  TEXT NOT NULL
        )""",
        "CREATE INDEX subscriptions_desk ON subscriptions(desk_id) WHERE active = 1",
        # Intents written by the scheduler (in the transaction of the state change) and
        # drained by the bot's sender. A row is sent when Telegram accepted it (sent_at and
        # message_id set) or failed for good (failed_at, error).
        """CREATE TABLE outbox (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            payload     TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            not_before  TEXT NOT NULL,
            attempts    INTEGER NOT NULL DEFAULT 0,
            sent_at     TEXT,
            message_id  INTEGER,
            failed_at   TEXT,
            error       TEXT
        )""",
        "CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND failed_at IS NULL",
        "CREATE INDEX outbox_chat ON outbox(chat_id, id)",
        # Which outbox messages carried which alert, so later edits (acknowledged, resolved)
        # reach every message that announced it.
        """CREATE TABLE alert_messages (
            alert_id    INTEGER NOT NULL REFERENCES alerts(id),
            outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
            PRIMARY KEY (alert_id, outbox_id)
        )""",
        "CREATE INDEX alert_messages_outbox ON alert_messages(outbox_id)",
    ],
    # 3: incident reports, their drafts, media, history and follow-up
    [
        # A /lapor draft: one per member, a guided flow whose state lives here so it survives
        # a restart. AUTOINCREMENT: a new draft never reuses an old id, so buttons of an
        # older draft are recognisably stale.
        """CREATE TABLE incident_drafts (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id   INTEGER NOT NULL UNIQUE REFERENCES members(telegram_id),
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            step        TEXT NOT NULL,
            category    TEXT,
            severity    TEXT,
            description TEXT,
            latitude    REAL,
            longitude   REAL,
            media       TEXT NOT NULL DEFAULT '[]',
            tps         TEXT,
            update_id   INTEGER,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        )""",
        """CREATE TABLE incidents (
            id           INTEGER PRIMARY KEY,
            ref          TEXT NOT NULL UNIQUE,
            desk_id      INTEGER NOT NULL REFERENCES desks(id),
            seq          INTEGER NOT NULL,
            draft_id     INTEGER NOT NULL UNIQUE,
            reporter_id  INTEGER NOT NULL REFERENCES members(telegram_id),
            category     TEXT NOT NULL,
            severity     TEXT NOT NULL CHECK (severity IN ('info', 'sedang', 'tinggi',
                                                          'kritis')),
            description  TEXT NOT NULL,
            latitude     REAL,
            longitude    REAL,
            tps          TEXT,
            status       TEXT NOT NULL DEFAULT 'baru' CHECK (status IN ('baru', 'ditangani',
                                                                       'selesai')),
            handler_id   INTEGER REFERENCES members(telegram_id),
            closing_note TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            UNIQUE (desk_id, seq)
        )""",
        "CREATE INDEX incidents_open ON incidents(status, created_at)",
        "CREATE INDEX incidents_desk_time ON incidents(desk_id, created_at)",
        """CREATE TABLE incident_media (
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            position    INTEGER NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'document')),
            file_id     TEXT NOT NULL,
            PRIMARY KEY (incident_id, position)
        )""",
        """CREATE TABLE incident_history (
            id          INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            at          TEXT NOT NULL,
            actor_id    INTEGER,
            status      TEXT NOT NULL,
            note        TEXT
        )""",
        "CREATE INDEX incident_history_incident ON incident_history(incident_id, id)",
        # Which outbox messages carried which report (to edit them when its status changes).
        """CREATE TABLE incident_messages (
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
            PRIMARY KEY (incident_id, outbox_id)
        )""",
        # A supervisor who tapped *Selesai* and owes the closing note.
        """CREATE TABLE closing_notes (
            member_id   INTEGER PRIMARY KEY REFERENCES members(telegram_id),
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            asked_at    TEXT NOT NULL
        )""",
    ],
    # 4: the daily digest's schedule, one row per recipient chat (Healthchecks' next_report)
    [
        """CREATE TABLE digest_schedule (
            chat_id     INTEGER PRIMARY KEY,
            desk_id     INTEGER REFERENCES desks(id),
            next_at     TEXT NOT NULL
        )""",
        "CREATE INDEX digest_schedule_due ON digest_schedule(next_at)",
    ],
    # 5: a counter of changes to members and desks, bumped by triggers whatever process makes
    # them (the bot, the CLI), so the bot may cache who a caller is until it moves. A new desk
    # changes no caller (a member's desk_id is a foreign key), and a national import inserts
    # 91,599 of them: no trigger there.
    [
        "CREATE TABLE roster (version INTEGER NOT NULL)",
        "INSERT INTO roster (version) VALUES (0)",
        *(f"CREATE TRIGGER {table}_{event.lower()}_roster AFTER {event} ON {table} "
          "BEGIN UPDATE roster SET version = version + 1; END"
          for table, event in (("members", "INSERT"), ("members", "UPDATE"),
                               ("members", "DELETE"), ("desks", "UPDATE"),
                               ("desks", "DELETE"))),
    ],
    # 6: which update closed a shift (a redelivered check-out finds it). Releases that put this
    # column into migration 1 after it had shipped created it there already.
    [AddColumn("shifts", "end_update_id", "INTEGER")],
    # 7: a group holds one subscription per scope (supervisors of different areas share a
    # group), and gets one digest per scope. SQLite cannot change a primary key in place: both
    # tables are rebuilt, keeping their rows.
    [
        """CREATE TABLE subscriptions_by_scope (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL,
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            title       TEXT,
            created_by  INTEGER,
            active      INTEGER NOT NULL DEFAULT 1,
            created_at  TEXT NOT NULL,
            UNIQUE (chat_id, desk_id)
        )""",
        "INSERT INTO subscriptions_by_scope (chat_id, desk_id, title, created_by, active, "
        "created_at) SELECT chat_id, desk_id, title, created_by, active, created_at "
        "FROM subscriptions ORDER BY chat_id",
        "DROP TABLE subscriptions",
        "ALTER TABLE subscriptions_by_scope RENAME TO subscriptions",
        "CREATE INDEX subscriptions_desk ON subscriptions(desk_id) WHERE active = 1",
        # An admin's row has no desk (everything): NULL counts as one scope of its own.
        """CREATE TABLE digest_schedule_by_scope (
            chat_id     INTEGER NOT NULL,
            desk_id     INTEGER REFERENCES desks(id),
            next_at     TEXT NOT NULL
        )""",
        "INSERT INTO digest_schedule_by_scope (chat_id, desk_id, next_at) "
        "SELECT chat_id, desk_id, next_at FROM digest_schedule",
        "DROP TABLE digest_schedule",
        "ALTER TABLE digest_schedule_by_scope RENAME TO digest_schedule",
        "CREATE UNIQUE INDEX digest_schedule_scope ON digest_schedule(chat_id, ifnull(desk_id, 0))",
        "CREATE INDEX digest_schedule_due ON digest_schedule(next_at)",
    ],
    # 8: a member removed by a supervisor or an operator keeps their row (shifts, reports and
    # alerts still name them) but counts as unknown until a new invite registers them again.
    # `active` stays what it was: whether messages reach them.
    [AddColumn("members", "removed_at", "TEXT")],
    # 9: the level an alert was first announced at (-1: nobody told yet), so "forwarded" is
    # said only when someone below was told. An alert opened before reached its first level
    # at step 0; an escalated one is taken to have started at its desk.
    [
        AddColumn("alerts", "first_level", "INTEGER NOT NULL DEFAULT -1"),
        "UPDATE alerts SET first_level = CASE WHEN step = 0 THEN level ELSE 0 END",
    ],
    # 10: the schedules desks had before each change (storage/schedule_history.py), so a past
    # day is judged by the duty hours, staff and rules in force that day. `rules` is the
    # desk's duty_rules then, as a JSON array of [day, duty_hours, min_staff].
    [
        """CREATE TABLE schedule_history (
            id          INTEGER PRIMARY KEY,
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            duty_hours  TEXT NOT NULL,
            min_staff   INTEGER NOT NULL,
            rules       TEXT NOT NULL,
            valid_until TEXT NOT NULL
        )""",
        "CREATE INDEX schedule_history_desk ON schedule_history(desk_id, valid_until)",
    ],
    # 11: a draft whose reporter is changing one answer from the summary goes back to the
    # summary once that answer is given, instead of on through the remaining questions.
    [AddColumn("incident_drafts", "revising", "INTEGER NOT NULL DEFAULT 0")],
    # 12: confirmations of the neutrality pledge (storage/pledges.py), one per member and
    # version of the text, so a changed text is asked again and the earlier ones stay on record.
    [
        """CREATE TABLE pledges (
            member_id    INTEGER NOT NULL REFERENCES members(telegram_id),
            version      TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            PRIMARY KEY (member_id, version)
        )""",
    ],
    # 13: sign-in to the dashboard (storage/logins.py): one-time links and browser sessions,
    # both kept as the SHA-256 of their token only. A session remembers the role and desk its
    # member had at sign-in, so a move, a demotion or a removal ends it.
    [
        """CREATE TABLE dashboard_logins (
            token_hash  TEXT PRIMARY KEY,
            member_id   INTEGER NOT NULL REFERENCES members(telegram_id),
            created_at  TEXT NOT NULL,
            expires_at  TEXT NOT NULL,
            used_at     TEXT
        )""",
        """CREATE TABLE dashboard_sessions (
            token_hash  TEXT PRIMARY KEY,
            member_id   INTEGER NOT NULL REFERENCES members(telegram_id),
            role        TEXT NOT NULL,
            desk_id     INTEGER,
            csrf        TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            expires_at  TEXT NOT NULL,
            ended_at    TEXT
        )""",
        "CREATE INDEX dashboard_sessions_member ON dashboard_sessions(member_id) "
        "WHERE ended_at IS NULL",
    ],
    # 14: partner liaisons (storage.agencies): a member or invite of the role `partner`
    # carries its agency, and each report keeps the agencies it concerns, by the routing table
    # when it was made or handed on by a supervisor, so who may follow a report up does not
    # change with a later edit of the table.
    [
        Rebuild("members", "role IN ('officer', 'supervisor', 'admin')",
                "role IN ('officer', 'supervisor', 'admin', 'partner')"),
        Rebuild("invites", "role IN ('officer', 'supervisor')",
                "role IN ('officer', 'supervisor', 'partner')"),
        AddColumn("members", "agency", "TEXT"),
        AddColumn("invites", "agency", "TEXT"),
        """CREATE TABLE incident_agencies (
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            agency      TEXT NOT NULL,
            handed_by   INTEGER,
            at          TEXT NOT NULL,
            PRIMARY KEY (incident_id, agency)
        )""",
    ],
    # 15: TPS moved (storage.relocations): a report of category lokasi_tps records where its
    # TPS went, why and when, one move per report. `step` is how far its recording is
    # (`reason`, `place`, `done`): the questions live in this row, so a restart loses none.
    [
        """CREATE TABLE tps_moves (
            id            INTEGER PRIMARY KEY,
            incident_id   INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
            desk_id       INTEGER NOT NULL REFERENCES desks(id),
            tps           TEXT NOT NULL,
            recorded_by   INTEGER NOT NULL REFERENCES members(telegram_id),
            step          TEXT NOT NULL CHECK (step IN ('reason', 'place', 'done')),
            reason        TEXT,
            new_latitude  REAL,
            new_longitude REAL,
            new_address   TEXT,
            moved_at      TEXT,
            created_at    TEXT NOT NULL
        )""",
        "CREATE INDEX tps_moves_recorder ON tps_moves(recorded_by) WHERE step != 'done'",
        "CREATE INDEX tps_moves_desk_time ON tps_moves(desk_id, moved_at)",
    ],
    # 16: the weekly report's schedule (scheduler.weekly), shaped as the daily digest's.
    [
        """CREATE TABLE weekly_schedule (
            chat_id     INTEGER NOT NULL,
            desk_id     INTEGER REFERENCES desks(id),
            next_at     TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX weekly_schedule_scope ON weekly_schedule(chat_id, "
        "ifnull(desk_id, 0))",
        "CREATE INDEX weekly_schedule_due ON weekly_schedule(next_at)",
    ],
    # 17: risk labels of desks (storage/risks.py): perbatasan, banjir, konflik, psu or any
    # other; a label's rule (POSKO_RISK_RULES) tightens the desk's duty.
    [
        """CREATE TABLE desk_risks (
            desk_id     INTEGER NOT NULL REFERENCES desks(id),
            label       TEXT NOT NULL,
            PRIMARY KEY (desk_id, label)
        ) WITHOUT ROWID""",
    ],
    # 18: the sender's two questions, "the first pending row of each chat that is due" and
    # "when is the next one due", answered from the pending rows of one chat at a time
    # (storage.outbox.due): grouping every pending row by chat cost 0.6 s a call with 100,000
    # presence questions queued at once, and the sender asks after every send.
    [
        "CREATE INDEX outbox_pending_chat ON outbox(chat_id, id) "
        "WHERE sent_at IS NULL AND failed_at IS NULL",
        "CREATE INDEX outbox_pending_time ON outbox(not_before) "
        "WHERE sent_at IS NULL AND failed_at IS NULL",
    ],
    # 19: the desks' (zone, hours) pairs, read every minute by the sweep and the presence pass
    # (storage.desks.schedule_pairs), found by seeking from one pair to the next instead of
    # reading every desk of the country (14 ms a call at 91,599 desks).
    [
        "CREATE INDEX desks_schedule ON desks(timezone, duty_hours)",
    ],
]

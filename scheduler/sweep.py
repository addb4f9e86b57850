"""The empty-desk sweep: open, escalate and resolve alerts, and say so through the outbox.

Algorithm of :func:`sweep` (run every ``POSKO_SWEEP_INTERVAL``; it keeps no state, so a run after
downtime simply catches up):

1. Read a snapshot of every desk that could be short or has an open alert (one query).
2. Judge each desk with the pure rule :func:`judge`, held to its duty (the grace, the staff
   and the escalation steps, tightened by its risk labels: :func:`storage.rules.risk.tightest`):
   open an alert when the desk has been short for longer than the grace, resolve it when
   staffed again or off duty, escalate it when its planned escalation time has passed and
   nobody has acknowledged it.
3. Choose recipients: an opening goes to the nearest level (the desk itself, else its parent,
   …) that has active supervisors (none yet: level -1, and whoever registers in its scope is
   told then), and to every group subscribed to a scope containing the desk; an escalation
   goes to the next supervised level up; a resolution goes to everyone who was told.
4. In one transaction, apply every transition as a conditional write and queue one intent
   per chat: all the alerts a chat gets in this sweep arrive as one message, not fifty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from storage import alerts as alerts_store
from storage import members as members_store
from storage import subscriptions as subscriptions_store
from storage.alerts import Escalation, NewAlert
from storage.desks import chain
from storage.outbox_kinds import OutboxKind
from storage.records import in_bulk
from storage.rules.duty import DeskState, Schedule, Spans, short_since
from storage.rules.risk import Duty, RiskRule, tightest
from storage.snapshots import DeskSnapshot, snapshots
from storage.sqlite.engine import Database


@dataclass(frozen=True, slots=True)
class SweepConfig:
    """The tunables of the sweep: the installation's grace and escalation steps, and how each
    risk label tightens them for a desk that carries it (:mod:`storage.rules.risk`)."""

    grace: timedelta
    steps: tuple[timedelta, ...]
    risks: Mapping[str, RiskRule] = field(default_factory=dict)

    @property
    def floors(self) -> dict[str, int]:
        """Label -> the staff its rule needs, for the labels whose rule raises it."""
        return {label: rule.min_staff for label, rule in self.risks.items()
                if rule.min_staff is not None}

    def duty(self, labels: tuple[str, ...], cache: dict[tuple[str, ...], Duty]) -> Duty:
        """The duty of a desk with ``labels`` (worked out once per set of labels in ``cache``:
        a country has a handful of sets for its thousands of risk-area desks)."""
        found = cache.get(labels)
        if found is None:
            found = cache[labels] = tightest(Duty(self.grace, self.steps), self.risks, labels)
        return found


class Action(StrEnum):
    """What the sweep does with one desk."""

    OPEN = "open"
    ESCALATE = "escalate"
    RESOLVE_STAFFED = "staffed"
    RESOLVE_OFF_DUTY = "off_duty"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The action for a desk; ``short_since`` is set for openings."""

    action: Action
    short_since: datetime | None = None



def judge(snap: DeskSnapshot, now: datetime, duty: Duty,
          spans: Spans | None = None) -> Judgement | None:
    """The one rule for a desk's alert at ``now`` (pure; see the module docstring), held to
    ``duty``: its grace, and the least staff its risk labels require. ``spans`` (at ``now``)
    evaluates each distinct schedule once across a sweep.

    When a desk is short since is :func:`storage.rules.duty.short_since`.
    """
    grace = duty.grace
    schedule = Schedule(snap.duty_hours, snap.min_staff, snap.rules, duty.min_staff)
    state = DeskState((spans or Spans(now))(schedule, snap.timezone), snap.open_shifts)
    alert = snap.alert
    if alert is None:
        if state.span is None or not state.short:
            return None
        since = short_since(state.span, snap.last_end)
        if now - since < grace:
            return None
        return Judgement(Action.OPEN, since)
    if not state.short:
        return Judgement(Action.RESOLVE_STAFFED if state.on_duty else Action.RESOLVE_OFF_DUTY)
    if (not alert.acked and alert.next_escalation_at is not None
            and alert.next_escalation_at <= now):
        return Judgement(Action.ESCALATE)
    return None


def next_level(ids: list[int], above: int, supervised: dict[int, list[int]]) -> int | None:
    """The first level above ``above`` (-1: the desk itself) whose desk has supervisors;
    ``ids`` is the desk's :func:`storage.desks.chain`."""
    for level, desk_id in enumerate(ids):
        if level > above and supervised.get(desk_id):
            return level
    return None


def planned(start: datetime, step: int, steps: tuple[timedelta, ...]) -> datetime | None:
    """When step ``step`` (0-based) is due, counted from ``start``; None past the last step."""
    return start + steps[step] if step < len(steps) else None


@dataclass
class SweepReport:
    """What one sweep did."""

    examined: int = 0
    opened: int = 0
    escalated: int = 0
    resolved: int = 0
    messages: int = 0
    chats: set[int] = field(default_factory=set)


async def sweep(db: Database, now: datetime, config: SweepConfig) -> SweepReport:
    """Run the algorithm of the module docstring once."""
    snaps = await snapshots(db, now, config.floors)
    report = SweepReport(examined=len(snaps))
    duties: dict[tuple[str, ...], Duty] = {}
    spans = Spans(now)
    # Judging every candidate desk of the country takes a noticeable fraction of a second:
    # a worker thread keeps the bot answering officers meanwhile (a city's, in place).
    # Each judged desk comes with the ids of its chain up to the root, split once: at 08:15
    # of voting day the country's thousands of empty desks each need it three times.
    judged = await in_bulk(lambda: [(snap, verdict, chain(snap.path)) for snap in snaps if (
        verdict := judge(snap, now, config.duty(snap.risks, duties), spans)) is not None],
        len(snaps))
    if not judged:
        return report
    needed = {desk_id for _, verdict, ids in judged if verdict.action in (Action.OPEN,
                                                                         Action.ESCALATE)
              for desk_id in ids}
    supervised = await members_store.supervisors_of(db, sorted(needed))
    groups = await subscriptions_store.active(db)
    announce: dict[int, list[int]] = defaultdict(list)
    resolved: dict[int, list[int]] = defaultdict(list)
    async with db.transaction() as tx:
        # The snapshot was read before the transaction: an officer or an acknowledgement may
        # have changed an alert since. Decide on the alerts as they are now.
        current = await alerts_store.open_states(tx)
        opening: list[tuple[DeskSnapshot, list[int], int | None, NewAlert]] = []
        moves: list[tuple[list[int], int, Escalation]] = []
        done: list[tuple[int, str]] = []
        for snap, verdict, chain_ids in judged:
            alert, now_alert = snap.alert, current.get(snap.desk_id)
            if verdict.action is Action.OPEN and verdict.short_since is not None:
                if now_alert is not None:
                    continue
                level = next_level(chain_ids, -1, supervised)
                # -1: nobody to tell yet; a supervisor who registers hears of it at once
                # (storage.alerts.tell_new_supervisor), escalation looks from the desk up.
                opening.append((snap, chain_ids, level, NewAlert(
                    snap.desk_id, verdict.short_since, -1 if level is None else level,
                    planned(now, 0, config.duty(snap.risks, duties).steps))))
            elif alert is None or now_alert is None or now_alert.id != alert.id:
                continue
            elif verdict.action is Action.ESCALATE:
                if now_alert.acked or now_alert.step != alert.step:
                    continue
                level = next_level(chain_ids, alert.level, supervised)
                base = alert.next_escalation_at or now
                moves.append((chain_ids, -1 if level is None else level, Escalation(
                    alert.id, alert.step, alert.level if level is None else level,
                    planned(base, alert.step + 1, config.duty(snap.risks, duties).steps)
                    if level is not None else None)))
            else:
                done.append((alert.id, verdict.action.value))
        ids = await alerts_store.open_many(tx, [new for *_, new in opening], now)
        for (snap, chain_ids, level, _), alert_id in zip(opening, ids, strict=True):
            if level is not None:
                for chat in supervised.get(chain_ids[level], []):
                    announce[chat].append(alert_id)
            for chat in subscriptions_store.chats_within(groups, snap.path):
                announce[chat].append(alert_id)
        await alerts_store.escalate_many(tx, [move for _, _, move in moves])
        for chain_ids, level, move in moves:
            if level >= 0:
                for chat in supervised.get(chain_ids[level], []):
                    announce[chat].append(move.alert_id)
        told = await alerts_store.resolve_many(tx, done, now)
        for alert_id, chats in told.items():
            for chat in chats:
                resolved[chat].append(alert_id)
        await alerts_store.announce(tx, announce, OutboxKind.ALERTS, now)
        await alerts_store.announce(tx, resolved, OutboxKind.ALERTS_RESOLVED, now)
    report.opened = len(ids)
    report.escalated = sum(1 for _, level, _ in moves if level >= 0)
    report.resolved = len(done)
    report.messages = len(announce) + len(resolved)
    report.chats = set(announce) | set(resolved)
    return report

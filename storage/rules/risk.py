"""Risk areas (*rawan*): desk labels, the rule each label tightens duty with, and the tightest
duty of a desk that carries several.

A label is a short lowercase word (``perbatasan``, ``banjir``, ``konflik``, ``psu``, or any
other an operator chooses). A :class:`RiskRule` may shorten the grace before an alert opens,
raise the staff a duty window needs, and shorten the escalation steps. The rules are passed in
as data (the bot reads them from ``POSKO_RISK_RULES``); nothing here reads the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

LABEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MAX_LABELS = 10  # per desk: more would not be a risk area any more, but a description
NONE = "-"  # a cell that removes every label of a desk
_SEPARATORS = re.compile(r"[;,]")


def normalise_label(text: str) -> str:
    """``" Perbatasan "`` → ``"perbatasan"``; ValueError for anything but 1-32 letters a-z,
    digits, ``_`` and ``-`` (starting with a letter or digit)."""
    label = text.strip().lower()
    if not LABEL.match(label):
        raise ValueError(f"risk label {text.strip()[:40]!r} must be 1-32 letters a-z, digits, "
                         "'_' or '-'")
    return label


def parse_labels(cell: str) -> tuple[str, ...]:
    """The labels of one CSV cell, separated by ``;`` or ``,``, sorted and without repeats;
    ``-`` is no label at all. ValueError says what is wrong."""
    text = cell.strip()
    if text == NONE:
        return ()
    labels = sorted({normalise_label(part) for part in _SEPARATORS.split(text) if part.strip()})
    if not labels:
        raise ValueError("no risk label given (use '-' for none)")
    if len(labels) > MAX_LABELS:
        raise ValueError(f"{len(labels)} risk labels; at most {MAX_LABELS} per desk")
    return tuple(labels)


@dataclass(frozen=True, slots=True)
class RiskRule:
    """How one label tightens duty; None leaves that part to the installation's setting."""

    grace: timedelta | None = None
    min_staff: int | None = None
    steps: tuple[timedelta, ...] | None = None


@dataclass(frozen=True, slots=True)
class Duty:
    """The duty a desk is held to: the grace before an alert, the least staff every window
    needs (0: the window's own ``min_staff``), and the escalation steps."""

    grace: timedelta
    steps: tuple[timedelta, ...]
    min_staff: int = 0


def tightest(base: Duty, rules: Mapping[str, RiskRule], labels: Iterable[str]) -> Duty:
    """The duty of a desk with ``labels``: of the base and every label's rule, the smallest
    grace, the largest ``min_staff``, and each escalation step the smaller (a rule with more
    steps adds the ones beyond the others). A label without a rule changes nothing, so a
    label only ever tightens."""
    grace, staff, steps = base.grace, base.min_staff, list(base.steps)
    for label in labels:
        rule = rules.get(label)
        if rule is None:
            continue
        if rule.grace is not None:
            grace = min(grace, rule.grace)
        if rule.min_staff is not None:
            staff = max(staff, rule.min_staff)
        if rule.steps is not None:
            steps = [min(pair) for pair in zip(steps, rule.steps, strict=False)] + \
                [*steps[len(rule.steps):], *rule.steps[len(steps):]]
    return Duty(grace, tuple(steps), staff)


DEFAULT_RULES = "perbatasan:grace=5m,steps=5m/10m;psu:grace=5m,steps=5m/10m"
_KEYS = ("grace", "min_staff", "steps")


def parse_rules(text: str, duration: Callable[[str], timedelta]) -> dict[str, RiskRule]:
    """``"perbatasan:grace=5m,steps=5m/10m;banjir:min_staff=3"`` → a rule per label.

    Rules are separated by ``;``; each is ``label:key=value,...`` with the keys ``grace`` (a
    duration), ``min_staff`` (a whole number 1-1000) and ``steps`` (durations separated by
    ``/``). ``duration`` parses one duration (the settings' own parser). An empty text is no
    rule at all. ValueError names the rule and what is wrong with it.
    """
    rules: dict[str, RiskRule] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, colon, body = part.partition(":")
        try:
            label = normalise_label(name)
        except ValueError as exc:
            raise ValueError(f"'{part[:60]}': {exc}") from None
        if not colon or not body.strip():
            raise ValueError(f"'{part[:60]}' must be label:key=value (keys: {', '.join(_KEYS)})")
        if label in rules:
            raise ValueError(f"label {label} has two rules")
        rules[label] = _rule(label, body, duration)
    return rules


def _rule(label: str, body: str, duration: Callable[[str], timedelta]) -> RiskRule:
    values: dict[str, str] = {}
    for item in (i.strip() for i in body.split(",")):
        key, equals, value = (s.strip() for s in item.partition("="))
        if key not in _KEYS or not equals or not value:
            raise ValueError(f"{label}: '{item[:40]}' is not key=value with a key of "
                             f"{', '.join(_KEYS)}")
        if key in values:
            raise ValueError(f"{label}: {key} is given twice")
        values[key] = value
    try:
        grace = duration(values["grace"]) if "grace" in values else None
        steps = (tuple(duration(s) for s in values["steps"].split("/"))
                 if "steps" in values else None)
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None
    if grace is not None and grace <= timedelta(0):
        raise ValueError(f"{label}: grace must be longer than zero")
    if steps is not None and any(step <= timedelta(0) for step in steps):
        raise ValueError(f"{label}: every step must be longer than zero")
    staff = values.get("min_staff")
    if staff is not None and (not staff.isdigit() or not 1 <= int(staff) <= 1000):
        raise ValueError(f"{label}: min_staff {staff!r} must be a whole number 1-1000")
    return RiskRule(grace, int(staff) if staff is not None else None, steps)

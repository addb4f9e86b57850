"""Risk areas as pure rules: labels, the POSKO_RISK_RULES syntax, and the tightest duty."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.config import ConfigError, load_settings, parse_duration
from storage.rules.duty import Schedule
from storage.rules.risk import Duty, RiskRule, normalise_label, parse_labels, parse_rules, tightest

M = timedelta(minutes=1)
BASE = Duty(15 * M, (15 * M, 30 * M))


def test_labels_are_normalised_sorted_and_deduplicated() -> None:
    assert parse_labels(" Perbatasan ; PSU,banjir;psu ") == ("banjir", "perbatasan", "psu")
    assert parse_labels("-") == ()
    assert normalise_label("rawan_2-b") == "rawan_2-b"


@pytest.mark.parametrize(("cell", "says"), [
    ("daerah rawan", "'daerah rawan' must be 1-32 letters"),
    ("banjir;<b>", "'<b>' must be"),
    ("x" * 33, "must be 1-32"),
    (";;", "no risk label given"),
    (";".join(f"l{i}" for i in range(11)), "11 risk labels; at most 10"),
    ("_x", "must be 1-32"),
])
def test_bad_labels_say_why(cell: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_labels(cell)
    assert says in str(caught.value)


def test_rules_syntax() -> None:
    rules = parse_rules(" Perbatasan:grace=5m, steps=5m/10m ; banjir:min_staff=3;", parse_duration)
    assert rules == {"perbatasan": RiskRule(5 * M, None, (5 * M, 10 * M)),
                     "banjir": RiskRule(None, 3, None)}
    assert parse_rules("", parse_duration) == {}


def test_default_rules_tighten_border_and_revote_desks() -> None:
    settings = load_settings(_env_file=None)
    assert settings.risk_rules["perbatasan"] == RiskRule(5 * M, None, (5 * M, 10 * M))
    assert settings.risk_rules["psu"] == RiskRule(5 * M, None, (5 * M, 10 * M))
    assert "banjir" not in settings.risk_rules


@pytest.mark.parametrize(("value", "says"), [
    ("perbatasan", "POSKO_RISK_RULES: 'perbatasan' must be label:key=value"),
    ("perbatasan:grace=soon", "POSKO_RISK_RULES: perbatasan: 'soon' is not a duration"),
    ("perbatasan:grace=0", "perbatasan: grace must be longer than zero"),
    ("banjir:min_staff=0", "banjir: min_staff '0' must be a whole number 1-1000"),
    ("banjir:min_staff=dua", "min_staff 'dua' must be"),
    ("banjir:staff=2", "banjir: 'staff=2' is not key=value"),
    ("banjir:min_staff=2,min_staff=3", "banjir: min_staff is given twice"),
    ("banjir:min_staff=2;banjir:grace=5m", "label banjir has two rules"),
    ("psu:steps=5m/", "psu: '' is not a duration"),
    ("psu:steps=5m/0", "psu: every step must be longer than zero"),
    ("daerah rawan:grace=5m", "risk label 'daerah rawan' must be"),
])
def test_bad_settings_stop_start_up_with_one_line(value: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, POSKO_RISK_RULES=value)
    message = str(caught.value)
    assert message.startswith("POSKO_RISK_RULES: ") and says in message
    assert "\n" not in message


def test_tightest_wins_over_several_labels() -> None:
    rules = {"perbatasan": RiskRule(5 * M, None, (5 * M, 10 * M)),
             "banjir": RiskRule(10 * M, 3, (20 * M, 20 * M, 20 * M)),
             "konflik": RiskRule(None, 2, None)}
    duty = tightest(BASE, rules, ("banjir", "konflik", "perbatasan"))
    # the smallest grace, the largest staff, each step the smaller; banjir's third step added
    assert duty == Duty(5 * M, (5 * M, 10 * M, 20 * M), 3)
    assert tightest(BASE, rules, ("konflik",)) == Duty(15 * M, (15 * M, 30 * M), 2)


def test_a_label_never_loosens_and_unknown_labels_change_nothing() -> None:
    rules = {"aman": RiskRule(60 * M, 1, (60 * M,))}
    assert tightest(BASE, rules, ("aman",)) == Duty(15 * M, (15 * M, 30 * M), 1)
    assert tightest(BASE, rules, ("tidak-dikenal",)) == BASE
    assert tightest(BASE, rules, ()) == BASE


def test_staff_floor_raises_every_window_but_never_lowers() -> None:
    monday = date(2026, 11, 23)
    plain = Schedule("08:00-14:00", 1, (("2026-11-23", "06:00-22:00", 4),))
    raised = Schedule("08:00-14:00", 1, (("2026-11-23", "06:00-22:00", 4),), floor=3)
    assert plain.day(monday)[1] == 4 and raised.day(monday)[1] == 4  # the rule needs more
    assert raised.day(monday + timedelta(days=1))[1] == 3  # the daily hours: raised to 3
    assert plain.day(monday + timedelta(days=1))[1] == 1

"""Button kinds: packed and parsed in one place, forged data refused, the wire format kept."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    KINDS,
    AlertAck,
    AlertsPage,
    BoardPage,
    CallbackData,
    Checkout,
    DeskView,
    InviteDesk,
    InviteRevoke,
    InviteRole,
    InvitesPage,
    Language,
    MemberAction,
    MembersPage,
    PledgeAgree,
    Registration,
    ReportFinish,
    ReportHandOff,
    ReportHandTo,
    ReportsPage,
    ReportStep,
    ReportTake,
    StillHere,
    TpsMove,
)

# Buttons already sitting in chats when the bot is upgraded must keep working: these are the
# exact strings earlier versions sent.
WIRE = [
    (AlertAck(17), "ack:17"),
    (DeskView(3), "desk:3"),
    (StillHere(42), "pc:42"),
    (ReportTake(9), "inc:t:9"),
    (ReportFinish(9), "inc:f:9"),
    (ReportsPage(2), "incp:2"),
    (BoardPage(0, 3), "rk:0:3"),
    (AlertsPage(2), "alp:2"),
    (InviteDesk(77, 5), "ivd:77:5"),
    (Checkout(4, "y"), "co:4:y"),
    (Checkout(4, "n"), "co:4:n"),
    (InviteRole(12, "s", 5), "inv:12:s:5"),
    (Registration("Q2xhYmM-_x"), "reg:Q2xhYmM-_x"),
    (Registration(Registration.DECLINE), "reg:-"),
    (Language("en"), "lang:en"),
    (PledgeAgree("0123456789abcdef"), "pk:0123456789abcdef"),
    (ReportStep(5, "cancel"), "lp:5:cancel"),
    (ReportStep(5, "cat", "politik_uang"), "lp:5:cat:politik_uang"),
    (InvitesPage(1), "ivp:1"),
    (InviteRevoke(33, "ask"), "ivr:33:ask"),
    (InviteRevoke(33, "yes"), "ivr:33:yes"),
    (MembersPage(2), "mbp:2"),
    (MemberAction(7_012_345_678, "v", 0), "mb:7012345678:v:0"),
    (MemberAction(7_012_345_678, "to", 4471), "mb:7012345678:to:4471"),
    (MemberAction(7_012_345_678, "ry", 0), "mb:7012345678:ry:0"),
    (ReportHandOff(31), "inc:h:31"),
    (ReportHandTo(31, "satpol_pp"), "inc:a:31:satpol_pp"),
    (TpsMove(31), "tpm:31"),
    (TpsMove(31, "genangan"), "tpm:31:genangan"),
    (InviteRole(4471, "m", 1, "bawaslu"), "inv:4471:m:1:bawaslu"),
]


@pytest.mark.parametrize(("button", "data"), WIRE, ids=[d for _, d in WIRE])
def test_wire_format_is_kept(button: CallbackData, data: str) -> None:
    assert button.pack() == data
    assert type(button).parse(data) == button


def test_every_kind_is_in_the_wire_table() -> None:
    assert {type(b) for b, _ in WIRE} == set(KINDS)


def test_prefixes_never_overlap() -> None:
    """A press must match exactly one kind: no kind's ``prefix:`` starts another's."""
    heads = [kind.PREFIX + ":" for kind in KINDS]
    assert len(set(heads)) == len(heads)
    for a in heads:
        for b in heads:
            assert a == b or not b.startswith(a), (a, b)


@pytest.mark.parametrize("data", [
    None, "", "ack", "ack:", "ack:x", "ack:-1", "ack:1.5", "ack:²", "ack:٣", "ack:" + "9" * 12,
    "ack:1:2", "ACK:1", " ack:1", "desk:1:", "co:4", "co:4:maybe", "co:4:y:1", "inv:1:a:1",
    "inv:1:o", "lp:5", "lp:5:explode", "lp:x:send", "lp:5:cat:kamtib:extra", "rk:1", "rk:1:²",
    "reg:", "lang:", "lang:" + "x" * 65, "inc:t:", "inc:x:1", "incp:-1",
])
def test_forged_data_is_refused(data: str | None) -> None:
    """Nothing that does not fit a kind parses as it; handlers read None as a stale button."""
    assert all(kind.parse(data) is None for kind in KINDS), data


@given(st.text(max_size=80))
def test_arbitrary_text_parses_only_to_a_button_that_packs_back(data: str) -> None:
    for kind in KINDS:
        button = kind.parse(data)
        if button is not None:
            assert button.pack() == data
            assert len(data.encode()) <= 64


@given(st.integers(min_value=0, max_value=10**11 - 1), st.integers(0, 999))
def test_ids_round_trip(a: int, b: int) -> None:
    for button in (AlertAck(a), BoardPage(a, b), InviteRole(a, "o", b), ReportStep(a, "skip")):
        assert type(button).parse(button.pack()) == button


def test_pack_refuses_data_over_telegrams_limit() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Registration("x" * 64).pack()


def test_patterns_select_exactly_their_kind() -> None:
    for button, data in WIRE:
        matching = [k for k in KINDS if re.match(k.pattern(), data)]
        assert matching == [type(button)], data


def test_every_field_has_a_reader() -> None:
    """A field of an unsupported type would fail at the first press; fail here instead."""
    for kind in KINDS:
        assert len(kind._fields()) == len(fields(kind))

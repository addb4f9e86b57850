"""``/undang``: invites into the supervisor's own scope only."""

from __future__ import annotations

import re

from storage import invites as invites_store
from storage.invites import InviteState
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID

CAMAT = "31.73.01"  # Kec. Cengkareng
IN_SCOPE = "31.73.01.1002"
OTHER_KEC = "31.71.01.1001"  # Jakarta Pusat


async def test_supervisor_invites_within_scope(harness: Harness) -> None:
    await harness.member(601, CAMAT, Role.SUPERVISOR)
    camat = u.user(601)
    (choose,) = await harness.send(u.text(camat, f"/undang {IN_SCOPE} 3"))
    assert "Pilih peran" in choose.text
    buttons = dict(choose.buttons())
    data = buttons["Petugas"]
    assert data.startswith("inv:") and data.endswith(":o:3") and len(data.encode()) <= 64
    calls = await harness.send(u.callback(camat, data))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    link = re.search(r"https://t\.me/posko_test_bot\?start=([\w-]+)", calls[1].text)
    assert link, calls[1].text
    assert "untuk 3 orang" in calls[1].text
    found = await invites_store.lookup(harness.db, link[1], utcnow())
    assert found.state is InviteState.VALID and found.invite is not None
    assert found.invite.role is Role.OFFICER and found.invite.max_uses == 3
    assert found.desk is not None and found.desk.code == IN_SCOPE


async def test_own_desk_by_default_and_scope_enforced(harness: Harness) -> None:
    await harness.member(602, CAMAT, Role.SUPERVISOR)
    camat = u.user(602)
    (choose,) = await harness.send(u.text(camat, "/invite"))
    desks = choose.buttons()
    assert desks[0][0] == "Cengkareng (31.73.01)" and len(desks) == 7  # own desk, 6 below
    assert all(data.startswith("ivd:") and data.endswith(":1") for _, data in desks)
    calls = await harness.send(u.callback(camat, desks[1][1]))
    assert "Pilih peran" in calls[-1].text and "untuk 1 orang" in calls[-1].text
    # By name, in any case: one match goes straight to the role, several are offered.
    (kapuk,) = await harness.send(u.text(camat, "/undang kapuk 5"))
    assert kapuk.text.startswith("Undangan untuk <b>Kapuk</b> (31.73.01.1005), untuk 5 orang")
    (several,) = await harness.send(u.text(camat, "/undang Cengkareng"))
    assert several.text.startswith('Beberapa posko cocok dengan "Cengkareng"')
    assert next(text for text, _ in several.buttons()) == "Cengkareng (31.73.01)"
    (none,) = await harness.send(u.text(camat, "/undang Gambir"))  # not in this scope
    assert "Tidak ada posko bernama atau berkode \"Gambir\" di wilayah Anda" in none.text
    (usage,) = await harness.send(u.text(camat, "/undang 31.73.01.1005 0"))
    assert "[jumlah orang]" in usage.text and "1–500" in usage.text
    (refused,) = await harness.send(u.text(camat, f"/undang {OTHER_KEC}"))
    assert "tidak berada dalam wilayah Anda" in refused.text
    (refused,) = await harness.send(u.text(camat, "/undang 31.73"))  # the parent kota
    assert "tidak berada dalam wilayah Anda" in refused.text
    (unknown,) = await harness.send(u.text(camat, "/undang 99.99"))
    assert "Tidak ada posko bernama atau berkode" in unknown.text
    # A forged button for a desk outside the scope creates nothing.
    from storage import desks as desks_store

    other = await desks_store.by_code(harness.db, OTHER_KEC)
    assert other is not None
    calls = await harness.send(u.callback(camat, f"inv:{other.id}:s:1"))
    assert calls[-1].method == "answerCallbackQuery" and "wilayah" in calls[-1].text
    assert await harness.db.fetchval("SELECT count(*) FROM invites") == 1  # harness' own


async def test_officers_cannot_invite_and_admins_can_anywhere(harness: Harness) -> None:
    await harness.member(603, IN_SCOPE, Role.OFFICER)
    (call,) = await harness.send(u.text(u.user(603), "/undang"))
    assert "untuk pengawas" in call.text
    admin = u.user(ADMIN_ID)
    (call,) = await harness.send(u.text(admin, "/undang"))
    assert "Cara pakai: /undang" in call.text  # an admin has no desk of their own
    (call,) = await harness.send(u.text(admin, f"/undang {OTHER_KEC}"))
    assert "Pilih peran" in call.text

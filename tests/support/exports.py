"""The day the export tests export: Monday 23 November 2026 in Kec. Cengkareng (shifts, an
alert taken and resolved, a report closed) and one kelurahan of Jakarta Pusat, with the
sheets and headers the export is expected to have."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.sweep import sweep
from storage import alerts as alerts_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage.drafts import Step
from storage.models import Role
from storage.sqlite.engine import Database
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    alert_row,
    check_in,
    check_out,
    desk,
    only_these_need_staff,
    register,
    wib,
)

KEL2 = "31.73.01.1002"  # Kel. Duri Kosambi, same kecamatan
OTHER = "31.71.01.1001"  # Kel. Gambir, Jakarta Pusat
LURAH, CAMAT, OFFICER, OFFICER2, OFFICER3 = 101, 102, 201, 202, 203
SHIFT_HEADERS = ["Kode posko", "Nama posko", "Petugas", "Mulai (WIB)", "Selesai (WIB)",
                 "Durasi (menit)", "Alasan selesai", "Jarak ke posko (m)"]
ALERT_HEADERS = ["Kode posko", "Nama posko", "Kosong sejak (WIB)", "Peringatan dibuka (WIB)",
                 "Diteruskan sampai tingkat", "Ditangani oleh", "Ditangani pada (WIB)",
                 "Menit sampai ditangani", "Selesai (WIB)", "Penyelesaian", "Menit kosong",
                 "Rawan"]
INCIDENT_HEADERS = ["Nomor laporan", "Kode posko", "Nama posko", "Kategori", "Tingkat kegawatan",
                    "Status", "Pelapor", "Ditangani oleh", "Dibuat (WIB)", "Uraian",
                    "Ditutup (WIB)", "Catatan penutup", "TPS", "Rawan"]
SHEETS = ["Kehadiran", "Peringatan", "Laporan"]


def local(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """A naive Jakarta wall-clock time, as the spreadsheet holds it."""
    return datetime(2026, 11, day, hour, minute)


async def report(db: Database, member: int, code: str, at: datetime, category: str) -> int:
    """A submitted report, made through the real draft and submit path."""
    target = await desk(db, code)
    draft = await drafts_store.start_draft(db, member, target.id, at)
    draft = await drafts_store.update_draft(
        db, draft.id, member, Step.CONFIRM, at, category=category, severity="tinggi",
        description="Pembagian amplop di dekat TPS oleh tim sukses.", tps="012")
    assert draft is not None
    _, incident = await incidents_store.submit(db, draft.id, member, [], at)
    assert incident is not None
    return incident.id


async def seed(db: Database) -> None:
    """Monday 23 Nov 2026 in Kec. Cengkareng (and one kelurahan of Jakarta Pusat).

    KEL: a shift 07:55-10:12, empty (alert 10:27, taken by the camat 10:40), staffed again at
    11:00 (resolved 11:01); KEL2: a shift from 09:00; OTHER: a shift 07:50-12:00 and an alert
    from 12:15 still open. One report at KEL (closed by the camat), one at OTHER. Plus a shift
    on Sunday the 22nd.
    """
    await only_these_need_staff(db, KEL, OTHER)
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    await register(db, CAMAT, KEC, Role.SUPERVISOR)
    for member, code in ((OFFICER, KEL), (OFFICER2, OTHER), (OFFICER3, KEL2)):
        await register(db, member, code, Role.OFFICER)
    await check_out(db, await check_in(db, OFFICER, KEL, wib(9, day=22)), wib(10, day=22))
    other_shift = await check_in(db, OFFICER2, OTHER, wib(7, 50))
    first = await check_in(db, OFFICER, KEL, wib(7, 55))
    await check_in(db, OFFICER3, KEL2, wib(9))
    incident = await report(db, OFFICER, KEL, wib(9, 30), "politik_uang")
    await report(db, OFFICER2, OTHER, wib(10), "logistik")
    await check_out(db, first, wib(10, 12))
    assert (await sweep(db, wib(10, 27), CONFIG)).opened == 1
    alert = await alert_row(db, KEL)
    await alerts_store.acknowledge(db, alert["id"], CAMAT, wib(10, 40))
    await check_in(db, OFFICER, KEL, wib(11))
    assert (await sweep(db, wib(11, 1), CONFIG)).resolved == 1
    await incidents_store.take(db, incident, CAMAT, wib(11, 5))
    await incidents_store.ask_closing_note(db, incident, CAMAT, wib(11, 20))
    await incidents_store.close(db, CAMAT, "Sudah diperingatkan Panwascam.", wib(11, 20))
    await check_out(db, other_shift, wib(12))
    assert (await sweep(db, wib(12, 15), CONFIG)).opened == 1


def rows(book: Any, title: str) -> list[list[Any]]:
    return [list(r) for r in book[title].iter_rows(values_only=True)]

"""Texts of the /rekap board (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
}

EN: dict[str, str] = {
}

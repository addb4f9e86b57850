"""Texts of the daily digest (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
}

EN: dict[str, str] = {
}

"""Texts of /ekspor and its XLSX (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
}

EN: dict[str, str] = {
}

"""Files the bot makes for people: the digest chart (PNG) and the export workbook (XLSX/CSV)."""

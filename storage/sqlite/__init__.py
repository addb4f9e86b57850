"""The SQLite engine (``engine``: connections, the grouped write path, reads, scans, backup)
and the schema as ordered migrations (``schema``)."""

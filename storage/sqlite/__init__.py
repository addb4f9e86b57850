"""The SQLite engine (``engine``: connections, the grouped write path, reads, scans, backup;
``statements``: what runs inside a write transaction) and the schema as ordered migrations
(``schema``)."""

"""Code the tests and benchmarks share: the two fake Telegrams (the stand-in Bot API server and
the in-process recording request) with their common vocabulary, update builders, the
in-process harness, settings and desk data, and the subprocess and sweep helpers."""

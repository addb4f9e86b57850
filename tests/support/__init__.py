"""Code the tests and benchmarks share: the two fake Telegrams (the stand-in Bot API server and
the in-process recording request) with their common vocabulary, update builders, the
in-process harness, settings and desk data, and the subprocess and sweep helpers; and the
helpers of one subject that test modules use instead of importing each other (reports,
exports, shifts, desk files, the hostile-input cases, strategies and checks)."""

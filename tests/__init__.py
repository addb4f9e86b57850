"""The test suite, by layer: unit, storage, scheduler, handlers and end to end."""

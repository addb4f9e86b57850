"""Incident reports through the real Application: the /lapor flow, where a report goes, and
following it up."""

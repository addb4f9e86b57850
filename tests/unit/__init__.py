"""Pure functions (config, duty windows, geofence, log redaction, texts) and the stand-in server."""

"""The store on real SQLite files: reads, grouped commits, import, invites, shifts, incidents."""

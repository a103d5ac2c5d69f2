"""Following a search over months: saved searches, e-mail digests (alerts)
and Atom feeds of searches."""

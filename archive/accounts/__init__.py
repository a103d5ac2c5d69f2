"""Journalists' accounts beyond Django's own sign-in and password reset:
sign-up with e-mail confirmation, when the site allows it (closed by default)."""

"""Accounts: login throttling, session lifetime and tracking, two-factor authentication.

Kept inside `peacekeeping/` because it is platform machinery every app relies on; its
one model (`UserSession`) is registered through `peacekeeping/models.py`.
"""

"""Completion tracking rules in plain Python: statuses, due dates, what is due, per-unit statistics.

No Qt and no SQLAlchemy: these take and return domain objects, so storage, the CLI, the UI and the
tests all use them the same way.
"""

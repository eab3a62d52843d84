"""Storage: the ledger file, its schema and migrations, and the service API (``ledger.Ledger``).

Nothing here is imported at package import time, so ``import desktop.storage`` stays free; the
SQLAlchemy-backed code is loaded when a ``Ledger`` first needs it (``quickread`` answers the
start-up reads of an up-to-date file without it).
"""

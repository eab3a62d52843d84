"""Tests of desktop.storage: the ledger file, its migrations and the service API."""

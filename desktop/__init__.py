"""NoticeDesk (要点台账): an offline ledger for the tasks of government notices."""

__version__ = "0.1.0"

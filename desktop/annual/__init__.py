"""政府信息公开工作年度报告 (2021 format, 国办公开办函〔2021〕30号): data, checks, drafting, JSON, CLI hook.

Plain Python, no Qt and no SQLAlchemy: ``labels`` (the official form: sections and the rows and columns of
tables 二/三/四, by key and label), ``model`` (the report of a year ↔ JSON, with computed totals), ``grids`` (the official table layouts with their merged headers, shared by the documents and the
window), ``checks`` (勾稽关系 and the other live checks), ``drafting`` (text from the ledger's notices, a
year from last year's report), ``store`` (report JSON: the file the clerk chooses, and the checked reader
for the JSON the ledger keeps — the reports live in the ledger, table ``annual_report``, through
``desktop.storage.annual_reports``) and ``cli`` (the ``annual-report`` command, on the ledger). The
structure follows ../shared/docs/annual-report.md.
"""

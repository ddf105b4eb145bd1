"""Exports of the lists (CSV, XLSX, JSON), the PDF case file, and the resolution 2589
indicators as of any date.

models.py (ExportJob: one row per export, streamed or built in the background),
querysets.py (whose jobs a user sees), datasets.py (the rows of each kind: scope,
filters, masking), writers.py (CSV, XLSX and JSON in constant memory; formula
neutralisation; COPY on PostgreSQL), indicators.py (the Secretary-General's figures as
of a date), case_file.py (the PDF), services.py (run now, queue, build, sweep, purge),
tasks.py (Celery), views.py and urls.py (pages), api.py (the API).
README, "Exports and statistics".
"""

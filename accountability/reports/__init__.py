"""Each host State's follow-up report on impunity cases (resolution 2589).

models.py (the report row and its files), periods.py (month and quarter periods),
content.py (the canonical content, a pure function of the data), labels.py and render.py
(HTML, PDF and XLSX in the State's working language), services.py (request, build, sweep,
schedule, digest), selectors.py (reads), views.py and urls.py (a small page).
tasks.py (Celery), api.py (the API), management/commands/build_followup_reports.py.
"""

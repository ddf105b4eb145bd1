"""The report's PDF, typeset by Typst (PyPI `typst`, the compiler as a Python module).

Why not WeasyPrint: it lays out 15-25 ms a table row, so Mali's 10,000-case benchmark
report took 169 s, 58 times its workbook. Measured here on the same 2,000-row table:
Typst 2.6 s, WeasyPrint 16.1 s. The Typst template (templates/accountability/reports/
followup_report.typ) reads the report's view as JSON from `sys.inputs`, so no user text is
ever parsed as Typst markup. The HTML page is still rendered by the Django template.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

TEMPLATE = Path("templates") / "accountability" / "reports" / "followup_report.typ"
# The content's raw per-case lists, which the view has already turned into printed lines:
# left out of the JSON handed to Typst (a third of its size on a 10,000-case report).
RAW_CASE_KEYS = frozenset(
    {"suspect_history", "victims", "follow_ups", "places", "un_requests", "impunity_reasons"}
)


@cache
def _template_source() -> bytes:
    return (Path(settings.BASE_DIR) / TEMPLATE).read_bytes()


def typeset(view: dict, *, content_sha256: str) -> bytes:
    """The PDF of the report's view (report_view), with its content hash printed."""
    import typst

    cases = [{k: v for k, v in case.items() if k not in RAW_CASE_KEYS} for case in view["cases"]]
    data = json.dumps(
        {**view, "cases": cases, "content_sha256": content_sha256}, ensure_ascii=False
    )
    return typst.compile(_template_source(), sys_inputs={"view": data})

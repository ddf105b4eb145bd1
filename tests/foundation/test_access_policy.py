"""The access policy is whole in missions/scope.py (who may request, see, download or
acknowledge a report, who is told, personnel, capacity support) and missions/masking.py
(who sees names, from the same scope). Other modules ask them; none reads a user's
memberships by role on its own."""

import ast
import re
from pathlib import Path

import pytest

from missions import scope

ROOT = Path(__file__).resolve().parents[2]
APPS_ABOVE_MISSIONS = ("incidents", "accountability")
# Grants read by role outside the policy: a membership filtered by role, or a scope's
# role looked at. The membership service and the demo data write grants; the dashboard
# picks a desk.
ROLE_READ = re.compile(r"Membership\.objects\.filter\([^)]*\brole=|\.role\(Role\.")
ROLE_READ_ALLOWED = {
    "missions/scope.py",
    "missions/masking.py",
    "missions/services.py",
    "accountability/dashboard.py",
}


def _sources(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize(
    "module, names",
    [
        (
            "accountability.reports.selectors",
            [
                "can_request_followup_report",
                "can_download_followup_report",
                "can_acknowledge_followup_report",
            ],
        ),
        ("accountability.reports.querysets", ["report_mission_ids"]),
    ],
)
def test_the_report_capabilities_are_the_policy_s_own(module, names):
    import importlib

    imported = importlib.import_module(module)
    for name in names:
        assert getattr(imported, name) is getattr(scope, name)
        assert getattr(scope, name).__module__ == "missions.scope"


def test_no_module_outside_the_policy_reads_grants_by_role():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _sources("accountability", "incidents", "missions", "peacekeeping")
        if str(path.relative_to(ROOT)) not in ROLE_READ_ALLOWED and "demo" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ROLE_READ.search(line)
    ]

    assert offenders == []


def test_the_lowest_app_imports_no_module_of_the_apps_above_at_module_level():
    offenders = []
    for path in _sources("missions"):
        for node in ast.parse(path.read_text()).body:  # module level only
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offenders += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in APPS_ABOVE_MISSIONS
            ]

    assert offenders == []

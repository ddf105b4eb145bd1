"""No module over 600 lines (migrations excepted): past that, a module becomes a package
or loses a part to a module of its own (docs/developers/architecture.md)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("peacekeeping", "missions", "incidents", "accountability", "bench", "tests")
LIMIT = 600


def test_no_module_is_over_600_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }

    assert too_long == {}

"""`make test` is the whole suite in one pytest process; `make test-fast` leaves out the
tests marked worker, browser and slow (docs/developers/testing.md)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def recipe(target: str) -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert block, f"no {target} target"
    return [line.strip() for line in block.group(1).splitlines()]


def collected(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 5), result.stdout + result.stderr
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


def test_make_test_runs_the_whole_suite_in_one_pytest_process():
    lines = recipe("pytest")

    assert len([line for line in lines if "bin/pytest" in line]) == 1
    assert not any("--ignore" in line or " -m " in line for line in lines)


def test_the_fast_lane_leaves_out_the_worker_browser_and_slow_tests():
    fast = re.search(r"^FAST := (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    modules = [
        "tests/reports/test_worker.py",
        "tests/reports/test_periods.py",
        "tests/browser/test_analyst.py",
        "tests/reliability/test_form_fuzzing.py",
    ]

    everything = collected(*modules)
    kept = collected("-m", fast.group(1), *modules)

    assert everything == set(modules)
    assert kept == {"tests/reports/test_periods.py"}
    assert "$(FAST)" in " ".join(recipe("pytest-fast"))

"""The web workers' entry point tunes the garbage collector once the app is loaded
(peacekeeping/gc_tuning.py): start-up objects frozen, young collections less often."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_entry_point_freezes_start_up_objects_and_raises_the_young_threshold():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, peacekeeping.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    young, frozen = int(out[-2]), int(out[-1])
    assert young == 20_000
    assert frozen > 10_000  # Django, the apps and their modules, out of the collector's way

"""Make the desks' screenshots of the user documentation (docs/users/img/desk-*.png).

    .venv/bin/python docs/tooling/desk_screenshots.py

Runs the desks' browser journeys (tests/browser/test_desks.py: the permission personas'
world, Playwright on Debian's Chromium) with DESK_SCREENSHOTS pointing at a scratch
folder, so the pictures are of pages the tests have just checked (content, French,
axe-core clean). Each PNG is then reduced to a palette (pngquant when installed, else
Pillow) and must stay under MAX_BYTES. The test database is the one pytest makes from
DATABASE_URL (SQLite without it); nothing else is touched.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "users" / "img"
MAX_BYTES = 80 * 1024


def shrink(path: Path) -> None:
    """Reduce the PNG to a palette; pngquant if installed, else Pillow."""
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--quality=60-90", "--strip"]
            + ["--output", str(path), str(path)],
            check=False,
            timeout=60,
        )
        return
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=32, method=Image.Quantize.MEDIANCUT)
        reduced.save(path, optimize=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pk-desks-") as scratch:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            + ["tests/browser/test_desks.py"],
            cwd=ROOT,
            env={**os.environ, "DESK_SCREENSHOTS": scratch},
            check=False,
            timeout=1800,
        )
        if result.returncode != 0:
            raise SystemExit("The desks' journeys failed: no screenshot was replaced.")
        shots = sorted(Path(scratch).glob("*.png"))
        if not shots:
            raise SystemExit("No screenshot was taken (is Chromium installed?).")
        OUT.mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shrink(shot)
            size = shot.stat().st_size
            if size > MAX_BYTES:
                raise SystemExit(f"{shot.name} is {size // 1024} KB, over {MAX_BYTES // 1024} KB")
            target = OUT / shot.name
            shutil.copyfile(shot, target)
            sys.stdout.write(f"{target.relative_to(ROOT)}: {size // 1024} KB\n")


if __name__ == "__main__":
    main()

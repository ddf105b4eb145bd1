"""Make the README's screenshots (docs/screenshots/*.png) from the demo data.

    .venv/bin/python docs/make_screenshots.py

A throwaway SQLite database is migrated and seeded with `seed_demo`, a development
server is started on it, and Debian's Chromium (through Playwright) logs in as the demo
accounts and captures the main pages, 1000 px wide. The PNGs are reduced to a palette
(pngquant when installed, else Pillow) so that each stays well under 80 KB. Nothing of
the developer's own database or media is touched.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1000, 720
PASSWORD = "peacekeeping-demo"
MAX_BYTES = 80 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.stdout


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}.")


def _optimise(path: Path) -> None:
    """Reduce the PNG to a palette; pngquant if installed, else Pillow."""
    if shutil.which("pngquant"):
        subprocess.run(
            [
                "pngquant",
                "--force",
                "--skip-if-larger",
                "--quality=60-90",
                "--strip",
                "--output",
                str(path),
                str(path),
            ],
            check=False,
            timeout=60,
        )
    else:
        from PIL import Image

        with Image.open(path) as image:
            reduced = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
            reduced.save(path, optimize=True)


def _case_with_a_procedure(env: dict) -> str:
    """The reference of a MINUSCA case whose suspects have gone furthest."""
    code = (
        "from accountability.models import Case\n"
        "case = (Case.objects.filter(mission__acronym='MINUSCA', suspects__isnull=False)"
        ".order_by('-suspects__steps__occurred_on').first())\n"
        "print(case.reference)"
    )
    return _manage(env, "shell", "-c", code).strip().splitlines()[-1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pk-screenshots-") as scratch:
        env = {
            **os.environ,
            "DEBUG": "true",
            "SQLITE_PATH": str(Path(scratch) / "demo.sqlite3"),
            "MEDIA_ROOT": str(Path(scratch) / "media"),
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
        }
        _manage(env, "migrate", "--no-input")
        _manage(env, "seed_demo")
        _manage(env, "compile_translations")
        case = _case_with_a_procedure(env)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"{base}/healthz/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                )
                shots = _shoot(browser, base, case)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for path in shots:
        _optimise(path)
        size = path.stat().st_size
        sys.stdout.write(f"{path.relative_to(ROOT)}: {size // 1024} KB\n")
        if size > MAX_BYTES:
            raise SystemExit(f"{path.name} is over {MAX_BYTES // 1024} KB")


def _shoot(browser, base: str, case: str) -> list[Path]:
    shots: list[Path] = []

    def session(username: str | None, language: str = "en"):
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, locale="en-GB", device_scale_factor=1
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        if username:
            page.goto(f"{base}/accounts/login/")
            page.locator("#id_username").fill(username)
            page.locator("#id_password").fill(PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
        return context, page

    def shoot(page, name: str, path: str, ready: str | None = None) -> None:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        if ready:
            page.wait_for_selector(ready, state="attached")
        target = OUT / f"{name}.png"
        page.screenshot(path=str(target))
        shots.append(target)

    context, page = session(None)
    shoot(page, "login", "/accounts/login/")
    context.close()

    context, page = session("demo-staff")
    shoot(page, "dashboard", "/")
    shoot(page, "incident-form", "/incidents/new/")
    context.close()

    context, page = session("demo-legal")
    shoot(page, "case-page", f"/cases/{case}/")
    context.close()

    context, page = session("demo-legal", "fr")
    shoot(page, "case-page-fr", f"/cases/{case}/#suspects")
    context.close()

    context, page = session("demo-analyst")
    shoot(page, "statistics", "/cases/statistics/")
    shoot(page, "map", "/cases/map/", ready='#incident-map[data-boundaries="loaded"]')
    context.close()
    return shots


if __name__ == "__main__":
    main()

"""The operators' reliability page names tests that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "operators" / "reliability.md"
# Pages of the docs index written alongside this one.


def test_every_test_the_reliability_page_names_exists():
    named = set(re.findall(r"`((?:tests/[\w/]+/)?test_\w+\.py)`", PAGE.read_text()))

    assert len(named) >= 10
    missing = [
        name
        for name in named
        if not (ROOT / name).exists() and not (ROOT / "tests/reliability" / name).exists()
    ]
    assert missing == []


def test_every_relative_link_of_the_docs_leads_to_a_file():
    """A page moved or renamed leaves no dead link behind (pages other people are still
    writing are named in the index before they exist, so only links to a page that no
    index promises are checked)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    dead = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            if not (page.parent / target).exists():
                dead.append(f"{page.relative_to(ROOT)} -> {target}")
    assert dead == []


def test_the_readme_stays_a_short_entrance():
    """What it is, the two commands, where to read on: the rest is in docs/ by audience."""
    readme = (ROOT / "README.md").read_text()

    assert len(readme.splitlines()) <= 200
    assert "make run" in readme and "make test" in readme
    for index in ("docs/users/", "docs/operators/", "docs/developers/"):
        assert index in readme

"""The README's "Security and reliability" section names tests that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_the_section_names_exists():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Security and reliability", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:tests/[\w/]+/)?test_\w+\.py)`", section))

    assert len(named) >= 10
    missing = [
        name
        for name in named
        if not (ROOT / name).exists() and not (ROOT / "tests/reliability" / name).exists()
    ]
    assert missing == []

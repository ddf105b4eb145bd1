"""English left on a French page: the catalogue's texts that French renders differently,
found in what the page shows (tests/browser/test_every_page.py and the analyst's journey
in tests/browser/test_filters_and_exports.py)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po"


def _catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) of each translated, singular message of the French catalogue."""
    text = PO.read_text(encoding="utf-8")
    pairs = []
    for block in text.split("\n\n"):
        if "msgid_plural" in block or "#, fuzzy" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not match:
            continue
        msgid, msgstr = ("".join(re.findall(r'"(.*)"', part)) for part in match.groups())
        if msgstr and msgid != msgstr:
            pairs.append((msgid, msgstr))
    return pairs


def _plain(msgid: str) -> bool:
    return not any(mark in msgid for mark in ("%", "{", "\\", "<"))


def english_sentences() -> set[str]:
    """Catalogue texts of three words or more that French renders differently: found
    anywhere in a French page's text, they are English left untranslated."""
    return {m for m, _ in _catalogue() if len(m.split()) >= 3 and _plain(m)}


def english_labels() -> set[str]:
    """Every other catalogue text French renders differently (a button, a heading, a
    column, a history entry such as "Incident recorded"), found as the whole text of an
    element. Words French writes the same in another message ("Mission", "Type",
    "Date") are left out: they are French too."""
    pairs = _catalogue()
    french = {m.strip().lower() for _, m in pairs}
    return {
        m.strip()
        for m, _ in pairs
        if len(m.split()) < 3
        and _plain(m)
        and re.search(r"[A-Za-z]{2}", m)
        and m.strip().lower() not in french
    }


# Each text node of the page, its spaces collapsed; not code, nor what is marked as
# another language or not to be translated (a reference, a name typed by a person).
TEXT_NODES = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const skipped = 'script, style, code, pre, textarea, [lang="en"], [translate="no"]';
        if (!parent || parent.closest(skipped)) continue;
        const text = node.textContent.replace(/\\s+/g, ' ').trim();
        if (text) texts.push(text);
    }
    return texts;
}"""


def english_left(page, sentences: set[str], labels: set[str]) -> list[str]:
    """The catalogue's English texts a French page shows."""
    shown = page.locator("body").inner_text()
    left = {s for s in sentences if s in shown}
    for text in page.evaluate(TEXT_NODES):
        bare = text.rstrip(":\u00a0 ").strip()
        if text in labels or bare in labels:
            left.add(bare or text)
    return sorted(left)

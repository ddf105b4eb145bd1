"""Compiled translations for the tests that need French.

`make test` compiles the .po files before pytest (through `make install`). A direct
`pytest` run on a fresh checkout has no .mo: `ensure_compiled()` compiles them and drops
Django's catalogue cache, so French is there however the tests were started.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

PO_FILES = sorted(
    path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.po")
)


def _stale() -> bool:
    for po in PO_FILES:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


def ensure_compiled() -> None:
    if not _stale():
        return
    call_command("compile_translations", verbosity=0)
    # Django caches each language's catalogue once loaded: forget them, as Django's own
    # test signal handler does when LOCALE_PATHS changes, so the new .mo files are read.
    from asgiref.local import Local
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    trans_real.translation_catalog_exists.cache_clear()

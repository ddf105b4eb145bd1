import pytest

from tests.i18n.helpers import ensure_compiled


@pytest.fixture(autouse=True, scope="session")
def compiled_translations():
    ensure_compiled()

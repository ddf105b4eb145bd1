from tests.notifications.conftest import client_of, followup_a  # noqa: F401

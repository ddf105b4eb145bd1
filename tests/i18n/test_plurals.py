"""Counts shown in the interface agree with their words in French: the header's unread
count reads "1 non lue", "2 non lues", never "non lue(s)"."""

import pytest
from django.test import Client
from django.urls import reverse

from accountability.notifications.models import NotificationKind
from accountability.notifications.services import notifications_create
from peacekeeping.accounts.services import user_preference_set_language
from tests.i18n.helpers import ensure_compiled

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("count", "words"), [(1, "1 non lue"), (2, "2 non lues")])
def test_the_unread_count_agrees_with_its_number_in_french(world, count, words):
    ensure_compiled()
    legal = world.users["legal_a"]
    user_preference_set_language(user=legal, language="fr")
    for n in range(count):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key=f"k{n}", case_id=world.case_a.pk
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(legal)

    text = client.get(reverse("notifications:unread_count")).content.decode()

    assert text.replace('<span class="visually-hidden"> ', " ").replace("</span>", "") == words

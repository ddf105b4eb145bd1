"""Fixtures of the follow-up answer and notification tests (the personas' world)."""

import pytest
from django.test import Client


@pytest.fixture
def eager():
    """Tasks run in-process, as without REDIS_URL, even when the suite has a broker."""
    from peacekeeping.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def client_of(world):
    def make(persona: str) -> Client:
        client = Client()
        client.force_login(world.users[persona])
        return client

    return make


@pytest.fixture
def followup_a(world):
    from accountability.models import FollowUp

    return FollowUp.objects.get(case=world.case_a)

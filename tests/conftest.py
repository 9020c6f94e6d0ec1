import pytest

from tests import factories


@pytest.fixture
def analyst_user(db):
    return factories.analyst(username="analyst")


@pytest.fixture
def editor_user(db):
    return factories.editor(username="editor")


@pytest.fixture
def analyst_client(client, analyst_user):
    client.force_login(analyst_user)
    return client


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client


@pytest.fixture
def scenario(db):
    """The seed scenario, loaded as `load_scenario` loads it."""
    from negotiations.services.scenario import scenario_load

    scenario_load()

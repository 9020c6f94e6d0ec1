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


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Each test its own cache: a key prefix no other test (or run, or engineer) shares,
    so that nothing one test cached is seen by another."""
    import uuid

    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches

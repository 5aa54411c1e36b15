import pytest

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def teacher(world):
    return world.teacher


@pytest.fixture
def class_teacher(world):
    return world.class_teacher


@pytest.fixture
def parent(world):
    return world.parent


@pytest.fixture
def other_parent(world):
    return world.other_parent


@pytest.fixture
def pupil(world):
    return world.pupil


@pytest.fixture
def deputy(world):
    return world.deputy


@pytest.fixture
def director(world):
    return world.director


@pytest.fixture
def admin_user(world):
    return world.admin


@pytest.fixture
def outsider(world):
    return world.outsider


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login

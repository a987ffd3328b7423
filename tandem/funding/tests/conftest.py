import pytest

from . import factories


@pytest.fixture
def fw(world):
    """The test world with the Cebu City call (see factories)."""
    factories.call(world)
    return world

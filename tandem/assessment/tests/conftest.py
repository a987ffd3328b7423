import pytest

from .factories import cebu_assessment


@pytest.fixture
def a(world):
    return cebu_assessment(world)

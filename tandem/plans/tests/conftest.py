import pytest

from tandem.plans.tests.factories import build_plans


@pytest.fixture
def plans(world):
    return build_plans(world)

import pytest

from practices.models import Role
from returns.services import collection_open

from ..factories import ListSizeFactory, RoleFactory, UserFactory
from .helpers import Q3_2017, Q3_DUE


@pytest.fixture
def q3_list_size(luton_practice):
    return ListSizeFactory(practice=luton_practice, extract_date=Q3_2017, patients=9400)


@pytest.fixture
def collection(luton, luton_practice, q3_list_size, alice):
    """Luton's workforce census for 2017/18 Q3, due 15 January 2018, asked of its one practice."""
    return collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)


@pytest.fixture
def ret(collection, luton_practice):
    return collection.returns.get(practice=luton_practice)


@pytest.fixture
def bella(luton_practice):
    """A second practice manager of bob's practice."""
    user = UserFactory(username="bella", first_name="Bella")
    RoleFactory(user=user, kind=Role.Kind.PRACTICE_MANAGER, practice=luton_practice)
    return user

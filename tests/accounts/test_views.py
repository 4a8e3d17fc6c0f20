"""The sign-in page checks the password outside any transaction: on SQLite a transaction
that writes holds the database's one write lock, and a password hash is deliberately slow."""

import pytest
from django.db import connection
from django.urls import reverse

from practices.models import User
from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_the_password_is_checked_with_no_transaction_open(client, alice, monkeypatch):
    in_transaction = []
    check_password = User.check_password

    def checking(user, raw_password):
        in_transaction.append(connection.in_atomic_block)
        return check_password(user, raw_password)

    monkeypatch.setattr(User, "check_password", checking)

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert in_transaction == [False]

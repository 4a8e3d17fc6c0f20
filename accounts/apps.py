from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: client addresses, lock-outs, password reset limits, sessions of each user."""

    name = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers

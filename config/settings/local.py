"""Settings for a developer's or demo machine: SQLite, no server, debug on."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

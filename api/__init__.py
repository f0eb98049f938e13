"""The HTTP service around the matcher library."""

from .app import create_app
from .settings import Settings

__all__ = ["create_app", "Settings"]

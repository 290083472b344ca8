"""Fixtures of the fault tests (helpers live in faultkit.py)."""

from .faultkit import demo_loaded, local_server  # noqa: F401  (fixtures)

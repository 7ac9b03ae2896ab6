"""The read side's fixture for every integration folder (readside/, decisions/ ...)."""

from tests.integration.readside.conftest import read_side

__all__ = ["read_side"]

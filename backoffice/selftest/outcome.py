"""The one exception a self-test check raises: its message is the sentence a person reads."""

from __future__ import annotations


class CheckFailed(Exception):
    """A check found a problem; str(error) says it in one sentence."""

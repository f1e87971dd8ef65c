"""What counts as a high-risk note and as a self-harm mention: one definition, in SQL and in Python.

The clinical reports read these through `services.notes`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

HIGH_RISK_LEVELS = ("high", "severe", "critical", "imminent")
# What therapists write in `self_harm_mention` when there was none.
NO_MENTION = ("", "no", "none", "nil", "n/a", "na", "false", "denied", "not mentioned")


def _normalised(column: Any) -> Any:
    return sa.func.lower(sa.func.btrim(sa.func.coalesce(column, "")))


def self_harm(column: Any) -> Any:
    return _normalised(column).not_in(NO_MENTION)


def high_risk_level(column: Any) -> Any:
    return _normalised(column).in_(HIGH_RISK_LEVELS)


def is_self_harm(text: str | None) -> bool:
    return (text or "").strip().lower() not in NO_MENTION


def is_high_risk(level: str | None, mention: str | None) -> bool:
    return (level or "").strip().lower() in HIGH_RISK_LEVELS or is_self_harm(mention)

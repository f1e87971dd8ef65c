"""The three staff roles: the values of `backoffice.staff_accounts.role`, the keys of the permission
matrix and of the group roles each clinic database gets. Plain Python, so the command line's
`--help` and the login window can name them without importing the database layer."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    FINANCE = "finance"
    THERAPIST = "therapist"


STAFF_ROLES = tuple(role.value for role in Role)

"""What the database owner runs, never a staff login: `db check` (is this the documented clinic
schema?), the proposed indexes, `db provision` (groups, grants, row-level security) and staff logins.

Above the services in the layers: it may write audit events through `services.audit`, and neither
the services nor the window import it.
"""

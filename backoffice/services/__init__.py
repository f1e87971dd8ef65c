"""Workflows: one module per area; permission check, one transaction, audit event. No Qt here."""

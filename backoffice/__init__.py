"""Clinic back-office: a desktop application over the clinic's PostgreSQL database."""

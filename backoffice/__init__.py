"""Clinic back-office: a desktop application over the clinic's PostgreSQL database."""

__version__ = "0.1.0"

"""What the application says about itself (Help → About, the installers): defined once."""

from __future__ import annotations

from backoffice import __version__

APPLICATION = "Clinic back-office"
VERSION = __version__
SUPPORT_CONTACT = "backoffice@clinic.invalid"  # the Debian package's maintainer, too
LICENCE = (
    "Proprietary software: licensed to the clinic that installed it, for use by its own staff. "
    "It bundles open-source components (Qt for Python under the LGPL, PostgreSQL, SQLAlchemy, "
    "reportlab and others) under their own licences."
)
ROLES_GUIDES = {
    "admin": "the clinic's admins",
    "finance": "finance staff",
    "therapist": "therapists",
}

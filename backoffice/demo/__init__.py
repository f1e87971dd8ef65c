"""The demo clinic: a deterministic synthetic clinic (warts included), loaded with COPY."""

from backoffice.demo.generate import (
    DEFAULT_SEED,
    TABLES,
    DemoClinicNotEmpty,
    DemoSummary,
    load_demo_clinic,
)
from backoffice.demo.sizes import LARGE, SIZES, SMALL, TINY, XLARGE, DemoSize, demo_size

__all__ = [
    "DEFAULT_SEED",
    "LARGE",
    "SIZES",
    "SMALL",
    "TABLES",
    "TINY",
    "XLARGE",
    "DemoClinicNotEmpty",
    "DemoSize",
    "DemoSummary",
    "demo_size",
    "load_demo_clinic",
]

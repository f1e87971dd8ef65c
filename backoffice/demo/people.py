"""The people of the demo clinic: therapists (with their dashboard users) and clients."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from backoffice.demo import vocab
from backoffice.demo.rand import ascii_slug, foreign_phone, indian_mobile, stream_rng
from backoffice.demo.sizes import DemoSize

FIRST_THERAPIST_ID = 58001
# The seed's orphan: resources of a therapist who is not there.
ORPHAN_RESOURCE_THERAPIST_ID = "58605"


@dataclass(frozen=True, slots=True)
class Therapist:
    index: int
    therapist_id: str
    name: str
    email: str
    phone: str
    specialisations: tuple[str, ...]
    fee_tier: int
    capacity: int
    joined_day: int  # day offset from `today` (negative)
    user_id: int  # public.users.id of their dashboard login

    @property
    def specialization(self) -> str:
        return ", ".join(self.specialisations)


@dataclass(frozen=True, slots=True)
class Client:
    index: int
    client_id: str
    name: str
    phone: str
    email: str
    country: str
    city: str
    timezone: str
    currency: str
    gateway: str
    age: int
    gender: str
    occupation: str
    marital: str
    emergency: tuple[str, str, str] | None  # name, relation, number
    couples: bool
    online: bool  # preferred mode
    slot: int  # preferred start, minutes after midnight IST

    def fee(self, tier: int) -> Decimal:
        fees = vocab.INR_FEES if self.currency == "INR" else vocab.FOREIGN_FEES[self.currency]
        return fees[min(tier + self.couples, len(fees) - 1)]


def therapist_ids(count: int) -> list[str]:
    """Text ids counting up from 58001, never the orphan resource's id."""
    ids: list[str] = []
    candidate = FIRST_THERAPIST_ID
    while len(ids) < count:
        if str(candidate) != ORPHAN_RESOURCE_THERAPIST_ID:
            ids.append(str(candidate))
        candidate += 1
    return ids


def person_name(rng: random.Random, taken: dict[str, int]) -> tuple[str, str, str]:
    """(first, last, gender) drawn from the pools, the full name not yet in `taken`."""
    while True:
        world = rng.random() < 0.15
        gender = "Female" if rng.random() < 0.58 else "Male"
        firsts: tuple[str, ...]
        lasts: tuple[str, ...]
        if world:
            firsts = vocab.FEMALE_WORLD if gender == "Female" else vocab.MALE_WORLD
            lasts = vocab.WORLD_SURNAMES if rng.random() < 0.7 else vocab.INDIAN_SURNAMES
        else:
            firsts = vocab.FEMALE_INDIAN if gender == "Female" else vocab.MALE_INDIAN
            lasts = vocab.INDIAN_SURNAMES
        first, last = rng.choice(firsts), rng.choice(lasts)
        if f"{first} {last}" not in taken:
            return first, last, gender


def _unique_local(name: str, taken: dict[str, int]) -> str:
    local = ascii_slug(name)
    seen = taken.get(local, 0)
    taken[local] = seen + 1
    return local if seen == 0 else f"{local}{seen + 1}"


def make_therapists(size: DemoSize, seed: int) -> list[Therapist]:
    rng = stream_rng(seed, "therapists")
    names: dict[str, int] = {}
    locals_: dict[str, int] = {}
    result = []
    for index, therapist_id in enumerate(therapist_ids(size.therapists)):
        first, last, _ = person_name(rng, names)
        name = f"{first} {last}"
        names[name] = 1
        result.append(
            Therapist(
                index=index,
                therapist_id=therapist_id,
                name=name,
                email=f"{_unique_local(name, locals_)}@safestories.in",
                phone=indian_mobile(rng),
                specialisations=tuple(rng.sample(vocab.SPECIALISATIONS, rng.randint(2, 4))),
                fee_tier=rng.choice((0, 1, 1, 2, 2, 3)),
                capacity=rng.randrange(15, 36),
                joined_day=-size.history_days - rng.randrange(30, 400),
                user_id=size.admins + index + 1,
            )
        )
    return result


def make_clients(size: DemoSize, seed: int) -> list[Client]:
    rng = stream_rng(seed, "clients")
    names: dict[str, int] = {}
    locals_: dict[str, int] = {}
    return [_client(rng, index, names, locals_) for index in range(size.clients)]


def _client(
    rng: random.Random, index: int, names: dict[str, int], locals_: dict[str, int]
) -> Client:
    first, last, gender = _client_name(rng, index)
    name = f"{first} {last}"
    home = _residence(rng)
    domain = rng.choice(EMAIL_DOMAINS)
    emergency = _emergency_contact(rng, last)
    return Client(
        index=index,
        client_id=f"C{100001 + index}",
        name=name,
        phone=home.phone,
        email=f"{_unique_local(name, locals_)}@{domain}",
        country=home.country,
        city=home.city,
        timezone=home.timezone,
        currency=home.currency,
        gateway=home.gateway,
        age=rng.randint(18, 64),
        gender=gender,
        occupation=rng.choice(vocab.OCCUPATIONS),
        marital=rng.choice(vocab.MARITAL),
        emergency=emergency,
        couples=rng.random() < 0.12,
        online=rng.random() < (0.9 if home.abroad else 0.65),
        slot=rng.choice(SLOT_HOURS) * 60 + rng.choice((0, 30)),
    )


# Gmail three times: most clients use it.
EMAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.co.in",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "rediffmail.com",
)
SLOT_HOURS = (9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20)


def _client_name(rng: random.Random, index: int) -> tuple[str, str, str]:
    """(first, last, gender): the showcase names first, then drawn ones (a few not binary)."""
    if index < len(vocab.SHOWCASE_CLIENTS):
        return vocab.SHOWCASE_CLIENTS[index]
    first, last, gender = person_name(rng, {})
    if rng.random() < 0.03:
        gender = rng.choice(("Non-binary", "Prefer not to say"))
    return first, last, gender


@dataclass(frozen=True, slots=True)
class _Residence:
    country: str
    city: str
    timezone: str
    currency: str
    gateway: str
    phone: str
    abroad: bool


def _residence(rng: random.Random) -> _Residence:
    """Most clients live in India and pay in rupees; a few abroad pay in their own currency."""
    if rng.random() < 0.06:
        country, city, tz, currency, code, gateway, _ = rng.choice(vocab.ABROAD)
        return _Residence(country, city, tz, currency, gateway, foreign_phone(rng, code), True)
    city = rng.choice(vocab.INDIAN_CITIES)
    return _Residence("India", city, "Asia/Kolkata", "INR", "Razorpay", indian_mobile(rng), False)


def _emergency_contact(rng: random.Random, last: str) -> tuple[str, str, str] | None:
    """Most clients name a relative (same surname) to call in an emergency."""
    if rng.random() >= 0.7:
        return None
    relative = f"{rng.choice(vocab.FEMALE_INDIAN + vocab.MALE_INDIAN)} {last}"
    return relative, rng.choice(vocab.RELATIONS), indian_mobile(rng)

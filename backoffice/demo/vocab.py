"""Word pools of the demo clinic: names, places, specialisations, fees, staff and resources."""

from __future__ import annotations

from decimal import Decimal


def _words(text: str) -> tuple[str, ...]:
    """A name pool written as text, one name per word, in order (the demo draws from them by index)."""
    return tuple(text.split())


FEMALE_INDIAN = _words(
    """
    Ananya Priya Diya Kavya Meera Saanvi Nisha Sneha Lakshmi Harpreet Ayesha Zoya Sana Neha Pooja
    Anjali Tanvi Nandini Deepika Shreya Riya Swati Aditi Tara Ira Devika Bhavna Jyoti Lavanya Chitra
    Śruti Rādhā Gauri Malavika Fatima Noor Simran Aishwarya Revathi Ishita
    """
)
MALE_INDIAN = _words(
    """
    Aarav Rohan Ishaan Arjun Vihaan Aditya Rahul Karthik Gurpreet Farhan Imran Vikram Siddharth
    Rajesh Aman Kabir Manish Varun Nikhil Yash Arnav Mehul Sai Krishna Naveen Pranav Zubin Anirudh
    Dhruv Harsh Sahil Omkar Tejas Raghav Abhishek Mohammed Joseph Vivek Kunal Ravi
    """
)
INDIAN_SURNAMES = _words(
    """
    Sharma Iyer Nair Menon Reddy Patel Shah Mehta Gupta Jain Agarwal Kapoor Khanna Singh Kaur
    Chatterjee Banerjee Mukherjee Das Bose Rao Pillai Kulkarni Deshpande Joshi Bhat D'Souza D'Costa
    Fernandes Pereira Khan Qureshi Siddiqui Ahmed Nārāyan Subramaniam Krishnan Venkatesh Chaudhary
    Malhotra Sethi Bhattacharya Ghosh Sen Naidu Gowda Hegde Shetty Mathew Thomas
    """
)
FEMALE_WORLD = _words(
    """
    Zoë Siobhán Chloé Renée Noémie Amélie Leïla Anaïs Olivia Emma Mei Ngozi Ingrid Maëlle Zsófia
    Sarah
    """
)
MALE_WORLD = _words(
    """
    José Søren Björn Mateus François Zoltán Hiroshi Liam Noah Łukasz Dmitri Yusuf Seán Jürgen Tomás
    Daniel
    """
)
WORLD_SURNAMES = _words(
    """
    O'Connor O'Brien Álvarez García Müller Smith Brown Nguyen Kim Tanaka Dubois Rossi Kowalski
    Ødegaard Sánchez Lefèvre MacLeod McAllister Schröder Żak N'Diaye Okafor Johansson D'Souza
    """
)
# The demo's signature names: always among the first clients, so every size shows them.
SHOWCASE_CLIENTS = (
    ("Zoë", "D'Souza", "Female"),
    ("Aarav", "Nārāyan", "Male"),
    ("Siobhán", "O'Connor", "Female"),
    ("Ananya", "Iyer", "Female"),
    ("José", "Álvarez", "Male"),
)
ORPHAN_NOTE_CLIENT = "Pooja Jain"

# (city, weight) inside India; all on Asia/Kolkata.
INDIAN_CITIES = (
    "Mumbai",
    "Bengaluru",
    "Delhi",
    "Pune",
    "Chennai",
    "Hyderabad",
    "Kolkata",
    "Ahmedabad",
    "Kochi",
    "Jaipur",
    "Chandigarh",
    "Goa",
    "Lucknow",
    "Indore",
    "Coimbatore",
    "Gurugram",
    "Noida",
)
# (country, city, timezone, currency, dialling code, gateway, standard-time offset in minutes)
ABROAD = (
    ("United States", "New York", "America/New_York", "USD", "+1", "Stripe", -300),
    ("United States", "San Francisco", "America/Los_Angeles", "USD", "+1", "Stripe", -480),
    ("United Kingdom", "London", "Europe/London", "GBP", "+44", "Stripe", 0),
    ("United Arab Emirates", "Dubai", "Asia/Dubai", "AED", "+971", "Stripe", 240),
    ("Singapore", "Singapore", "Asia/Singapore", "SGD", "+65", "Stripe", 480),
    ("Canada", "Toronto", "America/Toronto", "CAD", "+1", "PayPal", -300),
    ("Ireland", "Dublin", "Europe/Dublin", "EUR", "+353", "PayPal", 0),
    ("Australia", "Melbourne", "Australia/Melbourne", "AUD", "+61", "Stripe", 600),
)
IST_OFFSET = 330
TZ_OFFSETS = {row[2]: row[6] for row in ABROAD} | {"Asia/Kolkata": IST_OFFSET}

SPECIALISATIONS = (
    "Anxiety",
    "Depression",
    "Couples therapy",
    "Trauma & PTSD",
    "CBT",
    "DBT",
    "Grief counselling",
    "Adolescent therapy",
    "Queer-affirmative therapy",
    "OCD",
    "Workplace stress",
    "Relationship issues",
    "Self-esteem",
    "EMDR",
    "Family therapy",
    "Eating concerns",
)
LANGUAGES = (
    "English",
    "Hindi",
    "Tamil",
    "Marathi",
    "Bengali",
    "Kannada",
    "Malayalam",
    "Telugu",
    "Gujarati",
    "Punjabi",
    "Urdu",
)

# Fees per session by tier; couples sessions cost one tier more.
INR_FEES = tuple(Decimal(v) for v in ("1500.00", "2000.00", "2500.00", "3000.00", "3500.00"))
FOREIGN_FEES = {
    "USD": tuple(Decimal(v) for v in ("40.00", "50.00", "60.00", "75.00", "90.00")),
    "GBP": tuple(Decimal(v) for v in ("35.00", "40.00", "50.00", "60.00", "70.00")),
    "AED": tuple(Decimal(v) for v in ("150.00", "180.00", "220.00", "275.00", "330.00")),
    "SGD": tuple(Decimal(v) for v in ("55.00", "65.00", "80.00", "95.00", "110.00")),
    "CAD": tuple(Decimal(v) for v in ("55.00", "65.00", "80.00", "95.00", "110.00")),
    "EUR": tuple(Decimal(v) for v in ("40.00", "45.00", "55.00", "65.00", "80.00")),
    "AUD": tuple(Decimal(v) for v in ("60.00", "75.00", "90.00", "110.00", "130.00")),
}

OCCUPATIONS = (
    "Software engineer",
    "Chartered accountant",
    "Student",
    "Teacher",
    "Doctor",
    "Homemaker",
    "Marketing manager",
    "Designer",
    "Lawyer",
    "Entrepreneur",
    "Nurse",
    "Journalist",
    "Banker",
    "Architect",
    "Civil services aspirant",
    "Consultant",
    "Researcher",
    "Musician",
)
MARITAL = ("Single", "Single", "Married", "Married", "In a relationship", "Divorced", "Separated")
RELATIONS = ("Mother", "Father", "Spouse", "Sister", "Brother", "Friend", "Partner")

QUESTIONS = (
    "I have been feeling anxious most days and it is affecting my work.",
    "My partner and I keep having the same fights; we want help communicating.",
    "I lost my father last year and I can't seem to move on.",
    "Trouble sleeping, racing thoughts at night.",
    "Feeling low and unmotivated since moving to a new city.",
    "Looking for a queer-affirmative therapist to talk about family acceptance.",
    "Panic attacks before presentations.",
    None,
)
CANCEL_REASONS_CLIENT = (
    "Travelling for work",
    "Feeling unwell",
    "Exam schedule clash",
    "Family emergency",
    "Office meeting got moved",
    "Internet outage expected",
    "Need to reschedule, will book again",
)
CANCEL_REASONS_HOST = (
    "Therapist unwell",
    "Therapist on leave",
    "Clinic closed for Diwali",
    "Therapist had an emergency",
)

TRANSFER_REASONS = (
    "Therapist on extended leave",
    "Client requested a Tamil-speaking therapist",
    "Scheduling conflict: client needs weekend slots",
    "Better match: trauma specialisation",
    "Therapist left the clinic",
    "Client requested a change after review",
)
RESOURCES = (
    (101, "Thought Record Worksheet", "CBT"),
    (102, "Grounding Techniques Guide", "Anxiety"),
    (103, "Sleep Hygiene Checklist", "Anxiety"),
    (104, "Couples Communication Exercises", "Couples therapy"),
    (105, "Grief Journal Prompts", "Grief counselling"),
    (106, "Anxiety Ladder Template", "CBT"),
    (107, "Window of Tolerance Handout", "Trauma & PTSD"),
    (108, "DBT Skills Card", "DBT"),
)
SYSTEM_RESOURCES = (
    (1, "SafeStories Welcome Kit", "General"),
    (2, "Intake Guide for New Clients", "General"),
)
AUDIT_ACTIONS = (
    ("LOGIN", "Logged in to the therapist dashboard"),
    ("VIEW_CLIENT", "Viewed client details"),
    ("CREATE_NOTE", "Created a session note"),
    ("UPDATE_NOTE", "Updated a session note"),
    ("VIEW_APPOINTMENTS", "Viewed upcoming appointments"),
    ("DOWNLOAD_RESOURCE", "Downloaded a resource"),
)
IP_PREFIXES = ("49.36", "103.21", "122.161", "106.51", "117.96", "182.73")
ADMINS = (
    ("admin", "Clinic Admin"),
    ("priya.menon", "Priya Menon"),
    ("rahul.dsouza", "Rahul D'Souza"),
    ("farah.khan", "Farah Khan"),
    ("kiran.rao", "Kiran Rao"),
    ("meenal.shah", "Meenal Shah"),
)
COUNCILS = (
    "Rehabilitation Council of India",
    "Indian Association of Clinical Psychologists",
    "British Association for Counselling and Psychotherapy",
)

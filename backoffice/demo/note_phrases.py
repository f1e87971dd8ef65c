"""Phrases a demo session note is written from: concerns, interventions, progress, plans and risk."""

from __future__ import annotations

CONCERNS = (
    "Work stress and difficulty switching off after office hours",
    "Conflict with in-laws about wedding plans",
    "Grief after the loss of a grandparent",
    "Exam anxiety ahead of CA finals",
    "Sleep difficulties and racing thoughts",
    "Low mood and withdrawal from friends",
    "Communication patterns with partner; recurring arguments about finances",
    "Coming-out conversation with parents",
    "Burnout and thoughts of quitting the job",
    "Intrusive thoughts and checking rituals",
    "Body image and eating patterns",
    "Loneliness after relocating to Bengaluru",
    "Panic symptoms in crowded places",
    "Parenting stress with a toddler and a demanding job",
)
SOMATIC_CUES = (
    "tight chest",
    "shallow breathing",
    "fidgeting",
    "tearful",
    "clenched jaw",
    "headaches",
    "fatigue",
    "stomach knots",
    "restless legs",
    "avoids eye contact",
    "flushed face",
)
INTERVENTIONS = (
    "CBT thought record",
    "Grounding (5-4-3-2-1)",
    "Psychoeducation on the anxiety cycle",
    "Behavioural activation planning",
    "Emotion-focused work",
    "Gottman repair conversation",
    "EMDR resourcing",
    "Mindful breathing",
    "Narrative reframing",
    "Values clarification",
    "Exposure hierarchy",
    "Socratic questioning",
)
HELPFUL = ("Yes", "Yes", "Partially", "Too early to tell", "Client found grounding most useful")
PARTICIPATION = (
    "Engaged and forthcoming",
    "Guarded at first, opened up later",
    "Quiet; needed prompting",
    "Actively participated and asked questions",
    "Tired but engaged",
)
GOAL_PROGRESS = (
    "Good progress",
    "Some progress",
    "Some progress",
    "No change",
    "Setback this week",
)
VALUES = (
    "Family, honesty",
    "Career growth, independence",
    "Faith, community",
    "Creativity, freedom",
    "Health, stability",
    "Friendship, loyalty",
)
PROTECTIVE = (
    "Supportive partner",
    "Close friends",
    "Regular exercise",
    "Pet dog",
    "Faith and community",
    "Engaged in meaningful work",
    "Supportive sibling",
)
HEALTH = (
    "No significant medical history",
    "Hypothyroidism, on medication",
    "PCOS",
    "Migraines",
    "Type 2 diabetes",
    "Asthma",
    "Iron deficiency",
)
DIAGNOSES = (
    "None reported",
    "None reported",
    "GAD (2021)",
    "Depression, treated 2019",
    "ADHD (adult diagnosis)",
    "Panic disorder",
    None,
)
NEXT_PLAN = (
    "Continue thought records; review triggers",
    "Introduce exposure hierarchy",
    "Explore family-of-origin patterns",
    "Joint session with partner",
    "Review sleep diary",
    "Relapse-prevention plan",
)
HOMEWORK = (
    "Daily thought record",
    "10 minutes of mindful breathing",
    "Sleep diary",
    "Gratitude journal",
    "One pleasant activity per day",
    "Read the shared worksheet",
    None,
)
SELF_HARM_DETAILS = (
    "Reported passive thoughts of self-harm last week; no plan or intent. Safety plan reviewed.",
    "Disclosed recent self-harm (superficial cuts). Safety plan agreed; emergency contact informed.",
    "Mentioned thoughts of not wanting to wake up; crisis numbers shared; follow-up in 48 hours.",
)
# Concerns written in a note whose risk fields say "low" and "no": the risk scan flags them.
WRITTEN_RISK = (
    "Exam stress; said 'kabhi kabhi lagta hai marna chahti hoon' when talking about results.",
    "Low mood after the layoff; feels he is a burden to everyone at home.",
    "Breakup. Wrote a goodbye letter to his sister last week and did not send it.",
    "Sleep difficulties; says 'jeene ka mann nahi karta', twice in the session.",
    "Burnout. Admitted to cutting her arms again after the appraisal meeting.",
    "Family conflict over the loan; 'sab khatam kar dena chahta hoon', he said.",
)
# Negations and idioms in the same place: the risk scan must leave these alone.
NEAR_MISSES = (
    "Denies SI. Exam anxiety discussed; revision plan made.",
    "Work going well: 'killing it at work' since the promotion.",
    "Dying to see her sister at Diwali; homesick in the new city.",
    "No thoughts of self-harm; grief after the loss of a grandparent.",
    "Cut down on caffeine; sleep improving.",
)
ADDITIONAL_NOTES = (
    "Client requested evening slots from next month.",
    "Shared the thought-record worksheet over email.",
    "Client will be travelling; the next two sessions online.",
    "Spoke to client's psychiatrist (with consent) about medication change.",
    "Client prefers to be addressed as they/them.",
    "Invoice re-sent to client's company for reimbursement.",
)

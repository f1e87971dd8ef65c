"""Idioms and other people's stories: a lexicon match overlapping one of these is left alone.

Written in the notation of `notation.py` with the lexicon's macros. Most idioms ("killing it at
work") match no entry anyway; they are listed so that a broader entry added later stays safe.
"""

from __future__ import annotations

GUARDS: tuple[tuple[str, str], ...] = (
    # English idioms
    ("killing it", "{kill} (?:it|time)"),
    ("killing me", "(?:is|are|was|were) killing (?:me|her|him|them)"),
    (
        "killing herself with work",
        "killing {self} (?:with|over) (?:work|overwork|worry|stress|studies|exams|chores|housework)",
    ),
    ("dying to", "dying (?:to|for)"),
    ("dead tired", "dead (?:tired|beat|bored|serious|battery|line|end|weight|on time)"),
    ("to death", "(?:bored|scared|frightened|worried|tickled) to death"),
    (
        "died laughing",
        "(?:died|dying|die) (?:of|from|with) (?:laughter|laughing|embarrassment|boredom)",
    ),
    (
        "cut down",
        "(?:cut|cuts|cutting) (?:down|back|out|off|ties|corners|class|classes|school|costs?|short|loose|the cake|a cake|hair|onions|vegetables|veggies|sugar|carbs)",
    ),
    ("paper cut", "paper cuts?|hair(?: )?cuts?"),
    (
        "figurative overdose",
        "over(?: )?dos(?:e|ed|ing) (?:of|on) (?:work|emails?|information|info|caffeine|coffee|chai|tea|sugar|chocolate|sweets|love|stress|tv|netflix|screen time|social media|drama|advice|meetings?|positivity|sun)",
    ),
    ("overdose as a topic", "over(?: )?dose (?:deaths?|statistics|awareness|prevention)"),
    ("dose", "[0-9]+(?: )?(?:mg|mcg|ml|gm|g|iu|units?)"),
    (
        "suicide as a name",
        "{suicide} (?:prevention|awareness|bomb|bomber|bombers|bombing|bombings|squad|mission|door|doors|pact movie|lane)",
    ),
    (
        "gave up on a plan",
        "(?:gave|give|gives|giving|given) up on (?:the|that|this) (?:plan|idea|diet|course)",
    ),
    # Someone else's suicide: a family history, a friend's death
    ("family history", "(?:family (?:history|hx)|fhx?|f/h)(?: of)?(?: completed)? {suicide}"),
    (
        "another person's suicide",
        "(?:{relative})(?:'s)? (?:(?:died|dying) (?:by|of|from)|committed|completed|attempted|death by) {suicide}",
    ),
    ("another person's suicide", "(?:{relative})'s {suicide}"),
    ("another person's suicide", "(?:{relative}) ne (?:{hi_suicide}|{hi_atmhatya})"),
    # Hindi idioms: exhausted, starving, laughing, hot
    ("jaan nikal gayi", "jaan nikal (?:gayi|gai|gaya|jati|jaati|jaata|jata|di)"),
    ("mar gaye", "(?:hass?i?|hans?i?) (?:(?:se|ke) )?mar[a-z]*"),
    ("mar gaye", "(?:bhookh?|garmi|sardi|thand|thandi) (?:se|mein|me) mar[a-z]*"),
)

RELATIVES = (
    "father|mother|dad|mom|mum|brother|sister|uncle|aunt|aunty|cousin|friend|friends|grandfather"
    "|grandmother|grandpa|grandma|husband|wife|partner|boyfriend|girlfriend|son|daughter|colleague"
    "|classmate|neighbou?r|papa|mummy|bhai|didi|dost|chacha|mama|mami|nana|nani|dada|dadi"
)

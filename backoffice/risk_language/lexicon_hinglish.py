"""The romanized Hindi ("Hinglish") half of the lexicon.

Therapists spell Hindi in Latin letters as it sounds, so the patterns allow the usual variants:
long vowels doubled or not (aa/a, ee/i, oo/u), an aspirate h or not (kh/k, th/t), z or j
(zindagi/jindagi), and the gender and person endings of verbs (chahta/chahti, dunga/dungi).
Negation in Hindi mostly follows the phrase ("marne ka koi khayal nahi"); `context.py` handles it.
"""

from __future__ import annotations

from backoffice.risk_language.model import Category, Entry, Language

C = Category


def _hi(id: str, category: Category, rationale: str, *patterns: str) -> Entry:
    return Entry(f"hi.{id}", category, Language.HINGLISH, patterns, rationale)


SPECIFIC: tuple[Entry, ...] = (
    _hi(
        "attempt.koshish",
        C.PAST_ATTEMPT,
        "'… ki koshish' (the attempt at …) with suicide or a method: an attempt.",
        "(?:{hi_suicide}|{hi_atmhatya}|{suicide}|marne|maarne|mar jaane|jaan dene|jaan lene|khud ko (?:maarne|marne|khatam karne)|{hi_vein} (?:kaatne|katne)|{hi_poison} (?:khaane|khane|peene|pine)|latakne|(?:ph|f)aa?nsi (?:lagane|lagaane)|koodne|kudne|od karne|overdose karne) (?:(?:ki|ka|ke) )?(?:koshish|kosish|koshis|attempt|prayas|prayaas)",
        "(?:{hi_suicide}|{hi_atmhatya}) (?:kar li|kar liya|kar lee|ki thi|kiya tha|karne chala|karne chali|karne gaya|karne gayi)",
    ),
    _hi(
        "plan.plan",
        C.PLAN_MEANS,
        "A plan (plan, tareeka, yojana, taiyari) for suicide.",
        "(?:{hi_suicide}|{hi_atmhatya}|{suicide}|marne|khud ko khatam karne) (?:karne )?(?:ka|ki|ke) (?:plan|tareeka|tarika|yojna|yojana|taiyari|taiyaari)",
    ),
    _hi(
        "plan.poison",
        C.PLAN_MEANS,
        "Poison, pesticide or acid with eating or drinking: the commonest method in India.",
        "{hi_poison} (?:kha|khaa|pee|pi)(?:a|na|ne|ya|yi|ungi|unga|oongi|oonga)?(?: (?:lu|loo|le|li|liya|lunga|lungi|loonga|loongi|lena))?",
    ),
    _hi(
        "plan.hanging",
        C.PLAN_MEANS,
        "Hanging from a fan or with a dupatta (phaansi, latakna).",
        "(?:pankh[ae]|fan|chh?at|ceiling|rass[iy]|dupatt[ae]|chunni|chunri) (?:se|pe|par|mein|me) (?:latak|latk)[a-z]*",
        "(?:ph|f)aa?nsi (?:laga|lagaa|le|li|lena|lun|lu|loon|daal|dal|bana)[a-z]*",
        "(?:ph|f)anda (?:laga|lagaa|bana|daal|dal)[a-z]*",
        "(?:latak|latk) (?:ja|jaa|jau|jaun|jaoon|jaunga|jaungi|jaaunga|jaaungi|jana|jaana|jaane)",
    ),
    _hi(
        "plan.jumping",
        C.PLAN_MEANS,
        "Jumping from a height or before a train (koodna).",
        "(?:chh?at|chh?ath|terrace|building|imarat|pul|bridge|train|balcony|khidki|chhajj?[ae]|manzil|metro|patri|patriyon) ~ (?:kood|kud|jump|chhalang)[a-z]*",
        "(?:patri|patriyon|track|tracks|railway line|rail line) (?:pe|par|mein) (?:let|lait|lete|leti|leta|lay)[a-z]*",
    ),
    _hi(
        "plan.pills",
        C.PLAN_MEANS,
        "Collecting pills (goliyan jama karna), or swallowing many at once.",
        "{hi_poison} (?:ki|ka|ke) (?:bottle|botal|sheeshi|shishi|packet|dabba|dibba|pudiya) ~ (?:rakh|chhupa|chupa|chhup|khareed|kharid|mang)[a-z]*",
        "{hi_pills} ~ (?:jama|ikatth?[aie]|ikhatt?[aie]|ikath?[aie]|collect|chh?upa|chh?up|stock|save|bacha)[a-z]*",
        "(?:saari|sari|saare|sare|bahut saari|bahut sari|poori|puri|dher|dheron|ek saath|ekdum|[1-9][0-9]+) ~ {hi_pills} ~ (?:kha|khaa|khayi|khaayi|khaya|nigal|nigli|nigla)[a-z]*",
    ),
    _hi(
        "ideation.khatam",
        C.SUICIDAL_IDEATION,
        "Ending oneself or one's life (khud ko khatam karna, apni jaan lena, sab khatam kar dunga).",
        "(?:khud|khudko|apne aap|apneaap|apne ap|apne aapko)(?: ko)? (?:khatam|khatm|khtm|mita|mitaa|maar daal|maar dal|mar daal|maar lu|maar loon|maar lunga|maar lungi|maar dalunga|maar dalungi)[a-z]*",
        "(?:apni )?(?:jaan|{hi_life}) (?:khatam|khatm|khtm)[a-z]*",
        "(?:apni )?jaan (?:de|le) (?:dunga|dungi|doon|du|lunga|lungi|loon|lu|dena|lena|deni|leni|di|li|diya|liya)",
        "sab(?: kuch| kuchh|kuch)? (?:khatam|khatm|khtm) kar (?:dunga|dungi|doonga|doongi|du|doon|dun|denge|dena hai|dena chah[a-z]*|lunga|lungi|loonga|loongi|lu|loon)",
        "mere (?:jaane|jane|marne) ke baad",
        "sab(?: kuch| kuchh|kuch)? (?:khatam|khatm|khtm) ho ja{1,2}(?:na|ne|ye|e) (?:chahiye|chahie|chaiye|{hi_want})",
        "sab(?: kuch| kuchh|kuch)? (?:khatam|khatm|khtm) kar(?:na|ne) (?:hi )?{hi_want}",
        "(?:khatam|khatm|khtm) kar(?:na|ne) {hi_want} (?:hoon|hu|hun|hai|tha|thi|the) sab",
    ),
    _hi(
        "ideation.marna_chahta",
        C.SUICIDAL_IDEATION,
        "Wanting to die (marna chahta/chahti hoon, mar jana chahiye, mar jaun toh accha).",
        "(?:marna|marne|mrna|marrna|marjana|marjaana|mar ja{1,2}na|mar ja{1,2}ne) (?:hi )?{hi_want}",
        "(?:mar|marr) ja{1,2}(?:na|ne|u|un|oon|o|ye|e) (?:{hi_want}|chahiye|chahie|chaiye)",
        "(?:mar|marr) ja{1,2}(?:na|ne|u|un|oon|o|ye|e|unga|ungi|oonga|oongi|ta|ti|te) ~ (?:{hi_good})",
        "(?:mar|marr) ga(?:ya|yi|ye|yaa) (?:hota|hoti|hote) (?:toh|to) (?:{hi_good})",
        "(?:main|mai|mein) mar ja{1,2}(?:u|un|oon)",
    ),
    _hi(
        "ideation.no_wish_to_live",
        C.SUICIDAL_IDEATION,
        "No wish to live (jeene ka mann nahi, jeena nahi chahta): the Hindi wish to be dead.",
        "(?:jee|ji)(?:ne|na) (?:ka|ki|ko) (?:koi )?(?:mann|man|mun|dil|irada|iraada|ichh?c?ha|ichchha|chahat|khwahish) (?:hi )?(?:nahi|nahin|nhi|nai|nahee|khatam|khatm|mar)[a-z]*",
        "(?:jee|ji)na (?:hi )?(?:nahi|nahin|nhi|nai|nahee) (?:hai|{hi_want})",
    ),
    _hi(
        "ideation.thoughts",
        C.SUICIDAL_IDEATION,
        "Thoughts or the wish of dying or suicide (marne ka khayal, khudkushi ka vichar).",
        "(?:{hi_suicide}|{hi_atmhatya}|marne|maarne|mar jaane|mar jane) (?:karne )?(?:ka|ke|ki) (?:koi )?(?:{hi_thought}|mann|man|dil|irada|iraada)",
    ),
    _hi(
        "self_injury.khud_ko",
        C.SELF_INJURY,
        "Hurting, cutting or burning oneself (khud ko chot pahunchana, apne aap ko kaatna).",
        "(?:khud|khudko|apne aap|apneaap|apne ap|apne aapko)(?: ko)? (?:chot|nuksa?a?n|nuqsaa?n|zakhmi|ghayal|hurt|harm)(?: (?:pahunch|pohonch|pahuch|pohanch|pohoch|de|di|kar|laga)[a-z]*)?",
        "(?:khud|khudko|apne aap|apneaap|apne ap|apne aapko)(?: ko)? ~ (?:kaat|kat|jala|jalaa|maar|peet|noch)[a-z]*",
    ),
    _hi(
        "self_injury.nas_kaat",
        C.SELF_INJURY,
        "Cutting the veins or wrist (nas kaatna).",
        "{hi_vein} (?:ko )?(?:kaat|kat)[a-z]*",
        "(?:{hi_vein}|haath|hath) (?:ko )?(?:cut|slit) (?:ki|kiya|kiye|kar|kari|karne|kia)",
    ),
    _hi(
        "self_injury.blade",
        C.SELF_INJURY,
        "A blade drawn on the body, or cuts on an arm or thigh.",
        "blade ~ (?:chala|chal|kaat|kat|maar|laga|ghis|ragad)[a-z]*",
        "(?:haath|hath|baazu|bazu|kalai|wrist|arm|arms|jaangh|thigh|thighs|pet) (?:pe|par|mein|me|pr) (?:cuts?|kat|kaat|blade|zakhm|nishaa?n|jala)[a-z]*",
    ),
    _hi(
        "farewell.alvida",
        C.FAREWELL,
        "Farewells to everyone, last letters, possessions given away.",
        "(?:sab|sabko|sabse|sabhi|family|ghar(?: )?wa{1,2}lon|ghar(?: )?wa{1,2}lo|doston|dosto)(?: (?:ko|se))? (?:alvida|alwida|goodbye|good bye)",
        "(?:alvida|alwida|goodbye) (?:wali|vali|wala|vala|ka|ki|ke) (?:chitthi|chithi|chitti|khat|letter|note|msg|message|sandesh)",
        "(?:aa?khi?ri|antim) (?:chitthi|chithi|chitti|khat|salaam|alvida|alwida|sandesh)",
        "(?:cheeze?i?n?|chize?i?n?|saa?maa?n|kapde|kitabe?i?n|gehne|zewar|zevar|jewellery) ~ (?:baa?nt|daan)[a-z]*",
        "(?:wasiyat|vasiyat) (?:likh|bana)[a-z]*",
    ),
    _hi(
        "hopelessness.thak_gaya",
        C.HOPELESSNESS,
        "Tired of, fed up with, defeated by life (zindagi se thak gaya/gayi).",
        "(?:{hi_life}|jeene|jine|jeena|jina) se (?:thak|thakk|tang|haar|har|oob|ub|pareshan|bezaa?r|nafrat)[a-z]*(?: (?:aa )?(?:gaya|gayi|gai|gaye|gya|gyi|chuka|chuki))?",
    ),
    _hi(
        "hopelessness.no_hope",
        C.HOPELESSNESS,
        "No hope, no meaning, everything useless (koi umeed nahi, sab bekaar hai).",
        "(?:koi )?{hi_hope} (?:hi )?(?:nahi|nahin|nhi|nai|nahee|khatam|khatm|khtm|toot|tut|chali gayi|chhod di)[a-z]*",
        "koi (?:asha|aasha) (?:hi )?(?:nahi|nahin|nhi|nai|nahee)",
        "(?:sab|sab kuch|sabkuch|{hi_life}) (?:bekaa?r|vyarth|faltu|bakwaa?s|barbaa?d|tabaah|bematlab|be matlab) (?:hai|ho gaya|ho gayi|ho chuki|ho chuka|lagta|lagti|lag)[a-z]*",
        "(?:jee|ji)(?:ne|na) (?:ka|ki|mein|me) (?:koi )?(?:matlab|mtlb|maksad|maqsad|fayda|faida|wajah|vajah|reason|point|{hi_hope}) (?:hi )?(?:nahi|nahin|nhi|nai|nahee)",
        "{hi_life} (?:mein|me|ka|ki) (?:koi )?(?:matlab|mtlb|maksad|maqsad|fayda|faida|wajah|vajah|reason|point) (?:hi )?(?:nahi|nahin|nhi|nai|nahee)",
        "koi (?:fayda|faida|matlab|mtlb|maksad|maqsad|wajah|vajah|point) (?:hi )?(?:nahi|nahin|nhi) (?:hai )?(?:jee|ji)(?:ne|na)",
    ),
    _hi(
        "hopelessness.bojh",
        C.HOPELESSNESS,
        "Being a burden (bojh), or everyone better off without me (mere bina sab khush rahenge).",
        "(?:main|mai|mein|hum|khud|apne aap)(?: ko)? ~ (?:bojh|boj|bojha)",
        "(?:bojh|boj|bojha|burden) (?:hoon|hun|hu|ban gaya|ban gayi|ban chuka|ban chuki)",
        "mere bina ~ (?:khush|behtar|better|{hi_good}|sukhi|aa?raam)",
    ),
)

GENERIC: tuple[Entry, ...] = (
    _hi(
        "ideation.suicide_word",
        C.SUICIDAL_IDEATION,
        "Khudkushi and aatmhatya (suicide) in any spelling; rarely used figuratively.",
        "{hi_suicide}",
        "{hi_atmhatya}",
    ),
)

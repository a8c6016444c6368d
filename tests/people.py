"""Fictional profiles shared by the grader's tests (kept apart from data/ so tests stay stable)."""

MARIA = {
    "name": "Maria Lopez",
    "headline": "Head of Operations at Brightline Foods",
    "company": "Brightline Foods",
    "industry": "Food & Beverage",
    "interests": ["cold-chain logistics", "food safety", "lean operations"],
    "recent_activity": (
        "Posted about cutting spoilage in refrigerated trucks by 12% after switching to "
        "real-time temperature sensors."
    ),
    "about": "I run operations for a regional fresh-food distributor with 40 delivery routes.",
}

DANIEL = {
    "name": "Daniel Okafor",
    "headline": "Talent Acquisition Lead | Hiring nurses at Riverbend Health",
    "company": "Riverbend Health",
    "industry": "Hospital & Health Care",
    "interests": ["nurse recruiting", "candidate experience", "employer branding"],
    "recent_activity": "Announced that Riverbend Health is opening 30 new nursing positions.",
    "about": "",
}

PRIYA = {
    "name": "Priya Raman",
    "headline": "Founder at Coldwise Sensors",
    "company": "Coldwise Sensors",
    "offers": ["wireless temperature sensors for trucks", "spoilage alerts"],
}

GARY = {
    "name": "Gary Pruitt",
    "headline": "Owner at Pruitt Promotions",
    "company": "Pruitt Promotions",
    "offers": ["custom branded merchandise", "promotional pens and mugs"],
}

GOOD_TO_MARIA = """Hi Maria,

Congratulations on cutting spoilage by 12% with real-time temperature sensors; that is a big
result for a fresh-food fleet.

We build wireless sensors that send spoilage alerts to the driver's phone before a load warms up.
Would a short call next week to compare notes on your cold-chain setup be useful?

Best,
Priya"""

STORY_MESSAGE = """thank you for your continued support.

If there's anything else i can do for you, just let me know.

if you would like to order our custom pens and mugs at www.pruittpromo.com ,
- just let me know

thanks again.

Bob Harlan
(502) 555-0143"""

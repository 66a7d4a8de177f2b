"""This module tells a question about another council's inspection from one asked there.

The knowledge holds five councils' reports (Barking and Dagenham, Barnet, Cambridgeshire,
Kent and Medway) and the national frameworks. "What did Surrey's last ILACS say about their
front door" asks what another council's report found, which nothing here holds; "we're in
Surrey, how long is an ICPC" asks a national timescale, and is answered.
"""

from __future__ import annotations

import re

# England's other councils with children's services, as people name them. Left out: the
# five whose reports are held, and names that are everyday words ("reading", "bury",
# "slough").
OTHER_COUNCILS = frozenset(
    {
    "barnsley", "bath and north east somerset", "bcp", "bedford", "bexley", "birmingham",
    "blackburn with darwen", "blackpool", "bolton", "bournemouth christchurch and poole",
    "bracknell forest", "bradford", "brent", "brighton and hove", "bristol", "bromley",
    "buckinghamshire", "calderdale", "camden", "central bedfordshire", "cheshire east",
    "cheshire west and chester", "city of london", "cornwall", "coventry", "croydon",
    "cumberland", "cumbria", "darlington", "derby", "derbyshire", "devon", "doncaster",
    "dorset", "dudley", "durham", "ealing", "east riding of yorkshire", "east sussex",
    "enfield", "essex", "gateshead", "gloucestershire", "greenwich", "hackney", "halton",
    "hammersmith and fulham", "hampshire", "haringey", "harrow", "hartlepool", "havering",
    "herefordshire", "hertfordshire", "hillingdon", "hounslow", "hull", "isle of wight",
    "isles of scilly", "islington", "kensington and chelsea", "kingston upon hull",
    "kingston upon thames", "kirklees", "knowsley", "lambeth", "lancashire", "leeds",
    "leicester", "leicestershire", "lewisham", "lincolnshire", "liverpool", "luton",
    "manchester", "merton", "middlesbrough", "milton keynes", "newcastle", "newham", "norfolk",
    "north east lincolnshire", "north lincolnshire", "north northamptonshire",
    "north somerset", "north tyneside", "north yorkshire", "northamptonshire", "nottingham",
    "nottinghamshire", "oldham", "oxfordshire", "peterborough", "plymouth", "portsmouth",
    "redbridge", "redcar and cleveland", "richmond upon thames", "rochdale", "rotherham",
    "rutland", "salford", "sandwell", "sefton", "sheffield", "shropshire", "solihull",
    "somerset", "south gloucestershire", "south tyneside", "southampton", "southend",
    "southwark", "st helens", "staffordshire", "stockport", "stockton on tees",
    "stoke on trent", "suffolk", "sunderland", "surrey", "sutton", "swindon", "tameside",
    "telford and wrekin", "thurrock", "torbay", "tower hamlets", "trafford", "wakefield",
    "walsall", "waltham forest", "wandsworth", "warrington", "warwickshire", "west berkshire",
    "west northamptonshire", "west sussex", "westminster", "westmorland and furness", "wigan",
    "wiltshire", "windsor and maidenhead", "wirral", "wokingham", "wolverhampton",
    "worcestershire", "york",
    }
)  # fmt: skip
_NAME = (
    r"(?:"
    + "|".join(
        re.escape(n).replace(r"\ ", r"\s+") for n in sorted(OTHER_COUNCILS, key=len, reverse=True)
    )
    + r")"
)
# The council as the one whose inspection is asked about: its own ("surrey's last ilacs"),
# what it did or got ("did hampshire get", "essex got"), or its report, plan or judgement
# ("the birmingham improvement plan").
_RECORD_OF = re.compile(
    rf"\b{_NAME}['\u2019]?s\b"
    rf"|\bdid\s+{_NAME}\b"
    rf"|\b{_NAME}\s+(?:got|get|gets|were|was|had)\b"
    rf"|\b{_NAME}\s+(?:(?:last|latest|recent|new|own|improvement)\s+)?"
    r"(?:ilacs|jtai|report|reports|inspection|inspections|judgements?|grades?|letter|plan)\b",
    re.IGNORECASE,
)
_NAMED = re.compile(rf"\b({_NAME})(?:['\u2019]?s)?\b", re.IGNORECASE)


def another_councils_record(question: str, entry_text: str) -> bool:
    """Whether `question` asks about the inspection of a council whose report the knowledge
    does not hold, and the entry (`entry_text`, lower case) does not name that council."""
    if not _RECORD_OF.search(question):
        return False
    named = (" ".join(name.lower().split()) for name in _NAMED.findall(question))
    return any(not re.search(rf"\b{re.escape(name)}\b", entry_text) for name in named)

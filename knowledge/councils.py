"""This module tells a question about another council's inspection from one asked there.

The knowledge holds five councils' reports (Barking and Dagenham, Barnet, Cambridgeshire,
Kent and Medway) and the national frameworks. "What did Surrey's last ILACS say about their
front door" asks what another council's report found, which nothing here holds; "we're in
Surrey, how long is an ICPC" asks a national timescale, and is answered.
"""

from __future__ import annotations

import re

from knowledge.dates import MONTH_NAME, MONTHS

# England's other councils with children's services, as people name them. Left out: the
# five whose reports are held, names that are everyday words ("reading", "bury", "slough")
# and "bcp" (also a business continuity plan).
OTHER_COUNCILS = frozenset(
    {
    "barnsley", "bath and north east somerset", "bedford", "bexley", "birmingham",
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
    # Short names people use.
    "northumberland", "stoke", "brighton", "blackburn", "richmond", "kingston", "herts",
    "notts", "lancs", "rbkc",
    }
)  # fmt: skip


def _pattern(name: str) -> str:
    """`name` as typed: any spaces or hyphens between its words ("stoke-on-trent"), and
    "&" for "and" ("brighton & hove")."""
    words = [re.escape(w) for w in name.split()]
    joined = r"[\s-]+".join(words)
    return joined.replace(r"[\s-]+and[\s-]+", r"\s*(?:and|&)\s*")


_NAME = "(?:" + "|".join(_pattern(n) for n in sorted(OTHER_COUNCILS, key=len, reverse=True)) + ")"
# A council's name, its own ("hampshire's", "surreys"), but not a county's short form that
# ends in s ("north yorks", "derbys").
_NAMED = re.compile(rf"\b({_NAME})(?:['\u2019]s|s(?<!yorks)(?<!derbys))?\b", re.IGNORECASE)
# What an inspection found: its judgement, grade, report, letter or plan ("what did
# hampshire get in their jtai", "what did surreys last ilacs say").
_FOUND = re.compile(
    r"\b(?:got|get|gets|getting|give|gave|given|judged|judgements?|graded?|grades|rated"
    r"|ratings?|found"
    r"|findings?|say|said|says|outcomes?|results?|reports?|letter|improvement\s+plan"
    r"|recommend(?:ed|s|ations?)?"
    # "how did medway do at its first monitoring visit".
    r"|how\s+did\b[^?.!]*\bdo"
    # Or when its next one comes: "when is hertfordshire's next ilacs likely to be".
    r"|next\s+(?:ilacs|inspection|jtai|focused\s+visit|monitoring\s+visit))\b",
    re.IGNORECASE,
)
# Or what it had to send: "what date did croydon have to submit its action plan". (Asked of
# one of the five, the plan's deadline is in its report, whatever year it names.)
_ITS_PLAN = re.compile(r"\baction\s+plan\b", re.IGNORECASE)
# The first word of every name: a question with none of them needs no closer look.
_FIRST_WORDS = frozenset(n.split()[0] for n in OTHER_COUNCILS)
_WORD = re.compile(r"[a-z]+")


def another_councils_record(question: str, entry_text: str) -> bool:
    """Whether `question` asks what the inspection of a council whose report the knowledge
    does not hold found, and the entry (`entry_text`, lower case) does not name that
    council. The caller leaves alone a question that asks a timescale, notice or frequency:
    "how long do councils like hampshire get to send the annex a" asks the national one."""
    lowered = question.lower()
    words = set(_WORD.findall(lowered))
    if not words & _FIRST_WORDS and not {w.removesuffix("s") for w in words} & _FIRST_WORDS:
        return False
    if not _FOUND.search(lowered) and not _ITS_PLAN.search(lowered):
        return False
    named = (" ".join(re.split(r"[\s-]+", n)) for n in _NAMED.findall(lowered))
    return any(_names_apart(name, entry_text) for name in named)


def _names_apart(name: str, entry_text: str) -> bool:
    """Whether the entry does not name the council (however its words are joined)."""
    return not re.search(rf"\b{_pattern(name)}\b", entry_text)


# The five councils whose reports are held, each by what people name it with (words, and
# Barking and Dagenham's initials however spaced), and the year and month of its report:
# what an inspection after it found is in no report here.
HELD_COUNCILS = (
    (("kent", "kcc"), 2016, 7),
    (("barnet",), 2013, 11),
    (("cambridgeshire", "cambs"), 2014, 6),
    (("medway",), 2019, 9),
    (("barking", "dagenham", "lbbd", r"b\s?&\s?d", r"b\s?and\s?d"), 2019, 9),
)
# The names that are plain words, for checks that compare words.
HELD_COUNCIL_WORDS = frozenset(n for names, _, _ in HELD_COUNCILS for n in names if n.isalpha())
_HELD_REPORTS = tuple(
    (re.compile(r"\b(?:" + "|".join(names) + r")\b", re.IGNORECASE), year, month)
    for names, year, month in HELD_COUNCILS
)


def _held_councils_named(question: str) -> list[re.Pattern[str]]:
    """The names of the five councils that `question` uses, each as its pattern."""
    return [name for name, _, _ in _HELD_REPORTS if name.search(question)]


# What a council comes out of: "did they come out of inadequate", not "what came out of the
# meetings".
_LEFT_BEHIND = r"(?:inadequate|intervention|special\s+measures|requires\s+improvement|ri)"
# Asking what happened after the report: "its latest ilacs", "the sif in the end", "did they
# come out of inadequate at their next inspection", what a re-inspection found.
_LATER = re.compile(
    r"\b(?:latest|most\s+recent|in\s+the\s+end|eventually|finally|since\s+then"
    r"|(?:at|in)\s+(?:its|their|the)\s+re-?inspection"
    r"|(?:at|in)\s+(?:its|their|the)\s+next\s+(?:full\s+)?(?:inspection|ilacs|sif|one)"
    r"|(?:come|came|coming)\s+out\s+of\s+"
    + _LEFT_BEHIND
    # "what did kent end up getting", "their outcome when they were finally re-inspected",
    # "did medway get out of intervention after the re-inspection".
    + r"|end(?:ed|s)?\s+up"
    r"|when\s+(?:they|it)\s+(?:was|were)\s+(?:finally\s+)?re-?inspected"
    r"|when\s+(?:ofsted|inspectors)\s+(?:finally\s+)?re-?inspected"
    r"|(?:went|came|go)\s+back\s+(?:in\s+)?and\s+re-?inspected"
    r"|after\s+(?:the|their|its)\s+re-?inspection"
    r"|re-?inspection\s+(?:results?|outcomes?|grades?|judge?ments?)"
    r"|(?:results?|outcomes?)\s+of\s+(?:the|its|their)\s+re-?inspection)\b",
    re.IGNORECASE,
)
# "What did Ofsted find", "did they come out of inadequate": asked of a held council, a
# finding ("where do I find Hampshire's procedure" is not, so the other councils' check
# leaves these out).
_FIND = re.compile(r"\b(?:find|c[oa]me\s+out\s+of\s+" + _LEFT_BEHIND + r")\b", re.IGNORECASE)
# What a monitoring visit after the report found ("what did ofsted find at medway's first
# monitoring visit"), not what the report said of the visits to come.
_LATER_VISIT_FOUND = re.compile(
    r"(?:\b(?:find|found|findings?|got|get|outcomes?|results?|judged)|\bhow\s+did\b[^?.!]*\bdo)"
    r"\b[^?.!]*\b(?:first|second"
    r"|third|next|latest|last|later)\s+(?:quarterly\s+|ofsted\s+)?monitoring\s+visits?\b",
    re.IGNORECASE,
)
# What Medway's commissioner recommended or found: her report came after the council's.
_COMMISSIONERS_VIEW = re.compile(
    r"\b(?:commissioner|eleanor\s+brazil|mrs\s+brazil)\b[^?.!]*\b(?:recommend\w*|conclu\w+|found"
    r"|find|decid\w+|advis\w+)\b|\bwhat\s+did\s+(?:the\s+)?(?:commissioner|eleanor\s+brazil"
    r"|mrs\s+brazil)\b",
    re.IGNORECASE,
)
# The dates or results of a council's monitoring visits, which came after its report.
_ITS_VISITS = re.compile(
    r"\b(?:monitoring\s+visits?|mvs?)\s+(?:dates?|results?|outcomes?|findings?|letters?)\b"
    r"|\b(?:dates?|results?|outcomes?)\s+of\s+(?:the|its|their)\s+(?:monitoring\s+visits|mvs)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b20\d\d\b")
_MONTH_YEAR = re.compile(rf"\b({MONTH_NAME})\.?\s+(20\d\d)\b", re.IGNORECASE)
# What a document said or found, asked of one dated later in its report's own year ("what
# did the commissioner recommend in her 1 december 2019 report"), not a date the report
# itself gives ("was the commissioner's report due in december 2019").
_WHAT_IT_SAID = re.compile(
    r"\bwhat\s+did\b[^?.!]*\b(?:recommend|find|say|conclude|decide|tell)\b"
    r"|\bhow\s+did\b[^?.!]*\bdo\b",
    re.IGNORECASE,
)
_ILACS = re.compile(r"\bilacs\b", re.IGNORECASE)
# The year ILACS inspections began: a council's ILACS came after any report before it.
_ILACS_BEGAN = 2018
# Kent, Barnet and Cambridgeshire wrote while waiting for their SIF: what came after it
# ("did cambridgeshire get its notice lifted after the 2014 sif") is in no report here.
_SIF_ENDED = 2017
_AFTER_ITS_SIF = re.compile(
    r"\b(?:after|following|since)\s+(?:the|its|their)\s+(?:20\d\d\s+)?sif\b"
    # What it got there: "kent sif outcome?", "what did cambs get at its 2014 sif".
    r"|\bsif\s+(?:outcomes?|results?|grades?|judge?ments?|ratings?)\b"
    r"|\b(?:get|got|achieved?)\b[^?.!]*\b(?:at|in)\s+(?:its|their|the)\s+(?:20\d\d\s+)?sif\b"
    r"|\bsif\s+(?:inspection\s+)?(?:finally\s+)?(?:happened|took\s+place|came\s+round)\b",
    re.IGNORECASE,
)


def a_later_record(question: str) -> bool:
    """Whether `question` asks what an inspection of one of the five councils found after
    the report the knowledge holds ("what did kent get at its latest ilacs", "what did
    ofsted find at kent's SIF in 2017"): no report here says."""
    if _held_councils_named(question) and (
        _ITS_VISITS.search(question) or _COMMISSIONERS_VIEW.search(question)
    ):
        return True
    if not _FOUND.search(question) and not _FIND.search(question):
        return False
    years = [int(y) for y in _YEAR.findall(question)]
    for name, reported, month_reported in _HELD_REPORTS:
        if not name.search(question):
            continue
        if _LATER.search(question) or any(year > reported for year in years):
            return True
        if _LATER_VISIT_FOUND.search(question):
            return True
        if _WHAT_IT_SAID.search(question) and any(
            (int(found_year), MONTHS[month.lower()]) > (reported, month_reported)
            for month, found_year in _MONTH_YEAR.findall(question)
        ):
            return True
        if _ILACS.search(question) and reported < _ILACS_BEGAN:
            return True
        if _AFTER_ITS_SIF.search(question) and reported < _SIF_ENDED:
            return True
    return False


# How many children a council's services held, or how much casework it did: "how many
# children were on cp plans in medway at the time of the ilacs", "how many strategy
# discussions did b&d's mash hold". No report here gives a council's numbers; what the
# inspectors looked at is another matter ("how many cases did inspectors track", "how
# many children did kent audit a month").
_HOW_MANY_CHILDREN = re.compile(
    r"\bhow\s+many\s+(?:of\s+(?:the\s+|its\s+|their\s+|[\w&]+['\u2019]s?\s+))?(?:children|kids|young\s+people|yp|care\s+leavers|cla|lac|families"
    r"|referrals|contacts|strategy\s+discussions|strat\s+discussions|assessments|s47s"
    r"|(?:cp\s+|statutory\s+)?visits"
    r"|section\s+47s|cp\s+plans|social\s+workers|agency\s+(?:staff|workers)"
    r"|(?:social\s+worker\s+|sw\s+|staff\s+)?vacancies)\b",
    re.IGNORECASE,
)
_HELD_BY_SERVICES = re.compile(
    r"\b(?:on\s+(?:a\s+)?(?:cp|child\s+protection)\s+plans?|subject\s+to\s+(?:a\s+)?plans?"
    r"|in\s+care|looked\s+after|leaving\s+care|care\s+leavers"
    # Or how many were done on time: "how many of cambs' cp visits were within timescale".
    r"|(?:within|in|out\s+of)\s+(?:statutory\s+)?timescales?|on\s+time|overdue|late"
    r"|(?:did|does)\s+\S+(?:\s+\S+){0,3}"
    r"\s+(?:have|support|look\s+after|hold|receive|get|complete|employ|do))\b",
    re.IGNORECASE,
)
_LOOKED_AT = re.compile(
    r"\b(?:audit\w*|sampl\w*|track\w*|select\w*|look(?:ed)?\s+at|files?|inspectors?"
    r"|deep\s+dive|face\s+to\s+face|each\s+month|a\s+month|per\s+month)\b",
    re.IGNORECASE,
)


# Children counted by what holds them: "how many cla in barking and dagenham".
_HOW_MANY_HELD = re.compile(
    r"\bhow\s+many\s+(?:cla|lac|looked\s+after\s+children|children\s+in\s+care|care\s+leavers"
    r"|children\s+on\s+(?:cp|child\s+protection)\s+plans|cp\s+plans|cin)\b",
    re.IGNORECASE,
)


def a_councils_numbers(question: str) -> bool:
    """Whether `question` asks how many children one of the five councils' services held,
    which none of their reports says."""
    return bool(
        _HOW_MANY_CHILDREN.search(question)
        and (_HELD_BY_SERVICES.search(question) or _HOW_MANY_HELD.search(question))
        and not _LOOKED_AT.search(question)
        and bool(_held_councils_named(question))
    )


# How big an inspection team one of the five had: only an answer that counts the
# inspectors says ("how many inspectors did ofsted send to b&d" is not answered by its
# report's dates and judgements; Barnet's summary does give seven).
_HOW_MANY_INSPECTORS = re.compile(
    r"\bhow\s+many\s+(?:ofsted\s+)?(?:inspectors|hmis?|inspection\s+staff)\b", re.IGNORECASE
)
_COUNTED_INSPECTORS = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:(?:ofsted|social|care|lead|senior|quality|assurance|more|other|cqc|schools?|police)\s+)"
    r"{0,3}(?:inspectors|hmis?)\b",
    re.IGNORECASE,
)


def an_uncounted_team(question: str, answer: str) -> bool:
    """Whether `question` asks how many inspectors one of the five councils had and
    `answer` does not count them for it (a national figure is no council's team)."""
    if not _HOW_MANY_INSPECTORS.search(question):
        return False
    asked = _held_councils_named(question)
    return bool(asked) and not (
        _COUNTED_INSPECTORS.search(answer) and any(name.search(answer) for name in asked)
    )


# What a council's own review of itself graded: "what grade did barnet's mock inspection give
# them", "what percentage of kent's audits were graded good", "how many of the 12 cases were
# judged to have a good transition". The reports say what the reviews were and what they
# looked at, never their grades. (How many were audited, or how many of them face to face,
# they do say.)
_OWN_REVIEW = re.compile(
    r"\b(?:mock\s+inspections?|audits?|peer\s+reviews?|deep\s+dives?|self[\s-]?assessments?"
    r"|case\s+reviews?|dip\s+samples?)\b",
    re.IGNORECASE,
)
_ITS_RESULTS = re.compile(
    r"\b(?:what\s+(?:grade|rating|judgement|score|result)s?|graded|rated"
    r"|judged\s+(?:to\s+be\s+|as\s+)?(?:good|outstanding|inadequate|requires|ri|to\s+have))\b",
    re.IGNORECASE,
)


def a_reviews_results(question: str) -> bool:
    """Whether `question` asks the grades that one of the five councils' own audits, mock
    inspection or peer reviews gave, which none of their reports states."""
    return bool(
        _OWN_REVIEW.search(question)
        and _ITS_RESULTS.search(question)
        and bool(_held_councils_named(question))
    )

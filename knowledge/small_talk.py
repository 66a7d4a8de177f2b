"""This module recognises small talk: greetings, thanks, sign-offs, emoji, a lone mention.

None of it is a framework question, so it gets a short friendly answer, and is neither
searched nor passed to the coordinators as a question the bot could not answer.

A message is small talk when every word of it is read as part of a pleasantry ("morning
all, hope you're well", "cheers for that!", "ta very much", "sorry wrong chat") and at least
one of them says which kind it is. One word that is not ("hi, how long for an ICPC?") makes
it a question.
"""

from __future__ import annotations

import re
from enum import StrEnum
from itertools import pairwise

# People type the bot's name as well as mentioning it: "@Inspection Ready thanks".
_TYPED_NAME = re.compile(r"^\s*(?:@\s*)?inspection[\s-]*ready\b[\s,:;.!-]*", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")
# Emoticons typed as text: ":)", ";-)", ":D", ":P", "<3", "^_^", "(y)".
_EMOTICON = re.compile(
    r"(?<![a-z0-9])(?:[:;=][-'^o]?[)(\]\[dDpPoO3/\\|*sSxX@]+|<3+|\^[_.-]?\^|\([yY]\))",
)


class SmallTalk(StrEnum):
    """What kind of small talk a message is, each with the answer it gets."""

    GREETING = (
        "Hello! Ask me about the inspection frameworks or statutory timescales, or type "
        "'help' to see what else I can do."
    )
    THANKS = "You're welcome. Ask me any time."
    ACKNOWLEDGED = "Glad that helped. Anything else, just ask."
    FAREWELL = "Bye for now. I'm here whenever you need me."
    DISMISSED = "No problem. I'm here whenever you need me."
    ABOUT = (
        "I'm Inspection Ready, an automated assistant, not a person. I answer questions "
        "about the inspection frameworks and statutory timescales, with the source of each "
        "answer, and show you your actions and audits. Type 'help' to see everything I can do."
    )
    MISSED = (
        "Sorry that did not help. Try asking it in other words, or press 'Not helpful' on "
        "the answer so that the coordinators see it."
    )


# Words and phrases that say what kind of small talk a message is. Phrases are matched
# longest first, so "good morning" is a greeting and "good" alone an acknowledgement.
_MARKS: dict[SmallTalk, tuple[str, ...]] = {
    SmallTalk.THANKS: (
        "thanks", "thank", "thankyou", "thanku", "thanx", "thnx", "thnks", "thx", "ty",
        "tysm", "ta", "cheers", "appreciate", "appreciated", "much appreciated", "grateful",
        "lifesaver", "life saver", "you're a star", "youre a star", "star", "legend",
        "you're a legend", "youre a legend", "nice one", "top man", "top woman", "tyvm",
        "kindly", "muchly", "obliged", "much obliged", "thanks a million", "thanks a bunch",
        "bless you", "bless", "gem", "you're a gem", "youre a gem", "ur a star",
        "ur a legend", "ur a gem", "cheers bud", "cheers pal", "you are a star",
        "you are a legend", "you are a gem", "you are a lifesaver",
    ),
    SmallTalk.FAREWELL: (
        "bye", "byee", "goodbye", "bye bye", "cya", "see ya", "see you", "later", "laters",
        "goodnight", "good night", "night night", "nite", "speak soon", "speak tomorrow",
        "speak later", "talk soon", "talk later", "catch you later", "ttyl", "take care",
        "have a good weekend", "have a nice weekend", "have a good one", "have a good day",
        "have a nice day", "have a lovely weekend", "have a great weekend",
        "have a good evening", "enjoy your weekend", "enjoy the weekend", "signing off",
        "logging off", "im off", "i'm off",
    ),
    SmallTalk.GREETING: (
        "hi", "hii", "hiii", "hello", "helo", "hellooo", "hey", "heya", "hiya", "hia", "yo",
        "howdy", "morning", "mornin", "afternoon", "evening", "good morning",
        "good afternoon", "good evening", "gm", "greetings", "hope you're well",
        "hope youre well", "hope you are well", "hope you're ok", "hope you are ok",
        "hope all is well", "hope you're keeping well", "how are you", "how are u",
        "how r u", "how are you doing", "how you doing", "how's it going", "hows it going",
        "how are things", "hows things", "how's things", "you ok", "you alright",
        "alright", "happy monday", "happy friday", "friday at last", "finally friday",
        "its friday", "it's friday", "tgif", "weekend at last", "nearly the weekend",
        "happy new year", "merry christmas",
        "happy christmas", "happy easter", "hey there", "good day", "having a good day",
        "hope you're having a good day", "hope youre having a good day",
        "hope you are having a good day", "hope your day is going well",
        "hope you had a good weekend", "good weekend",
        "hope you had a nice weekend", "hope you had a lovely weekend",
        "hope you had a good break", "hope you had a nice break", "hope your weekend was good",
        "how was your weekend", "how was the weekend", "nice weekend", "quick one",
        "quick question",
        "random q", "random question", "random one", "sorry for the random q",
        "sorry for the random question", "sorry for the random one",
        "i have a question", "i've got a question", "ive got a question", "got a question",
        "question for you", "can i ask you something", "can i ask you a question",
        "can i ask a question", "can you help", "can you help me", "test", "testing",
        "test message", "just testing",
        # How the day is going, said on the way in.
        "long day", "long day ahead", "long day of visits", "long day of visits ahead",
        "busy day", "busy day ahead", "busy day of visits", "busy week", "long week",
        "manic day", "mad day", "what a day", "what a week", "day of visits ahead",
        "it's been a long week", "its been a long week", "it's been a long day",
        "its been a long day", "been a long week", "been a long day", "long week on duty",
        "long day on duty", "on duty", "on duty today",
        # New to it, or back at it ("first day in the mash" is read as "first day").
        "first day", "first week", "first time using this", "first time using you",
        "first time here", "first time", "new here", "im new", "i'm new", "im new here",
        "i'm new here", "just trying this out", "trying this out", "trying you out",
        "my inbox is a nightmare", "inbox is a nightmare", "my inbox is mad",
        "inbox is mad", "so many emails",
        *(
            f"{opening}{how} {span} of {what}"
            for opening in ("", "a ", "been a ", "its been a ", "it's been a ")
            for how in ("long", "busy")
            for span in ("day", "week")
            for what in ("audits", "meetings", "court", "duty", "reviews", "conferences")
        ),
    ),
    SmallTalk.ACKNOWLEDGED: (
        "ok", "okay", "okey", "okie", "k", "kk", "cool", "great", "nice", "got it", "fine",
        "noted", "sure", "right", "perfect", "excellent", "lovely", "brill", "brilliant",
        "yes", "yep", "yeah", "yup", "no worries", "sound", "grand", "will do", "good",
        "lol", "haha", "hahaha", "hehe", "ha", "ace", "gotcha", "understood", "np", "wow",
        "awesome", "amazing", "super", "fab", "fabulous", "wonderful", "fantastic", "spot on",
        "makes sense", "that makes sense", "all good", "that's fine", "thats fine",
        "fair enough", "xd", "lmao", "oh", "ah", "aha", "ooh", "mmm", "hmm", "helpful",
        "useful", "wicked", "lush", "cracking", "superb", "marvellous", "champion", "sorted",
        "ideal", "handy", "good to know", "interesting", "thumbs up", "okey dokey",
        "okie dokie", "righto", "alrighty", "phew", "exactly what i needed",
        "just what i needed", "what i needed", "that helps", "that helped", "good bot",
        "great stuff", "good stuff", "lovely stuff", "smashing",
        "that was quick", "that was fast", "you're quick", "youre quick", "you're fast",
        "youre fast", "quick response", "fast response", "speedy response",
    ),
    # Taking a message back: a slip, a wrong chat.
    SmallTalk.DISMISSED: (
        "oops", "whoops", "woops", "my bad", "ignore that", "ignore me", "ignore this",
        "ignore the above", "never mind", "nevermind", "nvm", "wrong chat", "wrong window",
        "wrong person", "wrong group", "sent that to the wrong chat", "didnt mean to send that",
        "didn't mean to send that", "sorry",
    ),
    # About the bot itself: who or what it is.
    SmallTalk.ABOUT: (
        "who are you", "what are you", "are you a bot", "are you a robot", "are you human",
        "are you a human", "are you a person", "are you a real person", "is this a bot",
        "is this a real person", "is this ai", "are you ai", "are you an ai", "whats your name",
        "what's your name", "what is your name", "how do you work", "what do you know",
        "what can you help with", "what can you help me with", "what can i ask",
        "what can i ask you", "what can you do", "what do you do",
        "what sort of things can you help with", "what sort of things can you help me with",
        "what kind of things can you help with", "what kind of things can you help me with",
        "what sort of things can you do", "what kind of things can you do",
        "what sort of questions can i ask", "what kind of questions can i ask",
        "what questions can i ask", "are you an actual person", "are you a real human",
        "are you an actual human", "are you real", "is this a person", "is this a human",
        "am i talking to a bot", "am i talking to a person", "am i talking to a real person",
        "am i talking to a human", "who made you", "who built you", "who created you",
        "who designed you", "who owns you", "who runs you",
        # Asked for a joke: what it is, and what it is for, is the answer.
        "tell me a joke", "tell us a joke", "know any jokes", "do you know any jokes",
        "got any jokes", "say something funny",
        # After "is this a bot": "... or a person?"
        "or a person", "or a human", "or a real person", "or person", "or human", "or a bot",
        "or a robot", "or ai", "or an ai",
        # "... or is someone actually reading these?"
        "is someone reading these", "is someone reading this", "is anyone reading these",
        "is anyone reading this", "does anyone read these", "does someone read these",
        "is a person reading these", "is a human reading these", "is a real person reading",
        "is someone actually reading these", "is anyone actually reading these",
        "is someone actually reading this", "is anyone actually reading this",
    ),
    # The last answer missed: said plainly rather than with the card's button.
    SmallTalk.MISSED: (
        "not helpful", "unhelpful", "that didn't help", "didn't help", "didnt help",
        "doesn't help", "doesnt help", "not what i asked", "not what i meant",
        "not what i was asking", "that's not it", "thats not it", "that's not right",
        "thats not right", "wrong answer", "that's wrong", "thats wrong", "useless",
        "rubbish", "you're useless", "youre useless", "didn't answer my question",
        "didnt answer my question", "doesn't answer my question", "doesnt answer my question",
        "that doesn't answer it", "that doesnt answer it", "not quite", "no that's not it",
    ),
}  # fmt: skip
# Words that go with a pleasantry without changing what it is: "cheers for that, really
# helpful", "thanks so much for your help", "morning all". None of them is a mark.
_FILLER = """
    you u ya ye all everyone everybody team there folks guys bot mate hun love
    so very much really a lot loads lots many for that this it the your that's thats
    is was help info information answer answers reply quick speedy
    and too again as always just then now yet still today x xx xxx
    oh ah well hope i i'm im we me my our ur but though or you're youre soo sooo soooo
    honestly seriously genuinely truly literally absolutely actually
"""
# The bot's own name anywhere in the message ("hey inspection ready").
_BOT_NAME = ("inspection ready", "inspectionready")
# "You there?", "is this thing on?": asking whether anyone is listening, not a question.
_PRESENCE = (
    "you there", "u there", "are you there", "r u there", "anyone there", "anybody there",
    "anyone around", "is anyone there", "are you working", "are you awake", "are you on",
    "are you alive", "is this thing on", "is this working", "is it working", "still there",
    "are you still there", "are you about", "you about", "you awake", "u awake",
    "anyone awake", "you up", "you around", "u around", "are you around", "you in",
)  # fmt: skip
# Small talk is short. Every word must be a pleasantry anyway, so this only stops a long
# run of them (a pasted greeting card) being taken for one.
MAX_WORDS = 14
# A name after a greeting or thanks ("Thanks Jo!", "Hi Sam"), when the message is this short.
MAX_WORDS_WITH_NAME = 4
# What the thanks were for ("... for the board paper"), at most this many words.
MAX_WORDS_FOR_WHAT = 6
# A verb before its subject asks something: "is it", "do we", "should they".
_ASKING_PAIRS = frozenset(
    (verb, subject)
    for verb in ("is", "are", "was", "do", "does", "did", "can", "should", "will", "would")
    for subject in ("it", "they", "we", "i", "you", "that", "this", "there", "he", "she")
)
# Chat spellings read as the words they stand for: "are u a real person", "r u there".
_CHAT_SPELLINGS = {"u": "you", "r": "are", "ya": "you", "v": "very"}
# Which team someone is in, or writes from, changes no pleasantry: "hi from the qa team",
# "r u a bot or a real person in the qa team?".
_TEAM = re.compile(r"\b(?:in|from|on)\s+(?:the\s+|our\s+)?(?:[a-z&]+\s+){0,2}team\b")
# Where or after what a first day is ("first day in the mash", "first day back after
# leave"): it is still a first day.
_FIRST_DAY = re.compile(
    r"\b(first\s+(?:day|week))(?:\s+back|\s+here)?(?:\s+(?:after|from)\s+(?:my\s+|the\s+)?"
    r"(?:annual\s+|maternity\s+|sick\s+)?(?:leave|holiday|holidays|break))?"
    r"(?:\s+(?:in|at|on|with)\s+(?:the\s+)?[a-z&]+(?:\s+team)?)?"
)
# Asking for a joke, whatever is said round it ("tell me a joke about ofsted, need cheering
# up"): what the bot is, and what it is for, answers it, unless a question comes with it.
_JOKE = re.compile(
    r"\b(?:tell\s+(?:me|us)\s+a\s+joke|know\s+any\s+jokes|got\s+any\s+jokes"
    r"|say\s+something\s+funny|cheer\s+(?:me|us)\s+up)\b"
)
# What opens the part of a thanks that says what it helped with.
_WHAT_FOR = (
    ("for",),
    # "thanks, that's sorted my board paper".
    ("sorted",),
    ("helped", "with"),
    *((saved, who) for saved in ("saved", "saves", "saving") for who in ("me", "us")),
)
_QUESTION_WORDS = frozenset(
    {"what", "whats", "when", "whens", "how", "hows", "who", "which", "why", "where", "and"}
)
# A complaint outranks the thanks it is wrapped in ("thanks but that didn't help"); what
# the bot is outranks a greeting before it ("hi, are you a bot?").
_PRIORITY = (
    SmallTalk.MISSED,
    SmallTalk.THANKS,
    SmallTalk.FAREWELL,
    SmallTalk.ABOUT,
    SmallTalk.GREETING,
    SmallTalk.DISMISSED,
    SmallTalk.ACKNOWLEDGED,
)
# Kinds that still count with a question mark: greetings and presence checks ("you
# there?"), and questions about the bot ("are you a bot?").
_ASKED_KINDS = (None, SmallTalk.GREETING, SmallTalk.ABOUT)
_WAVE = "\N{WAVING HAND SIGN}"
_TITLE_WORD = re.compile(r"\b[A-Z][a-z']+\b")

Phrases = dict[tuple[str, ...], SmallTalk | None]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(phrase.lower()))


# Every phrase and the kind it marks (None for filler), for a message without a question
# mark; with one, only greetings and presence checks ("you there?", "how are you?") count.
_PHRASES: Phrases = {
    **{_key(w): None for w in _FILLER.split()},
    **{_key(n): None for n in _BOT_NAME},
    **{_key(p): kind for kind in reversed(_PRIORITY) for p in _MARKS[kind]},
    **{_key(p): SmallTalk.GREETING for p in _PRESENCE},
}
_ASKED: Phrases = {k: v for k, v in _PHRASES.items() if v in _ASKED_KINDS}
_LONGEST = max(len(k) for k in _PHRASES)


def strip_typed_name(text: str) -> str:
    """The message without a typed "@Inspection Ready" in front of it."""
    return _TYPED_NAME.sub("", text, count=1)


def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk `text` is, or None if it is (or may be) a real question."""
    named = strip_typed_name(text)
    rest = _EMOTICON.sub(" ", named).replace("\u2019", "'")
    lowered = _FIRST_DAY.sub(r"\1", _TEAM.sub(" ", rest.lower()))
    words = [_CHAT_SPELLINGS.get(w, w) for w in _WORD.findall(lowered)]
    if not words:
        # Nothing but emoji, emoticons or the bot's name: a thumbs-up, a wave, a mention.
        if not named.strip() or _WAVE in named:
            return SmallTalk.GREETING
        return SmallTalk.ACKNOWLEDGED
    if len(words) > MAX_WORDS:
        return None
    # "ok?" or "thanks?" doubts the last answer; "you there?" only checks for a listener.
    phrases = _ASKED if "?" in rest else _PHRASES
    kinds = _kinds(words, phrases)
    if not kinds and len(words) <= MAX_WORDS_WITH_NAME:
        kinds = _kinds_with_name(rest, words, phrases)
    if not kinds and "?" not in rest:
        kinds = _thanks_for_something(words)
    if not kinds and _JOKE.search(lowered) and not _QUESTION_WORDS & set(words) - {"and"}:
        kinds = {SmallTalk.ABOUT}
    return next((kind for kind in _PRIORITY if kind in kinds), None)


def _kinds(words: list[str], phrases: Phrases) -> set[SmallTalk]:
    """The kinds of small talk marked in `words`, if every word is part of a phrase in
    `phrases`; empty if any word is not, or none says its kind."""
    kinds: set[SmallTalk] = set()
    position = 0
    while position < len(words):
        for length in range(min(_LONGEST, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            if key in phrases:
                if (kind := phrases[key]) is not None:
                    kinds.add(kind)
                position += length
                break
        else:
            return set()
    return kinds


def _thanks_for_something(words: list[str]) -> set[SmallTalk]:
    """Thanks or praise for what it helped with: "thanks, exactly what I needed for the
    board paper", "thats brill, saved me digging through the procedures". Only thanks and
    acknowledgements, and only before a "for" (or "saved me") that asks nothing: "thanks,
    and how long is an assessment" stays a question."""
    openings = [
        (start, start + len(opening))
        for start in range(1, len(words))
        for opening in _WHAT_FOR
        if tuple(words[start : start + len(opening)]) == opening
    ]
    if not openings:
        return set()
    start, end = max(openings)
    what_for = words[end:]
    if len(what_for) > MAX_WORDS_FOR_WHAT or _QUESTION_WORDS & set(what_for):
        return set()
    if any(pair in _ASKING_PAIRS for pair in pairwise(what_for)):
        return set()  # "thanks for that is it 15 days": a question put after the thanks
    return _kinds(words[:start], _PHRASES) & {SmallTalk.THANKS, SmallTalk.ACKNOWLEDGED}


def _kinds_with_name(rest: str, words: list[str], phrases: Phrases) -> set[SmallTalk]:
    """Thanks or a greeting addressed by name: "Thanks Jo!", "morning Priya"."""
    names = [w.lower() for w in _TITLE_WORD.findall(rest) if (w.lower(),) not in _PHRASES]
    if len(names) != 1:
        return set()
    kinds = _kinds([w for w in words if w != names[0]], phrases)
    return kinds if kinds & {SmallTalk.THANKS, SmallTalk.GREETING} else set()

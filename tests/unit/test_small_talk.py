"""Small talk: the many ways people greet, thank and sign off, and the questions that are not."""

from __future__ import annotations

import time

import pytest

from knowledge.small_talk import SmallTalk, small_talk

SMALL_TALK: dict[SmallTalk, list[str]] = {
    # Greetings, and asking whether anyone is there.
    SmallTalk.GREETING: [
        "hi",
        "Good morning all",
        "morning! long day of visits ahead 😩",
        "@Inspection Ready hello",
        "@Inspection Ready",
        "Inspection Ready",
        "hello?",
        "Hi there",
        "hey!",
        "heya",
        "Hello team",
        "good morning everyone",
        "Morning all, hope you're well",
        "afternoon folks",
        "evening",
        "@Inspection Ready hi",
        "@Inspection Ready good morning!",
        "hey, how are you?",
        "how's it going?",
        "hope all is well",
        "Hi Sam",
        "morning Priya 🙂",
        "happy friday!",
        "you there?",
        "anyone there?",
        "are you still there?",
        "morning! you awake?",
        "you around?",
        "hi 👋",
        "hi from the audit team",
        "👋",
        "",
        "hey inspection ready",
        "good afternoon Inspection Ready",
        "hi there, hope you're having a good day",
        "morning! quick one",
        "can I ask you a question?",
        "test",
        "testing 123",
    ],
    # Thanks, however put.
    SmallTalk.THANKS: [
        "thanks!",
        "Thank you so much",
        "cheers",
        "thanks",
        "Thank you!",
        "thank u",
        "ta v much, that's sorted it 🙏",
        "thankyou so much",
        "thanks a lot",
        "thanks loads, really helpful",
        "cheers for that!",
        "cheers mate",
        "ta",
        "ta very much 🙂",
        "thx",
        "ty :)",
        "much appreciated",
        "appreciate it",
        "nice one, thanks",
        "you're a star",
        "legend, thank you x",
        "Thanks Jo!",
        "thanks for your help",
        "brilliant thank you 😊",
        "that's great, thanks",
        "perfect thanks",
        "ta muchly",
        "thank you kindly",
        "much obliged",
        "wicked cheers",
        "ur a star",
        "thanks, that's exactly what I needed for the board paper",
        "cheers for the icpc answer",
        "thanks thats brill, saved me digging through the procedures",
        "cheers, saved me a job",
        "you're a lifesaver 🙏",
        "ur a lifesaver honestly",
        "you are a star",
    ],
    # Signing off.
    SmallTalk.FAREWELL: [
        "bye",
        "bye bye",
        "see you later",
        "speak soon",
        "night night",
        "take care",
        "have a good weekend!",
        "have a good one",
        "logging off now, bye all",
    ],
    # Acknowledgements, and emoji on their own.
    SmallTalk.ACKNOWLEDGED: [
        "ha that was quick",
        "👍",
        "🙏🙏",
        "ok great",
        "👍",
        "👍👍",
        "🙏",
        ":)",
        ":-)",
        ";)",
        ":D",
        "<3",
        "(y)",
        "ok",
        "okay cool",
        "got it",
        "no worries",
        "lol",
        "haha ok",
        "makes sense",
        "fair enough",
        "great 👍",
        "really helpful",
        "perfect, exactly what I needed",
        "good to know",
        "good bot",
        "great stuff",
    ],
    # A message taken back.
    SmallTalk.DISMISSED: [
        "sorry wrong chat",
        "oops ignore that",
        "my bad, wrong window",
        "never mind",
        "sorry!",
    ],
    # What the bot is.
    SmallTalk.ABOUT: [
        "who are you?",
        "are you a bot?",
        "is this a bot or a person?",
        "are you a real person",
        "what's your name",
        "hi, what can I ask you?",
        "What sort of things can you help me with?",
        "are you an actual person or a bot",
        "am i talking to a human?",
        "are u a real person or a bot?",
        "who made you",
        "r u a bot or is someone actually reading these lol",
        "r u a bot or a real person in the qa team?",
        "tell me a joke, it's been a long week on duty",
        "tell me a joke, it's been a long week of audits",
    ],
    # The last answer missed, said in words.
    SmallTalk.MISSED: [
        "that didn't help",
        "thanks but that didn't answer my question",
        "not what I asked",
        "wrong answer",
        "you're useless",
        "hmm not quite",
    ],
}


@pytest.mark.parametrize(
    ("text", "kind"), [(text, kind) for kind, texts in SMALL_TALK.items() for text in texts]
)
def test_small_talk_is_recognised(text: str, kind: SmallTalk) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "hi what is the icpc timescale",
        "thanks, and how long is a c&f assessment",
        "ok so when is the first core group",
        "annex a",
        "hi, how long for an icpc?",
        "hi how long is a c&f assessment",
        "morning all, when is the first core group due",
        "thanks - and the rcpc?",
        "cheers, what about the second lac review",
        "Hi Sam, what is a jtai",
        "hello, can you tell me about annex a",
        "ok so how often are lac reviews",
        "good morning, how much notice for a focused visit?",
        "is that right?",
        "ok?",
        "thanks?",
        "help",
        "hi ICPC",
        "are you there on a monitoring visit?",
        "take care proceedings timescale",
        "care leavers",
        "bye the way, how often are pathway plans reviewed",
        "what do you know about annex a",
        "testing the icpc timescale",
        "is it wrong to hold the icpc after 15 working days",
        "who are the inspectors on a jtai",
        "inspection ready for ilacs?",
        "thanks for that, how long is the rcpc",
        "cheers for the icpc timescale and the rcpc",
        "thanks, and what is the timescale for",
        # A question put after the thanks, in the words a question's verb comes first in.
        "thanks for that is it 15 days",
        "cheers for the info, do we need to log it",
        "saved me - when is the icpc",
        "honestly, how long is an icpc",
        "long day - how long is an icpc",
        "actually how long is an icpc",
        "is anyone reading these complaints about the icpc",
        "how long for the audit team",
        "is the qa team a bot",
        "tell me about the jtai",
    ],
)
def test_questions_that_start_politely_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None


def test_a_long_run_of_spaces_is_read_in_time() -> None:
    started = time.perf_counter()
    assert small_talk(" " * 50_000 + "hi") is SmallTalk.GREETING
    assert time.perf_counter() - started < 0.5

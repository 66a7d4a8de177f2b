"""Small talk: the many ways people greet, thank and sign off, and the questions that are not."""

from __future__ import annotations

import pytest

from knowledge.small_talk import SmallTalk, small_talk


@pytest.mark.parametrize(
    "text",
    [
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
        "hi 👋",
        "👋",
        "",
    ],
)
def test_greetings_are_recognised(text: str) -> None:
    assert small_talk(text) is SmallTalk.GREETING


@pytest.mark.parametrize(
    "text",
    [
        "thanks",
        "Thank you!",
        "thank u",
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
    ],
)
def test_thanks_are_recognised(text: str) -> None:
    assert small_talk(text) is SmallTalk.THANKS


@pytest.mark.parametrize(
    "text",
    [
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
)
def test_sign_offs_are_recognised(text: str) -> None:
    assert small_talk(text) is SmallTalk.FAREWELL


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_acknowledgements_and_emoji_are_recognised(text: str) -> None:
    assert small_talk(text) is SmallTalk.ACKNOWLEDGED


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_questions_that_start_politely_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None

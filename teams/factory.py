"""This module builds the edge for the SDK the settings name."""

from __future__ import annotations

from enum import StrEnum

from teams.types import Credentials, Edge


class Sdk(StrEnum):
    """The SDKs the service runs on (INSPECTION_READY_SDK)."""

    BOTBUILDER = "botbuilder"
    AGENTS = "agents"


def create_edge(sdk: Sdk, credentials: Credentials) -> Edge:
    """The edge on `sdk`; only that SDK is imported."""
    if sdk is Sdk.AGENTS:
        from teams.agents.edge import AgentsEdge  # noqa: PLC0415 - load only the SDK in use

        return AgentsEdge(credentials)
    from teams.botbuilder.edge import BotbuilderEdge  # noqa: PLC0415 - as above

    return BotbuilderEdge(credentials)

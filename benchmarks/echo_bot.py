"""A bare echo bot on one SDK, as the SDK's own samples write it: the chat-turn baseline.

Usage: python -m benchmarks.echo_bot --sdk botbuilder|agents --port P

No authentication (as the service on a developer's machine), one reply per message with
the text it got, through the SDK's CloudAdapter and its aiohttp integration.
"""

from __future__ import annotations

import argparse
from typing import Any

from aiohttp import web


def botbuilder_app() -> web.Application:
    """botbuilder 4.17's echo sample."""
    from botbuilder.core import ActivityHandler, TurnContext  # noqa: PLC0415
    from botbuilder.integration.aiohttp import (  # noqa: PLC0415
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    class Settings:
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    class EchoBot(ActivityHandler):  # type: ignore[misc]
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Settings()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await adapter.process(request, bot)
        return response

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def agents_app() -> web.Application:
    """The Microsoft 365 Agents SDK's echo sample (ActivityHandler form)."""
    from microsoft_agents.activity.turn_context_protocol import (  # noqa: PLC0415
        TurnContextProtocol,
    )
    from microsoft_agents.authentication.msal import MsalConnectionManager  # noqa: PLC0415
    from microsoft_agents.hosting.aiohttp import CloudAdapter  # noqa: PLC0415
    from microsoft_agents.hosting.core import (  # noqa: PLC0415
        ActivityHandler,
        AgentAuthConfiguration,
    )

    class EchoAgent(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContextProtocol[Any]) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    configuration = AgentAuthConfiguration(anonymous_allowed=True)
    connections = MsalConnectionManager(
        connections_configurations={"SERVICE_CONNECTION": configuration}
    )
    adapter = CloudAdapter(connection_manager=connections)
    agent = EchoAgent()

    async def messages(request: web.Request) -> Any:
        return await adapter.process(request, agent)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", choices=["botbuilder", "agents"], required=True)
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    app = botbuilder_app() if arguments.sdk == "botbuilder" else agents_app()
    web.run_app(app, host="127.0.0.1", port=arguments.port, print=None, access_log=None)


if __name__ == "__main__":
    main()

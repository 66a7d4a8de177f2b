"""Fakes of Microsoft Graph and the Microsoft identity platform: real HTTPS servers.

They answer as the real services do for the requests proactive installation makes, and
refuse what the real ones would refuse: a token request without the client-credentials
grant, the right client and secret and Graph's scope; a Graph request without a token the
identity platform issued; an install whose body does not bind a catalogue app. MSAL only
accepts https authorities, so both are served over TLS with a certificate from a CA made
for the test, which SSL_CERT_FILE and REQUESTS_CA_BUNDLE point at.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import itertools
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from teams.graph import GRAPH_SCOPE
from teams.types import GraphConfig

TENANT = "8f1c2a30-5d4e-4b6f-9a7c-1e2d3f4a5b6c"
CLIENT_ID = "7c1f6a0e-3b5d-4e2a-9f68-2d4b8e1c0a93"
CLIENT_SECRET = "a-client-secret-nobody-may-see"
CATALOG_APP_ID = "0240a368-25e0-4569-8ebe-13601cb55a18"


@dataclass(frozen=True)
class Seen:
    """One request as a fake received it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    body: Any = None


def make_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for 127.0.0.1 and localhost, and the file of the CA that signed it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Inspection Ready test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "test-ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file = folder / "server.pem"
    cert_file.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file)
    return context, ca_file


class FakeIdentityPlatform:
    """login.microsoftonline.com as MSAL uses it for the client-credentials flow."""

    def __init__(self) -> None:
        self.tenants = {TENANT}
        self.clients = {CLIENT_ID: CLIENT_SECRET}
        self.seen: list[Seen] = []
        self.issued: set[str] = set()
        self._numbers = itertools.count(1)
        self._server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return str(self._server.make_url("")).rstrip("/")

    async def start(self, context: ssl.SSLContext) -> None:
        app = web.Application()
        app.router.add_get("/common/discovery/instance", self._discovery)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        self._server = TestServer(app)
        await self._server.start_server(ssl=context)

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _discovery(self, request: web.Request) -> web.Response:
        self.seen.append(Seen(request.method, request.path, dict(request.query)))
        discovery = f"{self.url}/common/v2.0/.well-known/openid-configuration"
        return web.json_response({"tenant_discovery_endpoint": discovery})

    async def _openid(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        self.seen.append(Seen(request.method, request.path, dict(request.query)))
        if tenant not in self.tenants:
            return web.json_response(
                {
                    "error": "invalid_tenant",
                    "error_description": f"AADSTS90002: Tenant '{tenant}' not found.",
                },
                status=400,
            )
        base = f"{self.url}/{tenant}"
        return web.json_response(
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "issuer": f"{base}/v2.0",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "response_types_supported": ["code", "id_token", "code id_token"],
                "jwks_uri": f"{base}/discovery/v2.0/keys",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.seen.append(Seen(request.method, request.path, dict(request.query), form=form))
        if request.match_info["tenant"] not in self.tenants:
            return _aad_error("invalid_request", "AADSTS90002: Tenant not found.", 400)
        if form.get("grant_type") != "client_credentials":
            return _aad_error("unsupported_grant_type", "AADSTS70003: grant type.", 400)
        client = form.get("client_id", "")
        if client not in self.clients:
            return _aad_error(
                "unauthorized_client", f"AADSTS700016: Application '{client}' not found.", 400
            )
        if form.get("client_secret") != self.clients[client]:
            return _aad_error(
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                f"in the request is the client secret value.\r\nTrace ID: {next(self._numbers)}",
                401,
            )
        if form.get("scope") != GRAPH_SCOPE:
            return _aad_error("invalid_scope", "AADSTS1002012: The provided value for scope.", 400)
        token = f"graph-token-{next(self._numbers)}"
        self.issued.add(token)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            }
        )


def _aad_error(error: str, description: str, status: int) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status)


@dataclass
class GraphUser:
    """A user in the fake tenant, and how Graph is to answer for them."""

    object_id: str
    user_principal_name: str
    installed: bool = False
    # Installing for them is refused with this status (403 Forbidden, 404 Not Found).
    refuse: int | None = None
    # How the next installs are answered before Graph gives in: (429 or 503, Retry-After).
    throttle: list[tuple[int, str]] = field(default_factory=list)
    # Whether Graph lists the installation (and its chat) straight after installing.
    visible: bool = True
    # Run before an install is answered: what Teams does meanwhile (its own activity).
    on_install: Callable[[], Awaitable[None]] | None = None


class FakeGraph:
    """graph.microsoft.com/v1.0 for users, their installed apps and the bot's chat."""

    def __init__(self, identity: FakeIdentityPlatform) -> None:
        self.identity = identity
        self.users: dict[str, GraphUser] = {}
        self.catalog = {CATALOG_APP_ID}
        self.seen: list[Seen] = []
        self._server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return str(self._server.make_url("/v1.0"))

    def add_user(self, user: GraphUser) -> GraphUser:
        self.users[user.object_id] = user
        return user

    def chat_id(self, user: GraphUser) -> str:
        return f"19:{user.object_id}_{CLIENT_ID}@unq.gbl.spaces"

    def installs(self) -> list[str]:
        """The user ids an install was asked for, in order."""
        return [s.path.split("/")[3] for s in self.seen if s.method == "POST"]

    async def start(self, context: ssl.SSLContext) -> None:
        app = web.Application(middlewares=[self._authenticated])
        base = "/v1.0/users/{user}"
        app.router.add_get(base, self._user)
        app.router.add_post(f"{base}/teamwork/installedApps", self._install)
        app.router.add_get(f"{base}/teamwork/installedApps", self._installations)
        app.router.add_get(f"{base}/teamwork/installedApps/{{installation}}/chat", self._chat)
        self._server = TestServer(app)
        await self._server.start_server(ssl=context)

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @web.middleware
    async def _authenticated(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.seen.append(Seen(request.method, request.path, dict(request.query), body=body))
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.identity.issued:
            return _graph_error(
                401, "InvalidAuthenticationToken", "Access token validation failure."
            )
        response: web.StreamResponse = await handler(request)
        return response

    def _find(self, key: str) -> GraphUser | None:
        if key in self.users:
            return self.users[key]
        return next(
            (u for u in self.users.values() if u.user_principal_name.lower() == key.lower()),
            None,
        )

    async def _user(self, request: web.Request) -> web.Response:
        user = self._find(request.match_info["user"])
        if user is None:
            return _not_found(request.match_info["user"])
        return web.json_response(
            {
                "@odata.context": f"{self.url}/$metadata#users/$entity",
                "id": user.object_id,
                "userPrincipalName": user.user_principal_name,
            }
        )

    async def _install(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _graph_error(415, "UnsupportedMediaType", "Content-Type must be JSON.")
        body = await request.json()
        user = self.users.get(request.match_info["user"])
        if set(body) != {"teamsApp@odata.bind"}:
            return _graph_error(400, "BadRequest", "Invalid request body.")
        prefix = f"{self.url}/appCatalogs/teamsApps/"
        bound = str(body["teamsApp@odata.bind"])
        if not bound.startswith(prefix):
            return _graph_error(400, "BadRequest", "Invalid bind property value.")
        if bound.removeprefix(prefix) not in self.catalog:
            return _graph_error(404, "NotFound", "The app was not found in the catalog.")
        if user is None:
            return _not_found(request.match_info["user"])
        if user.throttle:
            status, wait = user.throttle.pop(0)
            code = "TooManyRequests" if status == 429 else "ServiceUnavailable"
            return _graph_error(status, code, "Please retry later.", {"Retry-After": wait})
        if user.refuse == 403:
            return _graph_error(403, "Forbidden", "App installation is blocked by policy.")
        if user.refuse is not None:
            return _graph_error(user.refuse, "NotFound", "User not found.")
        if user.installed:
            return _graph_error(409, "Conflict", "App is already installed.")
        user.installed = True
        if user.on_install is not None:
            await user.on_install()
        return web.Response(status=201)

    async def _installations(self, request: web.Request) -> web.Response:
        user = self.users.get(request.match_info["user"])
        if user is None:
            return _not_found(request.match_info["user"])
        if dict(request.query) != {
            "$expand": "teamsApp",
            "$filter": f"teamsApp/id eq '{CATALOG_APP_ID}'",
        }:
            return _graph_error(400, "BadRequest", f"Unexpected query {dict(request.query)}.")
        found = []
        if user.installed and user.visible:
            found = [
                {
                    "id": _installation_id(user),
                    "teamsApp": {
                        "id": CATALOG_APP_ID,
                        "externalId": CLIENT_ID,
                        "displayName": "Inspection Ready",
                        "distributionMethod": "organization",
                    },
                }
            ]
        return web.json_response({"@odata.count": len(found), "value": found})

    async def _chat(self, request: web.Request) -> web.Response:
        user = self.users.get(request.match_info["user"])
        if (
            user is None
            or not user.installed
            or request.match_info["installation"] != _installation_id(user)
        ):
            return _not_found(request.match_info["installation"])
        return web.json_response(
            {"@odata.context": f"{self.url}/$metadata#chats/$entity", "id": self.chat_id(user)}
        )


def _installation_id(user: GraphUser) -> str:
    return base64.b64encode(f"{user.object_id}##{CATALOG_APP_ID}".encode()).decode()


def _not_found(what: str) -> web.Response:
    return _graph_error(
        404,
        "Request_ResourceNotFound",
        f"Resource '{what}' does not exist or one of its "
        "queried reference-property objects are not present.",
    )


def _graph_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message}}, status=status, headers=headers
    )


@dataclass
class FakeMicrosoft:
    """Both fakes, and the settings that point the service at them."""

    identity: FakeIdentityPlatform
    graph: FakeGraph

    def config(self, **changes: str) -> GraphConfig:
        values = {
            "catalog_app_id": CATALOG_APP_ID,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "tenant_id": TENANT,
            "graph_url": self.graph.url,
            "login_url": self.identity.url,
            **changes,
        }
        return GraphConfig(**values)

    def environ(self) -> dict[str, str]:
        """The bot's registration and the installation settings, as the environment has them."""
        return {
            "MicrosoftAppId": CLIENT_ID,
            "MicrosoftAppPassword": CLIENT_SECRET,
            "MicrosoftAppType": "SingleTenant",
            "MicrosoftAppTenantId": TENANT,
            "INSPECTION_READY_CATALOG_APP_ID": CATALOG_APP_ID,
            "INSPECTION_READY_GRAPH_URL": self.graph.url,
            "INSPECTION_READY_LOGIN_URL": self.identity.url,
        }


@asynccontextmanager
async def running_microsoft(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeMicrosoft]:
    """Both fakes on TLS, with this process trusting the test's CA (and only for the test)."""
    context, ca_file = make_tls(folder)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
    identity = FakeIdentityPlatform()
    graph = FakeGraph(identity)
    await identity.start(context)
    await graph.start(context)
    try:
        yield FakeMicrosoft(identity, graph)
    finally:
        await graph.close()
        await identity.close()

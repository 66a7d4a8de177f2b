"""The Teams app package: icons, the filled manifest, Microsoft's schema and the refusals."""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.icons import BRAND_BLUE, draw_color_icon, draw_outline_icon
from bot.packaging import (
    PackageOptions,
    PackagingError,
    add_package_parser,
    build_package,
    run_package,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_DIR = ROOT / "manifest"
VALIDATOR = Path(__file__).with_name("validate_manifest.cjs")
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas"

APP_ID = "7c1f6a0e-3b5d-4e2a-9f68-2d4b8e1c0a93"
HOST = "inspection-ready.example.gov.uk"


def package(tmp_path: Path, *argv: str, environ: dict[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inspection-ready")
    add_package_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["package", "--output", str(tmp_path / "appPackage.zip"), *argv])
    return run_package(args, environ={} if environ is None else environ)


def built_manifest(tmp_path: Path) -> dict[str, Any]:
    assert package(tmp_path, "--app-id", APP_ID, "--public-host", HOST) == 0
    with zipfile.ZipFile(tmp_path / "appPackage.zip") as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


def validate(manifest: dict[str, Any], tmp_path: Path) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "checked-manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    done = subprocess.run(
        ["node", str(VALIDATOR), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # No node_modules (or no node) is a failure here, never a skip: `make test` installs them.
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, colour type and pixel rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1][0] == b"IEND"
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, interlace) == (8, 0)
    channels = {2: 3, 6: 4}[colour_type]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    lines = [raw[y * (stride + 1) : (y + 1) * (stride + 1)] for y in range(height)]
    # The project's encoder writes every row unfiltered (filter type 0).
    assert {line[0] for line in lines} == {0}
    rows = [line[1:] for line in lines]
    assert {len(row) for row in rows} == {stride}
    return width, height, colour_type, rows


def pixels(rows: list[bytes], channels: int) -> list[tuple[int, ...]]:
    return [tuple(row[i : i + channels]) for row in rows for i in range(0, len(row), channels)]


def test_committed_icons_are_the_ones_the_code_draws() -> None:
    for name, image in (("color.png", draw_color_icon()), ("outline.png", draw_outline_icon())):
        _, _, _, rows = decode_png((MANIFEST_DIR / name).read_bytes())

        assert rows == list(image.rows), f"manifest/{name} is stale: run `make icons`"


def test_colour_icon_is_192_square_and_full_bleed() -> None:
    width, height, colour_type, rows = decode_png((MANIFEST_DIR / "color.png").read_bytes())
    colours = pixels(rows, 3)

    assert (width, height, colour_type) == (192, 192, 2)
    assert [colours[0], colours[191], colours[-192], colours[-1]] == [BRAND_BLUE] * 4
    assert (255, 255, 255) in colours


def test_outline_icon_is_32_square_white_on_transparent() -> None:
    width, height, colour_type, rows = decode_png((MANIFEST_DIR / "outline.png").read_bytes())
    rgba = pixels(rows, 4)
    opaque = [p for p in rgba if p[3] == 255]
    transparent = [p for p in rgba if p[3] == 0]

    assert (width, height, colour_type) == (32, 32, 6)
    assert {p[:3] for p in rgba} == {(255, 255, 255)}
    assert [rgba[0][3], rgba[31][3], rgba[-32][3], rgba[-1][3]] == [0, 0, 0, 0]
    assert len(transparent) > len(rgba) / 2
    assert len(opaque) > 100


def test_package_holds_the_filled_manifest_and_both_icons(tmp_path: Path) -> None:
    manifest = built_manifest(tmp_path)
    with zipfile.ZipFile(tmp_path / "appPackage.zip") as archive:
        names = sorted(archive.namelist())
        sizes = {name: decode_png(archive.read(name))[:2] for name in ("color.png", "outline.png")}
        text = archive.read("manifest.json").decode()

    assert names == ["color.png", "manifest.json", "outline.png"]
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}
    assert "${" not in text
    assert (manifest["id"], manifest["bots"][0]["botId"]) == (APP_ID, APP_ID)
    assert manifest["validDomains"] == [HOST]
    assert manifest["developer"]["privacyUrl"] == f"https://{HOST}/privacy"
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_app_id_and_host_come_from_the_environment_unless_given(tmp_path: Path) -> None:
    other_id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    environ = {"MicrosoftAppId": APP_ID, "INSPECTION_READY_PUBLIC_URL": f"https://{HOST}/"}

    assert package(tmp_path, environ=environ) == 0
    with zipfile.ZipFile(tmp_path / "appPackage.zip") as archive:
        from_env = json.loads(archive.read("manifest.json"))
    assert (
        package(
            tmp_path, "--app-id", other_id, "--public-host", "bot.example.org", environ=environ
        )
        == 0
    )
    with zipfile.ZipFile(tmp_path / "appPackage.zip") as archive:
        from_options = json.loads(archive.read("manifest.json"))

    assert (from_env["id"], from_env["validDomains"]) == (APP_ID, [HOST])
    assert (from_options["id"], from_options["validDomains"]) == (other_id, ["bot.example.org"])


def test_options_set_the_version_and_the_developer_links(tmp_path: Path) -> None:
    assert (
        package(
            tmp_path,
            "--app-id",
            APP_ID,
            "--public-host",
            HOST,
            "--app-version",
            "2.3.4",
            "--privacy-url",
            "https://www.example.gov.uk/privacy/inspection-ready",
            "--terms-url",
            "https://www.example.gov.uk/terms",
            "--website-url",
            "https://www.example.gov.uk/",
        )
        == 0
    )
    with zipfile.ZipFile(tmp_path / "appPackage.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))

    assert manifest["version"] == "2.3.4"
    assert manifest["developer"] == {
        "name": "Inspection Ready",
        "websiteUrl": "https://www.example.gov.uk/",
        "privacyUrl": "https://www.example.gov.uk/privacy/inspection-ready",
        "termsOfUseUrl": "https://www.example.gov.uk/terms",
    }


def test_the_same_inputs_build_the_same_zip(tmp_path: Path) -> None:
    built = []
    for _ in range(2):
        assert package(tmp_path, "--app-id", APP_ID, "--public-host", HOST) == 0
        built.append((tmp_path / "appPackage.zip").read_bytes())

    assert built[0] == built[1]


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        (["--public-host", HOST], {}, "Microsoft App ID is missing: set MicrosoftAppId"),
        (
            ["--public-host", HOST],
            {"MicrosoftAppId": "inspection-ready-bot"},
            "MicrosoftAppId must be the Azure Bot's Microsoft App ID, a GUID",
        ),
        (["--app-id", APP_ID[:-1], "--public-host", HOST], {}, "--app-id must be"),
        (
            ["--app-id", APP_ID],
            {},
            "public host name is missing: set INSPECTION_READY_PUBLIC_URL (https://HOST)",
        ),
        (
            ["--app-id", APP_ID, "--app-version", "1.2", "--public-host", HOST],
            {},
            "the app version must look like 1.2.3 (MAJOR.MINOR.PATCH), got '1.2'",
        ),
        (
            ["--app-id", APP_ID, "--public-host", HOST, "--privacy-url", "http://x.example"],
            {},
            "--privacy-url must be an https:// address",
        ),
    ],
)
def test_refuses_what_teams_would_reject(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    environ: dict[str, str],
    message: str,
) -> None:
    assert package(tmp_path, *argv, environ=environ) == 1

    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "host",
    [
        f"https://{HOST}",
        f"{HOST}/api/messages",
        f"{HOST}:443",
        "localhost",
        "10.0.0.7",
        "bot_1.example.gov.uk",
        "-bot.example.gov.uk",
        "bot..example.gov.uk",
    ],
)
def test_refuses_a_host_that_is_not_a_plain_host_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    assert package(tmp_path, "--app-id", APP_ID, f"--public-host={host}") == 1

    assert (
        f"--public-host must be a plain host name such as bot.example.gov.uk "
        f"(no https://, port or path), got {host!r}"
    ) in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("http://bot.example.gov.uk", "http://bot.example.gov.uk"),
        (f"https://{HOST}/x", f"{HOST}/x"),
    ],
)
def test_refuses_a_public_url_without_a_plain_https_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, value: str
) -> None:
    environ = {"MicrosoftAppId": APP_ID, "INSPECTION_READY_PUBLIC_URL": url}

    assert package(tmp_path, environ=environ) == 1

    assert (
        "INSPECTION_READY_PUBLIC_URL must be https:// and a plain host name such as "
        f"bot.example.gov.uk (no port or path), got {value!r}"
    ) in capsys.readouterr().err


def test_refuses_an_icon_of_the_wrong_size(tmp_path: Path) -> None:
    source = tmp_path / "manifest"
    source.mkdir()
    shutil.copy(MANIFEST_DIR / "manifest.json", source)
    shutil.copy(MANIFEST_DIR / "outline.png", source / "outline.png")
    shutil.copy(MANIFEST_DIR / "outline.png", source / "color.png")

    with pytest.raises(PackagingError, match=r"color icon color.png must be a 192x192 PNG"):
        build_package(PackageOptions(APP_ID, HOST), tmp_path / "appPackage.zip", source)
    assert not (tmp_path / "appPackage.zip").exists()


def test_bot_is_in_personal_and_team_scopes_with_the_command_menu(tmp_path: Path) -> None:
    [bot] = built_manifest(tmp_path)["bots"]
    menus = {
        tuple(menu["scopes"]): [c["title"] for c in menu["commands"]]
        for menu in bot["commandLists"]
    }

    assert bot["scopes"] == ["personal", "team"]
    assert set(menus) == {("personal",), ("team",)}
    assert {
        "help",
        "my actions",
        "what's overdue",
        "my audits",
        "calendar",
        "inspection call",
    } <= set(menus["personal",])
    # Teams shows at most 10 commands a list; the team menu repeats personal commands only,
    # so the routing test over the personal menu covers every title.
    assert all(len(titles) <= 10 for titles in menus.values())
    assert set(menus["team",]) <= set(menus["personal",])


def test_web_application_info_names_the_bot_for_proactive_installation(tmp_path: Path) -> None:
    # TeamsAppInstallation.ReadWriteSelfForUser.All works only for an app whose manifest
    # names, in webApplicationInfo, the app registration its token is for: the bot's.
    info = built_manifest(tmp_path)["webApplicationInfo"]

    assert info == {"id": APP_ID, "resource": f"api://botid-{APP_ID}"}


def test_the_manifest_asks_for_read_receipts_in_personal_chats(tmp_path: Path) -> None:
    # Without this resource-specific permission Teams sends the bot no read receipts.
    permissions = built_manifest(tmp_path)["authorization"]["permissions"]

    assert permissions["resourceSpecific"] == [
        {"name": "ChatMessageReadReceipt.Read.Chat", "type": "Application"}
    ]


def test_manifest_uses_the_newest_schema_microsofts_validator_ships(tmp_path: Path) -> None:
    manifest = built_manifest(tmp_path)
    bundled = [
        p.name[1:] for p in (SCHEMAS / "teams").glob("v*") if p.name[1:].replace(".", "").isdigit()
    ]
    newest = max(bundled, key=lambda version: tuple(int(part) for part in version.split(".")))

    assert manifest["manifestVersion"] == newest
    assert manifest["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{newest}/MicrosoftTeams.schema.json"
    )


def test_packaged_manifest_passes_microsofts_validator(tmp_path: Path) -> None:
    manifest = built_manifest(tmp_path)

    code, result = validate(manifest, tmp_path)

    assert (code, result["errors"]) == (0, [])
    assert Path(result["schema"]) == (
        SCHEMAS / "teams" / f"v{manifest['manifestVersion']}" / "MicrosoftTeams.schema.json"
    )


def test_microsofts_validator_rejects_a_broken_manifest(tmp_path: Path) -> None:
    manifest = built_manifest(tmp_path)
    manifest["id"] = "inspection-ready"
    del manifest["developer"]["privacyUrl"]
    manifest["bots"][0]["scopes"].append("everyone")

    code, result = validate(manifest, tmp_path)

    assert code == 1
    failing = {error.split(" ")[0] for error in result["errors"]}
    assert {"/id", "/developer", "/bots/0/scopes/2"} <= failing

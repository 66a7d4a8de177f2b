"""This module contains the `package` command, which builds the Teams app package (a zip)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.icons import COLOR_SIZE, OUTLINE_SIZE, png_size

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

APP_ID_VARIABLE = "MicrosoftAppId"
PUBLIC_URL_VARIABLE = "INSPECTION_READY_PUBLIC_URL"
DEFAULT_OUTPUT = Path("appPackage.zip")

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Teams takes MAJOR.MINOR.PATCH, numbers only, and wants it raised on every update.
_SEMVER = re.compile(r"^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
# A fixed timestamp makes the same inputs give the same zip, byte for byte.
_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class PackagingError(ValueError):
    """The package cannot be built as asked; the message says which value is wrong."""


@dataclass(frozen=True, slots=True)
class PackageOptions:
    """What goes into the manifest: the Azure Bot's app id, the public host and the links."""

    app_id: str
    public_host: str
    app_version: str | None = None
    website_url: str | None = None
    privacy_url: str | None = None
    terms_url: str | None = None


def add_package_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `package` subcommand to the `inspection-ready` command line."""
    package = commands.add_parser(
        "package",
        help="build the Teams app package (appPackage.zip) to upload to Teams",
        description="Fills manifest/manifest.json with the Azure Bot's Microsoft App ID and the "
        "service's public host name and zips it with the icons, ready for the Teams admin "
        "centre. Needs neither the client secret nor the database.",
    )
    package.add_argument(
        "--app-id",
        metavar="GUID",
        help=f"the Azure Bot's Microsoft App ID, a GUID (default: {APP_ID_VARIABLE})",
    )
    package.add_argument(
        "--public-host",
        metavar="HOST",
        help="the host name Teams reaches the service at, e.g. bot.example.gov.uk "
        f"(default: the host of {PUBLIC_URL_VARIABLE})",
    )
    package.add_argument(
        "--app-version",
        metavar="X.Y.Z",
        help="the app version, MAJOR.MINOR.PATCH; raise it to update an uploaded app "
        "(default: the manifest's)",
    )
    package.add_argument(
        "--website-url", metavar="URL", help="the developer link (default: https://HOST/)"
    )
    package.add_argument(
        "--privacy-url", metavar="URL", help="your privacy notice (default: https://HOST/privacy)"
    )
    package.add_argument(
        "--terms-url", metavar="URL", help="your terms of use (default: https://HOST/terms)"
    )
    package.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        metavar="FILE",
        help=f"where to write the zip (default: {DEFAULT_OUTPUT})",
    )


def run_package(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    """Builds the package the parsed `package` arguments ask for; returns the exit code."""
    environ = os.environ if environ is None else environ
    try:
        options = PackageOptions(
            app_id=parse_app_id(args.app_id, environ),
            public_host=parse_public_host(args.public_host, environ),
            app_version=args.app_version,
            website_url=args.website_url,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
        )
        path = build_package(options, args.output)
    except PackagingError as exc:
        sys.stderr.write(f"inspection-ready: package: {exc}\n")
        return 1
    sys.stdout.write(
        f"Wrote {path} for app {options.app_id}.\n"
        f"Messaging endpoint for the Azure Bot: https://{options.public_host}/api/messages\n"
    )
    return 0


def parse_app_id(option: str | None, environ: Mapping[str, str]) -> str:
    """The Microsoft App ID from `--app-id`, else from MicrosoftAppId; it must be a GUID."""
    if option:
        source, value = "--app-id", option.strip()
    else:
        source, value = APP_ID_VARIABLE, environ.get(APP_ID_VARIABLE, "").strip()
    if not value:
        raise PackagingError(
            f"the Azure Bot's Microsoft App ID is missing: set {APP_ID_VARIABLE} or pass --app-id"
        )
    if not _GUID.match(value):
        raise PackagingError(
            f"{source} must be the Azure Bot's Microsoft App ID, a GUID such as "
            f"00000000-0000-0000-0000-000000000000, got {value!r}"
        )
    return value


def parse_public_host(option: str | None, environ: Mapping[str, str]) -> str:
    """The public host name from `--public-host`, else the host of the service's address
    in INSPECTION_READY_PUBLIC_URL (the setting the service itself uses for its links)."""
    if option:
        source, value = "--public-host", option.strip()
    else:
        source = PUBLIC_URL_VARIABLE
        url = environ.get(PUBLIC_URL_VARIABLE, "").strip().rstrip("/")
        value = url.removeprefix("https://")
    if not value:
        raise PackagingError(
            f"the service's public host name is missing: set {PUBLIC_URL_VARIABLE} "
            "(https://HOST) or pass --public-host"
        )
    host = value.lower()
    labels = host.split(".")
    # A DNS name of two labels or more; an all-digit last label means an IP address.
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_HOST_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        wanted = (
            "https:// and a plain host name such as bot.example.gov.uk (no port or path)"
            if source == PUBLIC_URL_VARIABLE
            else "a plain host name such as bot.example.gov.uk (no https://, port or path)"
        )
        raise PackagingError(f"{source} must be {wanted}, got {value!r}")
    return host


def render_manifest(template: Mapping[str, Any], options: PackageOptions) -> dict[str, Any]:
    """The manifest with the app id and host filled in and the options applied.

    Raises:
        PackagingError: a value is malformed, or the template names an unknown placeholder.
    """
    values = {"MICROSOFT_APP_ID": options.app_id, "SERVICE_HOST": options.public_host}
    manifest: dict[str, Any] = _fill(template, values)
    if options.app_version is not None:
        manifest["version"] = options.app_version
    if not _SEMVER.match(str(manifest.get("version", ""))):
        raise PackagingError(
            f"the app version must look like 1.2.3 (MAJOR.MINOR.PATCH), "
            f"got {manifest.get('version')!r}"
        )
    links = {
        "websiteUrl": ("--website-url", options.website_url),
        "privacyUrl": ("--privacy-url", options.privacy_url),
        "termsOfUseUrl": ("--terms-url", options.terms_url),
    }
    for field, (option, url) in links.items():
        if url is None:
            continue
        if not re.match(r"^https://[^\s/]+", url):
            raise PackagingError(f"{option} must be an https:// address, got {url!r}")
        manifest["developer"][field] = url
    return manifest


def build_package(
    options: PackageOptions, output: Path, source: Traversable | None = None
) -> Path:
    """Writes the app package to `output` (whole or not at all) and returns its path.

    Args:
        options: the values to fill the manifest with.
        output: the zip to write.
        source: the folder with manifest.json and the icons (default: the `manifest` package).

    Raises:
        PackagingError: the options are malformed, or an icon is not the size Teams requires.
    """
    folder = resources.files("manifest") if source is None else source
    template = json.loads(folder.joinpath("manifest.json").read_text(encoding="utf-8"))
    manifest = render_manifest(template, options)
    icons = manifest["icons"]
    files = {"manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()}
    for role, size in (("color", COLOR_SIZE), ("outline", OUTLINE_SIZE)):
        data = folder.joinpath(icons[role]).read_bytes()
        if png_size(data) != (size, size):
            raise PackagingError(
                f"the {role} icon {icons[role]} must be a {size}x{size} PNG, got {png_size(data)}"
            )
        files[icons[role]] = data
    output.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so an interrupted run never leaves half a zip.
    with tempfile.NamedTemporaryFile(dir=output.parent, suffix=".zip", delete=False) as handle:
        partial = Path(handle.name)
        try:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files.items():
                    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIMESTAMP)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = 0o644 << 16
                    archive.writestr(entry, data)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    # The temporary file is private to its owner; the package is not a secret.
    partial.chmod(0o644)
    partial.replace(output)
    return output


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise PackagingError(f"manifest.json has an unknown placeholder ${{{name}}}")
            return values[name]

        return _PLACEHOLDER.sub(substitute, value)
    return value

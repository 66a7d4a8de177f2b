"""The SDKs stay behind the edge: at most four modules import each, all of them in teams/."""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("bot", "cards", "dialogs", "demo", "knowledge", "notifications", "store", "teams")
SDKS = {
    "botbuilder": ("botbuilder", "botframework", "msrest"),
    "agents": ("microsoft_agents",),
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=True)


@pytest.mark.parametrize("sdk", list(SDKS))
def test_each_sdk_is_imported_by_at_most_four_modules_all_in_the_edge(
    graph: grimp.ImportGraph, sdk: str
) -> None:
    importers = set()
    for package in SDKS[sdk]:
        importers |= graph.find_modules_that_directly_import(package)

    assert importers, f"nothing imports {sdk}: the check would prove nothing"
    assert all(module.startswith(f"teams.{sdk}.") for module in importers), sorted(importers)
    assert len(importers) <= 4, sorted(importers)


def test_no_top_level_package_imports_another_in_a_cycle(graph: grimp.ImportGraph) -> None:
    cycles = [
        (a, b)
        for a in PACKAGES
        for b in PACKAGES
        if a < b
        and graph.direct_import_exists(importer=a, imported=b, as_packages=True)
        and graph.direct_import_exists(importer=b, imported=a, as_packages=True)
    ]

    assert cycles == []


def test_msal_is_imported_only_where_the_service_signs_in(graph: grimp.ImportGraph) -> None:
    # The Graph client (installing the app) and botbuilder's token fetching off the loop.
    assert graph.find_modules_that_directly_import("msal") == {
        "teams.graph",
        "teams.botbuilder.identity_platform",
    }

"""The API and the CLI asked the same questions give the same answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from causal_web.cli.main import main

# app, client and live_server
pytest_plugins = ["api_fixtures"]


def cli_json(*args: str):
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("cli_args", "params"),
    [
        (["--mechanism", "perception-of-progress"], {"mechanism": "perception-of-progress"}),
        (["--outcome", "trust"], {"outcome": "trust"}),
        (["--context", "shared-vision"], {"context": "shared-vision"}),
        (["--concept", "faith"], {"concept": "faith"}),
        (["--phase", "summary-2022", "--kind", "all"], {"phase": "summary-2022", "kind": "all"}),
        (["--kind", "background"], {"kind": "background"}),
        (["--source", "aunger-2021-review"], {"source": "aunger-2021-review"}),
        (["--ioc-type", "mandated", "--kind", "all"], {"ioc_type": "mandated", "kind": "all"}),
        (["-q", "trust"], {"q": "trust"}),
        (["-q", "ambi[TRUNCATED]"], {"q": "ambi[TRUNCATED]"}),
        (["--kind", "mechanism-list"], {"kind": "mechanism-list"}),
        ([], {}),
    ],
)
def test_cmocs(client, cli_args, params):
    cli = cli_json("cmocs", *cli_args)
    api = client.get("/cmocs", params={**params, "limit": 1000}).json()
    assert api["total"] == cli["total"] > 0
    assert api["items"] == cli["items"]


@pytest.mark.parametrize("concept", ["trust", "faith", "conflict", "shared-vision", "task-achievement"])
def test_concept(client, concept):
    assert client.get(f"/concepts/{concept}").json() == cli_json("concept", concept)


@pytest.mark.parametrize(
    ("start", "end", "extra_cli", "extra_params"),
    [
        ("shared-vision", "trust", [], {}),
        ("shared-vision", "task-achievement", ["--max-hops", "3"], {"max_hops": 3}),
        (
            "conflict",
            "trust",
            ["--via", "core mechanisms", "--limit", "5"],
            {"via": "core mechanisms", "limit": 5},
        ),
        ("trust", "faith", ["--min-sources", "2"], {"min_sources": 2}),
        ("shared-vision", "task-achievement", [], {}),
        ("inter-organisational-collaboration", "performance-improvement", [], {}),
        (
            "inter-organisational-collaboration",
            "performance-improvement",
            ["--include-background"],
            {"include_background": "true"},
        ),
    ],
)
def test_chains(client, start, end, extra_cli, extra_params):
    cli = cli_json("chains", "--from", start, "--to", end, *extra_cli)
    api = client.get("/chains", params={"from": start, "to": end, **extra_params}).json()
    assert api.pop("limit") == extra_params.get("limit", 20)
    assert api == cli
    assert api["include_background"] is ("include_background" in extra_params)


def test_chains_use_e22_l08_only_with_background():
    # E22-L08 is the evaluation's framing claim, not a finding.
    args = ("chains", "--from", "inter-organisational-collaboration", "--to", "performance-improvement")
    used = [
        {r for c in cli_json(*args, *extra)["chains"] for h in c["hops"] for r in h["records"]}
        for extra in ((), ("--include-background",))
    ]
    assert "E22-L08" not in used[0] and "E22-L08" in used[1]


def test_diff(client):
    assert client.get("/phases/review-2021/diff/refined-2021").json() == cli_json(
        "diff", "review-2021", "refined-2021"
    )


def test_stats(client):
    cli = cli_json("stats")
    assert client.get("/stats").json() == cli
    assert client.get("/coverage").json() == cli["coverage"]
    totals = cli["totals"]
    assert client.get("/concepts", params={"limit": 1}).json()["total"] == totals["concepts"]
    assert client.get("/sources", params={"limit": 1}).json()["total"] == totals["sources"]
    assert client.get("/cmocs", params={"kind": "all", "limit": 1}).json()["total"] == totals["cmocs"]
    assert len(client.get("/phases").json()) == totals["phases"]


def test_unknown_ids_fail_in_both(client):
    result = CliRunner().invoke(main, ["concept", "trsut", "--json"])
    assert result.exit_code != 0
    assert "trust" in result.output
    assert client.get("/concepts/trsut").json()["suggestions"] == ["trust"]

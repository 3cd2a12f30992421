"""Every curl example in README.md and docs/api.md, run as written against the live server:
the documented status, media type, JSON keys and text lines."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# live_server
pytest_plugins = ["api_fixtures"]
pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "README.md", ROOT / "docs" / "api.md")
EXAMPLE = re.compile(
    r"```bash\n(?P<command>curl [^\n]+)\n```\n"
    r"Response `(?P<status>\d{3})` `(?P<media>[^`]+)`[^\n]*\n(?:[^\n`][^\n]*\n)*"
    r"```(?P<lang>json|text)\n(?P<expected>.*?)\n```",
    re.DOTALL,
)


def examples(doc: Path | None = None) -> list[dict]:
    return [
        m.groupdict()
        for path in ([doc] if doc else DOCS)
        for m in EXAMPLE.finditer(path.read_text(encoding="utf-8"))
    ]


def test_the_docs_have_examples():
    assert len(examples(DOCS[0])) >= 5, "the README's curl examples are missing"
    assert len(examples(DOCS[1])) >= 15
    assert all("localhost:8000" in e["command"] for e in examples())


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("example", examples(), ids=lambda e: e["command"][8:70])
def test_curl_example(live_server, tmp_path, example):
    port = live_server.url.rstrip("/").rsplit(":", 1)[1]
    command = example["command"].replace("localhost:8000", f"localhost:{port}")
    body_file = tmp_path / "body"
    run = subprocess.run(
        ["bash", "-c", f"{command} -o {body_file} -w '%{{http_code}} %{{content_type}}'"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    status, _, media = run.stdout.partition(" ")
    assert status == example["status"]
    assert media.split(";")[0] == example["media"]
    body = body_file.read_text(encoding="utf-8")
    expected = example["expected"].replace("localhost:8000", f"localhost:{port}")
    if example["lang"] == "json":
        json.loads(body)
        for key in set(re.findall(r'"([\w:-]+)":', expected)):
            assert f'"{key}":' in body, f"{key} is documented but not in the response"
    else:
        lines = body.splitlines()
        for line in expected.splitlines():
            if "…" not in line:
                assert line.rstrip() in lines, f"documented line not in the response: {line}"

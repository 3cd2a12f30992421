"""Standalone HTML and the explorer page: self-contained, and data is never markup."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from causal_web.model.records import Part
from causal_web.viz.assets import STATIC_ASSETS, asset_text, static_asset, vis_dir
from causal_web.viz.network import traced_chains_network, web_network
from causal_web.viz.template import EXPLORER_CSP, json_for_html, render_explorer_page, render_standalone

PAYLOAD = "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>"


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script and style element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, dict]] = []
        self.blocks: list[tuple[str, dict, str]] = []
        self._open: tuple[str, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.blocks.append((tag, self._open[1], "".join(self._text)))
            self._open = None


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def standalone(kb) -> str:
    return render_standalone(
        traced_chains_network(kb.web, "shared-vision", "collaborative-behaviour", via="trust")
    )


def test_standalone_loads_nothing_from_anywhere(standalone):
    page = parse(standalone)
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), f"<{tag} {name}={value!r}> fetches something"
    assert not re.search(
        r"@import|url\((?!\"?data:)", "".join(t for tag, _, t in page.blocks if tag == "style")
    )


def test_standalone_inlines_vis_network_and_our_code(standalone):
    scripts = [
        text for tag, attrs, text in parse(standalone).blocks if tag == "script" and "type" not in attrs
    ]
    assert len(scripts) == 2
    assert "vis-network" in scripts[0][:400] and "9.1.2" in scripts[0][:400]
    assert "window.CausalWeb" in scripts[1]


def test_csp_allows_exactly_the_inline_scripts_and_styles(standalone):
    page = parse(standalone)
    csp = next(
        attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    for tag, attrs, text in page.blocks:
        if attrs.get("type") == "application/json":
            continue
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp, f"inline {tag} is not allowed by the page's CSP"


def test_embedded_data_round_trips(standalone, kb):
    page = parse(standalone)
    raw = next(text for tag, attrs, text in page.blocks if attrs.get("type") == "application/json")
    data = json.loads(raw)
    assert data["kind"] == "chains" and data["chains"]["chains"]
    assert data == json.loads(
        json.dumps(
            traced_chains_network(kb.web, "shared-vision", "collaborative-behaviour", via="trust").to_dict()
        )
    )


@pytest.mark.parametrize(
    "text",
    [PAYLOAD, "</script><script>alert(1)</script>", "a\u2028b\u2029c", "<!--", "&amp; <b>bold</b>", "]]>"],
)
def test_json_for_html_cannot_close_the_script(text):
    rendered = str(json_for_html({"label": text}))
    assert "<" not in rendered and ">" not in rendered and "&" not in rendered
    assert "\u2028" not in rendered and "\u2029" not in rendered
    assert json.loads(rendered) == {"label": text}


def test_a_malicious_label_stays_data(kb):
    cmoc = kb.dataset.cmocs["R21-016"]
    original = cmoc.mechanism, cmoc.title, cmoc.statement
    cmoc.mechanism = [Part(PAYLOAD, s.concept, s.polarity) for s in original[0]]
    cmoc.title = cmoc.statement = PAYLOAD
    try:
        html = render_standalone(web_network(kb.web))
    finally:
        cmoc.mechanism, cmoc.title, cmoc.statement = original
    assert PAYLOAD not in html
    assert "window.__xss" in html  # present, but only inside the escaped JSON
    assert "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e" in html
    page = parse(html)
    assert [tag for tag, _ in page.tags].count("script") == 3  # data, vis-network, ours
    assert not any(tag == "img" for tag, _ in page.tags)


def test_title_is_escaped(kb):
    html = render_standalone(web_network(kb.web), title="<b>Web</b> & more")
    assert "&lt;b&gt;Web&lt;/b&gt; &amp; more" in html and "<b>Web" not in html


def test_explorer_page_uses_only_its_own_static_files():
    page = parse(render_explorer_page(dataset="<i>44 CMOCs</i>"))
    urls = [attrs.get("src") or attrs.get("href") for tag, attrs in page.tags if tag in ("script", "link")]
    assert urls
    for url in urls:
        assert url == "data:," or (url.startswith("static/") and static_asset(url.split("/", 1)[1]))
    assert not [text for tag, attrs, text in page.blocks if tag == "script" and text.strip()]
    assert "<i>" not in render_explorer_page(dataset="<i>x</i>")
    assert "connect-src 'self'" in EXPLORER_CSP and "script-src 'self'" in EXPLORER_CSP


def test_assets_come_from_the_installed_packages():
    assert vis_dir().joinpath("vis-network.min.js").is_file()
    for name in STATIC_ASSETS:
        assert asset_text(name)
    assert static_asset("../../etc/passwd") is None
    # Our scripts never hand data to an HTML parser.
    for name in ("causal-web-panel.js", "causal-web.js", "explorer.js"):
        code = asset_text(name)
        assert not re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML\(|document\.write|\beval\(", code)

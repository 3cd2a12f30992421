"""Steps the browser tests share: wait for a drawing, pick a concept, find an arrow on screen."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PAYLOAD = "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>"


def wait_settled(page, kind: str | None = None, timeout: float = 30_000) -> None:
    """Until the page's view (of ``kind``) has drawn and settled."""
    page.wait_for_function(
        "kind => window.causalWeb && causalWeb.settledAt !== null && (!kind || causalWeb.kind === kind)",
        arg=kind,
        timeout=timeout,
    )


def pick(page, box: str, text: str, concept_id: str) -> None:
    """Type into a concept picker and choose the concept from its list."""
    page.click(f"#{box}")
    page.fill(f"#{box}", text)
    option = page.locator(f"#{box}-list li[role=option][data-id='{concept_id}']")
    option.wait_for(state="visible")
    option.click()


def edge_point(page, edge_id: str) -> tuple[float, float]:
    """A point on the screen where the arrow, and nothing else, is under the pointer."""
    return tuple(
        page.evaluate(
            """id => {
                const net = causalWeb.network;
                const edge = net.body.edges[id];
                if (!edge) throw new Error("no drawn edge " + id);
                const box = net.body.container.getBoundingClientRect();
                for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75]) {
                    const point = net.canvasToDOM(edge.edgeType.getPoint(t));
                    if (net.getNodeAt(point) === undefined && net.getEdgeAt(point) === id) {
                        return [box.left + point.x, box.top + point.y];
                    }
                }
                throw new Error("no point of " + id + " is clear of other arrows");
            }""",
            edge_id,
        )
    )


def node_point(page, node_id: str) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            """id => {
                const net = causalWeb.network;
                // A large view draws most concepts itself, at the positions it keeps in pos.
                const at = (causalWeb.pos && causalWeb.pos[id]) || net.getPositions([id])[id];
                const point = net.canvasToDOM(at);
                const box = net.body.container.getBoundingClientRect();
                return [box.left + point.x, box.top + point.y];
            }""",
            node_id,
        )
    )


def click_edge(page, edge_id: str) -> None:
    x, y = edge_point(page, edge_id)
    page.mouse.click(x, y)


def hover_edge(page, edge_id: str) -> str:
    """Hover over an arrow and return the text of the tooltip it shows."""
    x, y = edge_point(page, edge_id)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    page.wait_for_function(
        """() => {
            const tip = document.querySelector("div.vis-tooltip");
            return tip && tip.style.visibility !== "hidden" && tip.textContent;
        }"""
    )
    return tooltip.text_content()

"""The diagnostic's result as a self-contained, printable HTML page (``diagnose --html``): a chart
per maturity domain as inline SVG, a print style sheet, and no request to anywhere."""

from __future__ import annotations

from html import escape

__all__ = ["domain_chart", "render_report"]


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1d232a; margin: 24px auto; max-width: 60em;
  padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #d5dbe1; }
h3 { font-size: 15px; margin-bottom: 4px; }
.notice { background: #fff6e0; border: 1px solid #e0b040; border-radius: 6px; padding: 8px 12px; }
.risk { color: #8b0f20; font-weight: 600; }
.ok { color: #1d5f2f; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { border: 1px solid #d5dbe1; border-radius: 6px; padding: 8px; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #e3e7eb; padding: 3px 6px; text-align: left; vertical-align: top; }
.cites { color: #4a5560; font-size: 12.5px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .notice { border-color: #888; background: none; }
  h2 { break-after: avoid; }
  .chart, .mechanism { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def domain_chart(domain: dict, mechanisms: list[dict], at_risk_below: float) -> str:
    """One domain's chart: a bar per mechanism on the 1-5 scale, with the at-risk line."""
    rows = [m for m in mechanisms if m["id"] in domain["mechanisms"]]
    width, left, bar_h, gap = 460, 160, 18, 8
    height = 30 + len(rows) * (bar_h + gap) + 20
    scale = (width - left - 10) / 4  # pixels per scale point, from 1 to 5

    def x(value: float) -> float:
        return left + (value - 1) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(domain["label"])}: level {escape(str(domain["level"]))}">',
        f'<text x="0" y="14" font-weight="600" font-size="13">{escape(domain["label"])}: '
        f"{_score(domain['score'])} (level {escape(str(domain['level']))}, "
        f"{escape(domain['level_label'])})</text>",
    ]
    for index, row in enumerate(rows):
        y = 28 + index * (bar_h + gap)
        value = row["score"] if row["score"] is not None else 1
        colour = "#b2182b" if row["at_risk"] else "#2b6a99"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(row["label"])}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{x(value) - left:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(row['label'])}: {_score(row['score'])}</title></rect>"
        )
        parts.append(
            f'<text x="{x(value) + 4:.1f}" y="{y + 13}" font-size="12">{_score(row["score"])}</text>'
        )
    axis_y = 28 + len(rows) * (bar_h + gap)
    for tick in range(1, 6):
        parts.append(f'<text x="{x(tick) - 3:.1f}" y="{axis_y + 12}" font-size="11">{tick}</text>')
    risk_x = x(at_risk_below)
    parts.append(
        f'<line x1="{risk_x:.1f}" y1="22" x2="{risk_x:.1f}" y2="{axis_y}" stroke="#8b0f20" '
        'stroke-dasharray="3,3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _records(ids: list[str]) -> str:
    return ", ".join(escape(i) for i in ids) or "none"


def render_report(result: dict) -> str:
    """The printable report of a scored diagnostic (the dict :func:`~causal_web.guidance.query.diagnose`
    returns)."""
    instrument = result["instrument"]
    maturity = result["maturity"]
    threshold = float(instrument["at_risk_below"])
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Readiness diagnostic report: {escape(instrument['id'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Readiness diagnostic report</h1>",
        f"<p class='notice'><strong>Instrument in use: {escape(instrument['label'])}</strong> "
        f"({escape(instrument['id'])}). {escape(instrument['notice'])} {escape(maturity['label'])}.</p>",
        "<h2>Maturity profile (derived)</h2><div class='charts'>",
    ]
    for domain in maturity["domains"]:
        chart = domain_chart(domain, result["mechanisms"], threshold)
        out.append(f"<div class='chart'>{chart}</div>")
    out.append("</div>")
    at_risk = [m for m in result["mechanisms"] if m["at_risk"]]
    out.append("<h2>Mechanisms at risk</h2>")
    if not at_risk:
        out.append(f"<p class='ok'>No mechanism scores below {threshold}.</p>")
    for mechanism in at_risk:
        out.append(
            f"<section class='mechanism'><h3 class='risk'>{escape(mechanism['label'])}: "
            f"{_score(mechanism['score'])}</h3>"
            f"<p class='cites'>CMOCs: {_records(mechanism['cmocs'])}. Chains (nestings): "
            f"{_records(mechanism['chains'])}.</p><table><tr><th>Item</th><th>Answer</th><th>Score</th>"
            "<th>Cites</th></tr>"
        )
        items = {i["id"]: i for i in result["items"]}
        for item_id in mechanism["weak_items"]:
            item = items[item_id]
            reverse = " (reverse-scored)" if item["reverse_scored"] else ""
            out.append(
                f"<tr><td>{escape(item['id'])}: {escape(item['text'])}</td><td>{item['answer']}</td>"
                f"<td>{item['score']}{reverse}</td><td class='cites'>{_records(item['cmocs'])}</td></tr>"
            )
        out.append("</table>")
        if mechanism.get("prompts"):
            out.append(
                "<p>Action prompts (derived from the evidence, not the study's action statements):</p><ul>"
            )
            out.extend(f"<li>{escape(p['text'])}</li>" for p in mechanism["prompts"])
            out.append("</ul>")
        out.append("</section>")
    out.append(
        "<h2>All mechanisms</h2><table><tr><th>Mechanism</th><th>Score</th><th>Items</th><th>Weight</th></tr>"
    )
    for mechanism in result["mechanisms"]:
        flag = "<span class='risk'>at risk</span>" if mechanism["at_risk"] else ""
        out.append(
            f"<tr><td>{escape(mechanism['label'])} {flag}</td><td>{_score(mechanism['score'])}</td>"
            f"<td>{len(mechanism['items'])}</td><td>{mechanism['weight']}</td></tr>"
        )
    out.append("</table></body></html>\n")
    return "".join(out)

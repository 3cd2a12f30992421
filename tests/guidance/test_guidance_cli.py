"""The guidance commands through the real command line: each says which instrument it uses and
that it is derived; diagnose --html writes a printable, self-contained report."""

from __future__ import annotations

import re
from html import unescape

import yaml
from conftest import run_cli

from causal_web.guidance import guidance_of


def test_typology_stages_and_guidance_say_they_are_derived():
    typology = run_cli("typology")
    assert typology.returncode == 0 and "not the report's typology" in typology.stdout
    assert re.search(r"^buddying\s+yes\s+R21-005, S22-001\s+R21-EP5", typology.stdout, re.M)
    one = run_cli("typology", "buddying")
    assert "mandate: mandated or voluntary (R21-EP5)" in one.stdout
    assert "[curator's inference]" in one.stdout
    stages = run_cli("stages")
    assert (
        stages.returncode == 0
        and "aunger-2023-lifecycle" in stages.stdout
        and "curator's inference" in stages.stdout
    )
    guidance = run_cli("guidance", "--ioc-type", "mandated")
    assert guidance.returncode == 0
    assert guidance.stdout.startswith(
        "Action prompts derived from the evidence, not the study's action statements"
    )
    unknown = run_cli("typology", "no-such-type")
    assert unknown.returncode == 2 and "Unknown collaboration type 'no-such-type'" in unknown.stderr


def test_diagnose_writes_a_printable_report(kb, tmp_path):
    # All items 3 but C04 (shared vision, enables) = 1 and C02 (slow pace, constrains) = 5:
    # conflict = (3 + 1 + 3 + 1 + 3 + 3) / 6 = 14 / 6 = 2.33 -> at risk.
    answers = {item_id: 3 for item_id in guidance_of(kb).instrument.items}
    answers.update(C02=5, C04=1)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    report = tmp_path / "report.html"
    result = run_cli("diagnose", str(path), "--html", str(report))
    assert result.returncode == 0, result.stderr
    assert "Readiness diagnostic derived from the causal web (not the study's survey)" in result.stdout
    assert re.search(r"Conflict\s+2\.33\s+AT RISK", result.stdout)
    assert (
        "Work towards shared vision; it reduces conflict and so supports trust (R21-016; 1 base)."
        in result.stdout
    )
    html = report.read_text(encoding="utf-8")
    assert "@media print" in html
    assert html.count("<svg") == 4  # one chart per domain
    assert "not the study's maturity index" in unescape(html) and "Instrument in use" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # nothing fetched from anywhere

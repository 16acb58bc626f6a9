"""axe-core accessibility checks for pages open in Playwright."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Served by the live server from node_modules through the "vendor" static prefix, so the page's
# Content Security Policy (scripts from 'self' only) stays in force while axe runs.
AXE_URL = "/static/vendor/axe-core/axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """
async () => {
  const results = await window.axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })),
  }));
}
"""


class AccessibilityError(AssertionError):
    """A page has serious or critical axe-core violations."""


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    target: {node['target']}")
            summary = " ".join(node["summary"].split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """All axe-core violations on the current page (any impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(_RUN_AXE)


def assert_accessible(page: Page) -> list[dict[str, Any]]:
    """Fail on serious or critical violations; return the minor and moderate ones for reporting."""
    violations = run_axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AccessibilityError(format_violations(page.url, blocking))
    return violations

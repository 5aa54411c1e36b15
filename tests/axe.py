"""axe-core (from npm, package-lock.json) run inside a Playwright page.

    from .axe import assert_accessible
    assert_accessible(page)            # 0 serious and 0 critical violations

The browser tests call it on the pages the issues name (grid, lesson page, «Мои журналы»).
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page, *, impacts=BLOCKING) -> list[dict]:
    """Violations of WCAG 2.1 A/AA rules on the page as it is now, of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script> element: the
        # pages' Content-Security-Policy refuses inline scripts (and should).
        page.evaluate("source => { (0, eval)(source); }", AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
        " resultTypes: ['violations']})"  # passes and incomplete checks: not collected
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page):
    found = violations(page)
    assert not found, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:5]]}" for v in found
    )

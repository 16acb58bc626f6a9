"""The accessibility check itself: it must catch serious and critical violations."""

from __future__ import annotations

import pytest

from tests.browser.axe import AccessibilityError, assert_accessible
from tests.browser.conftest import UI

pytestmark = pytest.mark.browser


def test_accessibility_check_fails_on_serious_and_critical_violations(ui: UI) -> None:
    ui.goto("/inloggen/")
    ui.page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.appendChild(document.createElement("input"));
          const faint = document.createElement("p");
          faint.textContent = "Bijna onleesbaar";
          faint.style.color = "#d0d0d0";
          main.appendChild(faint);
        }"""
    )
    with pytest.raises(AccessibilityError) as excinfo:
        assert_accessible(ui.page)
    message = str(excinfo.value)
    assert "label" in message
    assert "color-contrast" in message
    assert "target: " in message

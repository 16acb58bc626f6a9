// The dossier workspace: after the section navigation swapped the panel (HTMX), move the focus to
// the panel's heading, so that keyboard and screen-reader users land on the section they chose.
(function () {
  "use strict";
  function focusHeading(panel) {
    var heading = panel.querySelector("h2, h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.hasAttribute && target.hasAttribute("data-workspace-panel")) {
      focusHeading(target);
    }
  });
})();

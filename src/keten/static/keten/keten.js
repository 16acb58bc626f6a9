/* Keten front-end behaviour. No inline scripts (CSP): everything is wired from data attributes. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector(".keten-error-summary");
    if (summary) { summary.focus(); }
  }

  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var table = document.getElementById(canvas.dataset.chartSource);
      if (!table) { return; }
      var labels = [];
      var values = [];
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var label = row.querySelector("th");
        var cell = row.querySelector("td[data-value]");
        if (!label || !cell) { return; }
        labels.push(label.textContent.trim());
        values.push(cell.dataset.value === "" ? null : Number(cell.dataset.value));
      });
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: canvas.dataset.chart,
        data: { labels: labels, datasets: [{ label: table.querySelector("caption").textContent.trim(), data: values, backgroundColor: "#2b5a8a" }] },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    });
  }

  /* Scrollable regions (WCAG 2.1.1, axe "scrollable-region-focusable"): a table container or any
     other box Keten lets scroll (.keten-scroll) that is actually wider or taller than its box
     becomes a focusable, named region, so keyboard users can scroll it with the arrow keys. One
     that fits gets none of this (an empty tab stop would only be noise). */
  var SCROLLERS = ".utrecht-table-container, .keten-scroll";
  var regionCount = 0;

  function regionName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      if (!caption.id) { regionCount += 1; caption.id = "keten-caption-" + regionCount; }
      return { labelledby: caption.id };
    }
    var heading = box.querySelector("h1, h2, h3, h4, h5, h6, [aria-label]");
    var label = box.dataset.ketenRegionLabel ||
      (heading && (heading.getAttribute("aria-label") || heading.textContent.trim())) ||
      document.documentElement.dataset.ketenRegionDefault || "Scrollbaar gebied";
    return { label: label };
  }

  function markScrollRegions() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      var marked = box.dataset.ketenRegion === "1";
      if (overflows && !marked) {
        var name = regionName(box);
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (name.labelledby) { box.setAttribute("aria-labelledby", name.labelledby); } else { box.setAttribute("aria-label", name.label); }
        box.classList.add("keten-scroll-region");
        box.dataset.ketenRegion = "1";
      } else if (!overflows && marked) {
        ["tabindex", "role", "aria-labelledby", "aria-label"].forEach(function (attribute) { box.removeAttribute(attribute); });
        box.classList.remove("keten-scroll-region");
        delete box.dataset.ketenRegion;
      }
    });
  }

  var resizeTimer = null;
  function onResize() {
    if (resizeTimer) { window.clearTimeout(resizeTimer); }
    resizeTimer = window.setTimeout(markScrollRegions, 100);
  }

  /* Native <dialog>: showModal() keeps focus inside the dialog and Escape closes it; what the
     browser does not do is give focus back. Any <button data-keten-dialog="ID"> opens dialog ID
     as a modal; a [data-keten-dialog-close] button inside closes it; on close, focus returns to
     whatever had it before (the opener). Dialogs opened by other scripts get the same return. */
  var dialogOpeners = new WeakMap();

  function rememberOpener(dialog) {
    var active = document.activeElement;
    if (active && active !== document.body && !dialog.contains(active)) { dialogOpeners.set(dialog, active); }
  }

  function returnFocus(event) {
    var dialog = event.target;
    var opener = dialogOpeners.get(dialog);
    dialogOpeners.delete(dialog);
    if (opener && document.contains(opener) && typeof opener.focus === "function") { opener.focus(); }
  }

  if (window.HTMLDialogElement && HTMLDialogElement.prototype.showModal) {
    var nativeShowModal = HTMLDialogElement.prototype.showModal;
    HTMLDialogElement.prototype.showModal = function () {
      rememberOpener(this);
      return nativeShowModal.apply(this, arguments);
    };
  }
  document.addEventListener("close", function (event) {
    if (event.target instanceof Element && event.target.tagName === "DIALOG") { returnFocus(event); }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var opener = target.closest("[data-keten-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.ketenDialog);
      if (dialog && dialog.tagName === "DIALOG" && !dialog.open) {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = target.closest("[data-keten-dialog-close]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) { event.preventDefault(); open.close(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    drawCharts(document);
    markScrollRegions();
  });
  window.addEventListener("load", markScrollRegions);
  window.addEventListener("resize", onResize);
  document.addEventListener("htmx:afterSwap", function (event) {
    drawCharts(event.target);
    markScrollRegions();
  });
  document.addEventListener("htmx:afterSettle", markScrollRegions);
})();

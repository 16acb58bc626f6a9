/* Netwerkplaat of the gap view, drawn with cytoscape from the JSON next to it.
   No inline scripts (CSP). Without JavaScript the section stays hidden; the tables carry the same facts. */
(function () {
  "use strict";

  // Shapes per organisation type; colours come from the legend swatches (one source: keten.css).
  var SHAPES = {
    wijkteam: "ellipse",
    jgz: "round-rectangle",
    onderwijs: "triangle",
    huisarts: "diamond",
    kinderopvang: "hexagon",
    veilig_thuis: "star",
    politie: "rectangle",
    ggz: "pentagon",
    other: "ellipse"
  };

  function legendColours(section) {
    var colours = {};
    section.querySelectorAll(".keten-graph__legend-item[data-type]").forEach(function (item) {
      var swatch = item.querySelector(".keten-graph__swatch");
      if (swatch) { colours[item.dataset.type] = window.getComputedStyle(swatch).backgroundColor; }
    });
    return colours;
  }

  function lineColour(section, kind) {
    var line = section.querySelector(".keten-graph__line--" + kind);
    return line ? window.getComputedStyle(line).borderTopColor : "#444";
  }

  function draw() {
    var section = document.querySelector("[data-keten-graph]");
    var container = document.getElementById("keten-network-graph");
    var source = document.getElementById("keten-network-data");
    if (!section || !container || !source || typeof window.cytoscape === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.nodes.length) { return; }
    // Cytoscape adds an inline <style> unless this id exists; the rule it needs is in keten.css.
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      var marker = document.createElement("meta");
      marker.id = "__________cytoscape_stylesheet";
      document.head.appendChild(marker);
    }
    section.hidden = false;
    var colours = legendColours(section);
    var colourOf = function (node) { return colours[node.data("type")] || colours.other || "#6b6b6b"; };
    var shapeOf = function (node) { return SHAPES[node.data("type")] || SHAPES.other; };
    window.cytoscape({
      container: container,
      elements: data.nodes.concat(data.edges),
      autoungrabify: false,
      wheelSensitivity: 0.2,
      style: [
        { selector: "node", style: {
          "background-color": colourOf, "shape": shapeOf, "label": "data(label)",
          "font-size": 10, "color": "#1a1a1a", "text-valign": "bottom", "text-margin-y": 4,
          "text-wrap": "wrap", "text-max-width": 110, "width": 26, "height": 26,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1
        } },
        { selector: "node[?stale]", style: { "border-width": 3, "border-style": "dotted", "border-color": "#1a1a1a" } },
        { selector: "edge", style: { "width": 2, "curve-style": "bezier", "line-color": lineColour(section, "agreement") } },
        { selector: "edge[kind = 'overdue']", style: { "line-color": lineColour(section, "overdue"), "width": 3 } },
        { selector: "edge[kind = 'missing']", style: {
          "line-color": lineColour(section, "missing"), "line-style": "dashed", "line-dash-pattern": [6, 4], "width": 2
        } }
      ],
      // Force-directed: organisations that work together end up close; wijkteams weigh more.
      layout: {
        name: "cose",
        animate: false,
        padding: 30,
        nodeRepulsion: function () { return 9000; },
        idealEdgeLength: function (edge) { return edge.data("kind") === "missing" ? 160 : 110; },
        edgeElasticity: function (edge) { return edge.data("kind") === "missing" ? 40 : 100; },
        nodeDimensionsIncludeLabels: true
      }
    });
    container.dataset.drawn = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();

// Draws the region's IKM trend from the JSON data on the page (the table shows the same numbers).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("fb-trend-data");
    var canvas = document.getElementById("fb-trend");
    if (!el || !canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(el.textContent);
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: data.datasets.map(function (d) {
        return { label: d.label, data: d.values, spanGaps: true, tension: 0.2 };
      }) },
      options: { responsive: true, maintainAspectRatio: false,
        scales: { y: { suggestedMin: 60, suggestedMax: 100 } } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();

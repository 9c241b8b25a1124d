// Draw every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">.
(function () {
  "use strict";
  function draw() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          responsive: true,
          plugins: { legend: { display: spec.type === "doughnut" || spec.datasets.length > 1 } },
          indexAxis: spec.type === "bar" && spec.labels.length > 6 ? "y" : "x",
          scales: spec.stacked ? { x: { stacked: true }, y: { stacked: true } } : undefined
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

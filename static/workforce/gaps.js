// Gap chart: needed vs in post vs retiring per unit. Data comes from a json_script element.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("gap-chart-data");
    var canvas = document.getElementById("gap-chart");
    if (!source || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.series[0], data: data.needed, backgroundColor: "#0d6efd" },
          { label: data.series[1], data: data.in_post, backgroundColor: "#198754" },
          { label: data.series[2], data: data.retiring, backgroundColor: "#dc3545" }
        ]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

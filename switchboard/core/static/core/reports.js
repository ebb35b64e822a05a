// The Reports page (ADMIN-02): draws the charts from the JSON block the page carries (no inline
// script: the CSP allows only our own files). Each chart's numbers are also in a table.
(function () {
  "use strict";
  const block = document.getElementById("report-data");
  if (!block || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(block.textContent);
  const lang = document.documentElement.lang || "en";
  // Day first with the month's name ("6 Dec", "6 gru"): English's numeric 12/6 reads as June in Europe.
  const day = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, { day: "numeric", month: "short" });
  const days = data.days.map((iso) => day.format(new Date(iso + "T12:00:00")));
  const phone = window.matchMedia("(max-width: 575.98px)").matches;
  Chart.defaults.font.size = phone ? 11 : 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  const ticks = { maxRotation: 0, autoSkip: true, maxTicksLimit: phone ? 6 : 12 };
  const integer = { beginAtZero: true, ticks: { precision: 0 } };
  const charts = {
    volume: {
      type: "bar",
      data: {
        labels: days,
        datasets: [
          { label: data.labels.created, data: data.created, backgroundColor: "#0d6efd" },
          { label: data.labels.closed, data: data.closed, backgroundColor: "#198754" },
        ],
      },
      options: { scales: { x: { ticks }, y: integer }, plugins: { legend: { position: "bottom" } } },
    },
    backlog: {
      type: "line",
      data: {
        labels: days,
        datasets: [{ label: data.labels.backlog, data: data.backlog, borderColor: "#dc3545", pointRadius: 0, tension: 0.2 }],
      },
      options: { scales: { x: { ticks }, y: integer }, plugins: { legend: { display: false } } },
    },
    agents: {
      type: "bar",
      data: {
        labels: data.agents,
        datasets: [{ label: data.labels.replies, data: data.replies, backgroundColor: "#6f42c1" }],
      },
      options: { indexAxis: "y", scales: { x: integer }, plugins: { legend: { display: false } } },
    },
  };
  document.querySelectorAll("canvas[data-report-chart]").forEach((canvas) => {
    const config = charts[canvas.dataset.reportChart];
    if (config) {
      new Chart(canvas, config);
    }
  });
})();

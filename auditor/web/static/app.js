// cardshop-auditor web page: the progress page follows its scan over server-sent events.
// Loaded as a static file (the CSP allows no inline script); every text it writes comes
// from the page's own data attributes or the server's JSON, set with textContent.
"use strict";

(function () {
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function followProgress(section) {
    const url = section.getAttribute("data-events");
    if (!url || !window.EventSource) { return; }
    const elapsedEl = document.getElementById("elapsed");
    const queueEl = document.getElementById("queue");
    let base = parseFloat(section.getAttribute("data-elapsed")) || 0;
    let since = Date.now();
    let running = section.getAttribute("data-state") === "running";

    function tick() {
      if (!elapsedEl) { return; }
      const seconds = running ? base + (Date.now() - since) / 1000 : base;
      elapsedEl.textContent = format(section.getAttribute("data-seconds"), { n: Math.floor(seconds) });
    }

    function show(status) {
      base = status.elapsed_seconds;
      since = Date.now();
      running = status.state === "running";
      section.setAttribute("data-state", status.state);
      Object.keys(status.stages).forEach(function (key) {
        const item = section.querySelector('[data-stage="' + key + '"]');
        if (!item) { return; }
        const state = status.stages[key];
        item.className = "stage st-" + state;
        item.querySelector(".stage-state").textContent = section.getAttribute("data-state-" + state) || state;
      });
      if (queueEl) {
        const pos = status.position;
        queueEl.textContent = pos > 1 ? format(section.getAttribute("data-queued"), { n: pos - 1, pos: pos })
          : pos === 1 ? section.getAttribute("data-queued-next") : "";
      }
      tick();
    }

    const source = new EventSource(url);
    source.addEventListener("status", function (e) { show(JSON.parse(e.data)); });
    source.addEventListener("done", function (e) {
      const status = JSON.parse(e.data);
      source.close();
      show(status);
      // the result page (or, after a failure, this page again, which then shows why)
      window.location.replace(status.result_url || window.location.href);
    });
    setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const section = document.querySelector("section.progress[data-events]");
    if (section && section.getAttribute("data-state") !== "failed") { followProgress(section); }
    const form = document.querySelector("form.check-form");
    if (form) {
      form.addEventListener("submit", function () {
        const button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
      });
    }
  });
})();

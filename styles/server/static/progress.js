// Polls the preview's progress and shows each step as it comes (the list is a live
// region, WCAG 2.2 SC 4.1.3 status messages); reloads the page when the PDFs are ready.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  var steps = document.getElementById("steps");
  function poll() {
    fetch(box.dataset.progress, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        for (var i = steps.children.length; i < job.steps.length; i++) {
          var li = document.createElement("li");
          li.textContent = job.steps[i];
          steps.appendChild(li);
        }
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();

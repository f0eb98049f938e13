// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Copy the shareable link on focus/click.
  document.querySelectorAll("input[data-copy]").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });
  // Compare: allow at most four ticked sites.
  var boxes = document.querySelectorAll('input[name="ids"][form="compare"]');
  boxes.forEach(function (b) {
    b.addEventListener("change", function () {
      var n = document.querySelectorAll('input[name="ids"][form="compare"]:checked').length;
      boxes.forEach(function (o) { if (!o.checked) { o.disabled = n >= 4; } });
    });
  });
  // A batch upload shows that it is working.
  document.querySelectorAll("form[data-busy]").forEach(function (f) {
    f.addEventListener("submit", function () {
      var s = f.querySelector(".busy");
      if (s) { s.textContent = f.getAttribute("data-busy"); }
      var btn = f.querySelector('button[type="submit"]');
      if (btn) { btn.disabled = true; }
    });
  });
})();

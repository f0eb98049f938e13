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
  // What-if: the value field offers the labels of the chosen column's values (datalist "choices-<column>");
  // without this file it offers those of the column chosen when the page was made.
  document.querySelectorAll("select[data-choices]").forEach(function (sel) {
    var input = document.getElementById(sel.getAttribute("data-choices"));
    if (!input) { return; }
    var bind = function () {
      var list = document.getElementById("choices-" + sel.value);
      if (list) { input.setAttribute("list", list.id); } else { input.removeAttribute("list"); }
    };
    sel.addEventListener("change", bind);
    bind();
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

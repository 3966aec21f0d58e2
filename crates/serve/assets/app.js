// crosscheck web UI: explanations for highlighted passages, kind toggles. Reads only the
// page's own DOM; never evaluates or inserts markup (textContent and cloned nodes only).
"use strict";
(function () {
  function explain(numbers, source) {
    var panel = document.getElementById("explain");
    if (!panel) return;
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var heading = document.createElement("h3");
    heading.textContent = numbers.length === 1 ? "What was found here" : numbers.length + " items cover this passage";
    panel.appendChild(heading);
    numbers.forEach(function (n) {
      var item = document.getElementById("it-" + n);
      if (!item) return;
      item.classList.add("selected");
      var copy = item.cloneNode(true);
      copy.removeAttribute("id");
      copy.classList.add("explained");
      panel.appendChild(copy);
      document.querySelectorAll('.hl[data-items~="' + n + '"]').forEach(function (el) { el.classList.add("selected"); });
    });
    panel.setAttribute("data-open", numbers.map(function (n) { return "it-" + n; }).join(" "));
    if (source) source.classList.add("selected");
  }

  function itemsOf(el) {
    return (el.getAttribute("data-items") || "").split(" ").filter(function (s) { return /^\d+$/.test(s); });
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!(target instanceof Element)) return;
    var hl = target.closest(".hl[data-items]");
    if (hl) { explain(itemsOf(hl), hl); return; }
    var go = target.closest("a.goto");
    if (go) {
      ev.preventDefault();
      var n = go.getAttribute("data-item");
      var first = document.querySelector('.hl[data-items~="' + n + '"]');
      if (first) { first.scrollIntoView({ block: "center" }); explain([n], first); }
    }
  });

  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-kind")) return;
    var article = document.getElementById("article");
    if (article) article.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var m = /^#it-(\d+)$/.exec(window.location.hash);
    if (m) {
      var first = document.querySelector('.hl[data-items~="' + m[1] + '"]');
      explain([m[1]], first);
      if (first) first.scrollIntoView({ block: "center" });
    }
    var focus = document.getElementById("focus");
    if (focus && window.location.hash === "#focus") {
      focus.scrollIntoView({ block: "center" });
      explain(itemsOf(focus), focus);
    }
  });
})();

/* Accessibility repairs of Select2 4's generated markup (GB/T 37668-2019, WCAG 2.1 AA; checked
   by tests/browser/test_accessibility.py): its search box and its box get the name of the
   <select> they stand for (the field's label), and the "remove all" cross, which Select2 puts
   straight inside a <ul>, is wrapped in an <li>. Select2 redraws on every change, so a
   MutationObserver repeats the repair. */
(function () {
  "use strict";
  function fieldName(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    var text = label ? label.textContent : select.getAttribute("data-placeholder") || "";
    return text.replace(/\*/g, "").trim();
  }
  function mend() {
    var selects = document.querySelectorAll("select.select2-hidden-accessible");
    Array.prototype.forEach.call(selects, function (select) {
      var box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) { return; }
      var name = fieldName(select);
      var unnamed = box.querySelectorAll(
        ".select2-search__field:not([aria-label]), .select2-selection[role=combobox]:not([aria-label])");
      Array.prototype.forEach.call(unnamed, function (el) { el.setAttribute("aria-label", name); });
      var crosses = box.querySelectorAll("ul > .select2-selection__clear");
      Array.prototype.forEach.call(crosses, function (cross) {
        var item = document.createElement("li");
        item.className = "award-select2-clear";
        cross.parentNode.insertBefore(item, cross);
        item.appendChild(cross);
      });
    });
  }
  function start() {
    mend();
    new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

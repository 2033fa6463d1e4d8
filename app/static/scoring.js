/* Scoresheet entry: item points, category and total scores shown as the reviewer types.
 * Arithmetic in hundredths of a point (integers), as the server computes it exactly:
 * item points = item maximum x percent / 100. The server recomputes on every save. */
(function () {
  "use strict";
  var form = document.getElementById("scoresheet-form");
  if (!form) { return; }

  function hundredths(text) {
    var parts = String(text).split(".");
    var whole = parseInt(parts[0], 10) || 0;
    var frac = ((parts[1] || "") + "00").slice(0, 2);
    return whole * 100 + (parseInt(frac, 10) || 0);
  }

  function show(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    var frac = String(cents % 100);
    return sign + Math.floor(cents / 100) + "." + (frac.length < 2 ? "0" + frac : frac);
  }

  function recompute() {
    var selects = form.querySelectorAll("select.score-percent");
    var categories = {};
    var total = 0;
    var missing = 0;
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      var cell = select.closest("tr").querySelector(".item-points");
      var category = select.getAttribute("data-category");
      categories[category] = categories[category] || 0;
      var percent = parseInt(select.value, 10);
      if (select.value === "" || isNaN(percent) || percent % 5 !== 0 || percent < 0 || percent > 100) {
        cell.textContent = "—";
        missing += 1;
        continue;
      }
      // Exact for whole-number item points (all of GB/T 19580-2012) in steps of 5 percent.
      var cents = Math.round(hundredths(select.getAttribute("data-points")) * percent / 100);
      cell.textContent = show(cents);
      categories[category] += cents;
      total += cents;
    }
    var subtotals = document.querySelectorAll(".category-subtotal");
    for (var j = 0; j < subtotals.length; j++) {
      subtotals[j].textContent = show(categories[subtotals[j].getAttribute("data-category")] || 0);
    }
    document.getElementById("sheet-total").textContent = show(total);
    var counter = document.getElementById("missing-count");
    if (counter) { counter.textContent = String(missing); }
  }

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("score-percent")) { recompute(); }
  });

  var submit = document.getElementById("btn-submit");
  if (submit) {
    submit.addEventListener("click", function (event) {
      if (!window.confirm(submit.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  }
  recompute();
}());

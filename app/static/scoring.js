/* Scoresheet entry for an evening's work (M-19.2, M-19.4).
 *
 * - Item points, category and total scores shown as the reviewer types, in hundredths of a
 *   point (integers), as the server computes them exactly: item points = item maximum x
 *   percent / 100. Only when the page can be edited: a read-only sheet keeps the server's
 *   numbers (a submitted sheet must never read 0.00).
 * - The band of the standard (GB/T 19580) beside each item, for the chosen percent.
 * - How many items of each category have written strengths and opportunities.
 * - Drafts saved automatically, through the same save endpoint as the form (JSON answer), on
 *   every change and every minute; a copy kept in this browser's localStorage until the server
 *   has it, restored (and said so) when the page is opened again. */
(function () {
  "use strict";
  var form = document.getElementById("scoresheet-form");
  if (!form) { return; }
  var selects = form.querySelectorAll("select.score-percent");
  var editable = selects.length > 0;

  var submit = document.getElementById("btn-submit");
  if (submit) {
    submit.addEventListener("click", function (event) {
      if (!window.confirm(submit.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  }
  if (!editable) {
    // Read-only (submitted, or another's): nothing to recompute, nothing left to restore.
    try { window.localStorage.removeItem("award-scoresheet-draft-" + form.getAttribute("data-sheet")); }
    catch (e) { /* storage forbidden */ }
    return;
  }

  var bandData = JSON.parse((document.getElementById("band-data") || {}).textContent || "{}");

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

  function validPercent(select) {
    var percent = parseInt(select.value, 10);
    if (select.value === "" || isNaN(percent) || percent % 5 !== 0 || percent < 0 || percent > 100) {
      return null;
    }
    return percent;
  }

  function bandHint(select) {
    var hint = document.getElementById(select.getAttribute("aria-describedby"));
    if (!hint || !bandData.limits) { return; }
    var percent = validPercent(select);
    if (percent === null) { hint.textContent = bandData.none || ""; return; }
    for (var i = 0; i < bandData.limits.length; i++) {
      var limit = bandData.limits[i];  // [n, low, high]
      if (percent >= limit[1] && percent <= limit[2]) {
        var texts = bandData.guide[String(limit[0])] || ["", ""];
        var text = select.getAttribute("data-kind") === "process" ? texts[0] : texts[1];
        hint.textContent = bandData.label.replace("{n}", limit[0]) + "：" + text;
        return;
      }
    }
  }

  function recompute() {
    var categories = {};
    var total = 0;
    var missing = 0;
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      var cell = select.closest("tr").querySelector(".item-points");
      var category = select.getAttribute("data-category");
      categories[category] = categories[category] || 0;
      var percent = validPercent(select);
      bandHint(select);
      if (percent === null) {
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
    countComments();
  }

  function countComments() {
    var states = document.querySelectorAll(".comment-state");
    for (var i = 0; i < states.length; i++) {
      var code = states[i].getAttribute("data-category");
      ["strengths", "improvements"].forEach(function (field) {
        var boxes = form.querySelectorAll(
          "textarea.score-comment[data-field='" + field + "'][data-category='" + code + "']");
        var filled = 0;
        for (var k = 0; k < boxes.length; k++) { if (boxes[k].value.trim()) { filled += 1; } }
        states[i].querySelector("." + field + "-filled").textContent = String(filled);
        states[i].querySelector("." + field + "-empty").textContent = String(boxes.length - filled);
      });
    }
  }

  // --- the copy in this browser ------------------------------------------------------------
  var sheetId = form.getAttribute("data-sheet");
  var storeKey = "award-scoresheet-draft-" + sheetId;
  var statusLine = document.getElementById("autosave-status");

  function values() {
    var out = {};
    var fields = form.querySelectorAll("select.score-percent, textarea");
    for (var i = 0; i < fields.length; i++) { out[fields[i].name] = fields[i].value; }
    return out;
  }

  function same(a, b) {
    var keys = Object.keys(a);
    for (var i = 0; i < keys.length; i++) { if ((a[keys[i]] || "") !== (b[keys[i]] || "")) { return false; } }
    return true;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keepCopy() {
    var store = storage();
    if (!store) { return; }
    try {
      store.setItem(storeKey, JSON.stringify({ at: new Date().toISOString(), values: values() }));
    } catch (e) { /* full or forbidden: the server save still runs */ }
  }

  function dropCopy() {
    var store = storage();
    if (store) { store.removeItem(storeKey); }
  }

  function say(text, danger) {
    if (!statusLine) { return; }
    statusLine.textContent = text;
    statusLine.className = danger ? "text-danger" : "text-success";
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function restore() {
    var store = storage();
    var raw = store && store.getItem(storeKey);
    if (!raw) { return false; }
    var copy;
    try { copy = JSON.parse(raw); } catch (e) { dropCopy(); return false; }
    if (!copy || !copy.values || same(copy.values, values())) { dropCopy(); return false; }
    var names = Object.keys(copy.values);
    for (var i = 0; i < names.length; i++) {
      var field = form.querySelector("[name='" + names[i] + "']");
      if (field) { field.value = copy.values[names[i]]; }
    }
    var notice = document.getElementById("draft-restored");
    if (notice) {
      var at = new Date(copy.at);
      var when = document.getElementById("draft-restored-when");
      if (when && !isNaN(at.getTime())) {
        when.textContent = at.getFullYear() + "-" + two(at.getMonth() + 1) + "-" + two(at.getDate()) +
          " " + two(at.getHours()) + ":" + two(at.getMinutes()) + " ";
      }
      notice.hidden = false;
    }
    return true;
  }

  // --- saving to the server ------------------------------------------------------------------
  var dirty = false;
  var busy = false;
  var stopped = false;
  var timer = null;

  function autosave() {
    timer = null;
    if (!dirty || busy || stopped) { return; }
    busy = true;
    dirty = false;
    var sent = values();
    var body = new FormData(form);
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") < 0) {
        // The login page: the session expired. The copy in this browser keeps the work.
        stopped = true;
        say(form.getAttribute("data-msg-expired"), true);
        return null;
      }
      return response.json().then(function (answer) {
        if (!response.ok) {
          if (response.status === 409) { stopped = true; }
          say(form.getAttribute("data-msg-refused") + answer.message + form.getAttribute("data-msg-kept"), true);
          return;
        }
        form.querySelector("input[name='version']").value = answer.version;
        form.setAttribute("data-version", answer.version);
        var now = new Date();
        say(answer.message + "（" + two(now.getHours()) + ":" + two(now.getMinutes()) + "）", false);
        if (same(sent, values())) { dropCopy(); } else { dirty = true; schedule(); }
      });
    }).catch(function () {
      dirty = true;
      say(form.getAttribute("data-msg-offline"), true);
    }).then(function () {
      busy = false;
      if (waitingSubmitter !== null || form.getAttribute("data-waiting") === "1") {
        var submitter = waitingSubmitter;
        waitingSubmitter = null;
        form.removeAttribute("data-waiting");
        stopped = true;
        if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      }
    });
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(autosave, 2000);
  }

  function changed() {
    dirty = true;
    keepCopy();
    schedule();
  }

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("score-percent")) { recompute(); }
    changed();
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { countComments(); changed(); }
  });
  var waitingSubmitter = null;
  form.addEventListener("submit", function (event) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    keepCopy();
    if (busy) {
      // An automatic save is on its way: send the form once it has the new version, or the
      // server would refuse the form as stale (M-19.2 no lost update).
      event.preventDefault();
      waitingSubmitter = event.submitter || null;
      form.setAttribute("data-waiting", "1");
      return;
    }
    stopped = true;
  });
  window.setInterval(function () { if (dirty) { autosave(); } }, 60000);

  var discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", function () { dropCopy(); window.location.reload(); });
  }

  if (restore()) { dirty = true; schedule(); }
  recompute();
}());

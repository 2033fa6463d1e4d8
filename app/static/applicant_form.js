/* The online application form saves itself (issue 18): a short pause after typing posts the
   draft with its version; a stale draft (409) is refused and said so, nothing is overwritten. */
(function () {
  var form = document.getElementById("draft-form");
  var state = document.getElementById("autosave-state");
  if (!form || !state) { return; }
  var timer = null;
  var halted = false;
  function versions(v) {
    var inputs = document.querySelectorAll("input.js-version");
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = v; }
  }
  function save() {
    if (halted) { return; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 200) {
        versions(body.version);
        state.textContent = body.message + (body.missing && body.missing.length ?
          "；尚缺 " + body.missing.length + " 项（刷新页面查看清单）" : "；材料已齐全，可以提交");
        state.className = "text-success";
      } else {
        if (xhr.status === 409) { halted = true; }
        state.textContent = (body.message || "保存失败") + (body.rule ? "（" + body.rule + "）" : "");
        state.className = "text-danger";
      }
    };
    xhr.send(new FormData(form));
  }
  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    state.textContent = "正在编辑…";
    timer = setTimeout(save, 1500);
  });
  form.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 300);
  });
})();

(function () {
  "use strict";
  var table = document.getElementById("shops");
  if (!table || !table.tHead) { return; }
  var heads = table.tHead.rows[0].cells;
  function key(row, i, numeric) {
    var v = row.cells[i].getAttribute("data-v");
    if (numeric) { return v === "" || v === null ? Infinity : parseFloat(v); }
    return (v || row.cells[i].textContent || "").toLowerCase();
  }
  function sortBy(i) {
    var th = heads[i];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    for (var h = 0; h < heads.length; h++) { heads[h].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var numeric = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, numeric), y = key(b, i, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? c : -c;
    });
    for (var r = 0; r < rows.length; r++) { body.appendChild(rows[r]); }
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var button = th.querySelector("button");
    if (button) { button.disabled = false; button.addEventListener("click", function () { sortBy(i); }); }
  });
})();

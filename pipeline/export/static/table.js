/* teipipe HTML edition: the table of documents on the home page sorts by any column (a
 * button in each heading; aria-sort says the order) and filters as one types (every word
 * typed must appear in the row; case and accents do not matter).  Without JavaScript the
 * table is there, oldest first. */
(function () {
  "use strict";

  function start() {
    var table = document.querySelector("table.sortable");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var caption = table.caption;
    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    var fold = window.teipipe.fold;

    function key(row, col) {
      var cell = row.cells[col];
      return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    }

    function sortBy(col, direction) {
      var sign = direction === "ascending" ? 1 : -1;
      var order = rows.slice().sort(function (a, b) {
        return sign * collator.compare(key(a, col), key(b, col)) ||
               rows.indexOf(a) - rows.indexOf(b);
      });
      order.forEach(function (row) { body.appendChild(row); });
      heads.forEach(function (th, i) {
        if (i === col) th.setAttribute("aria-sort", direction);
        else th.removeAttribute("aria-sort");
      });
      caption.textContent = "The documents of the edition, by " +
        heads[col].textContent.trim().toLowerCase() +
        (direction === "ascending" ? ", ascending" : ", descending");
    }

    heads.forEach(function (th, col) {
      if (!th.dataset.sortType) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent.trim();
      th.replaceChildren(button);
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        sortBy(col, now === "ascending" ? "descending" : "ascending");
      });
    });

    var tools = document.querySelector(".table-tools");
    var input = document.getElementById("doc-filter");
    var status = document.getElementById("doc-filter-status");
    var texts = rows.map(function (row) { return fold(row.textContent); });
    function filter() {
      var wanted = window.teipipe.words(input.value);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = wanted.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = wanted.length === 0
        ? rows.length + " documents"
        : (shown === 0 ? "No document matches" : "Showing " + shown + " of " + rows.length + " documents");
    }
    if (tools && input) {
      tools.hidden = false;
      input.addEventListener("input", filter);
      filter();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

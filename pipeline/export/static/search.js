/* teipipe HTML edition: full-text search in the browser, over the index that
 * pipeline/export/search.py builds at export time (assets/search-index.js sets
 * window.teipipeSearch; its format is documented there).
 *
 * A passage matches when it has every word of the query (a word ending in * matches the
 * words it begins; a "phrase" must appear as such) and, if an entity is chosen, names that
 * entity.  Results are grouped by document in reading order, each passage with a snippet
 * whose words are marked, and link to the passage (?q= carries the words, so the document
 * page marks them too).  The query lives in the address (?q=...&entity=...), so a search
 * can be bookmarked and the back button works. */
(function () {
  "use strict";

  var SNIPPET = 220;
  var MAX_PASSAGES = 500;

  function start() {
    var data = window.teipipeSearch;
    var form = document.getElementById("search-form");
    if (!data || !form) return;
    var tp = window.teipipe;
    var input = document.getElementById("q");
    var select = document.getElementById("entity");
    var status = document.getElementById("search-status");
    var results = document.getElementById("results");
    var vocabulary = Object.keys(data.words);
    var entityIndex = {};
    data.entities.forEach(function (e, i) { entityIndex[e[0]] = i; });

    function postingsFor(word, prefix) {
      if (!prefix) return data.words[word] || [];
      var set = {};
      vocabulary.forEach(function (w) {
        if (w.indexOf(word) === 0) data.words[w].forEach(function (p) { set[p] = true; });
      });
      return Object.keys(set).map(Number);
    }

    function intersect(a, b) {
      var inB = {};
      b.forEach(function (x) { inB[x] = true; });
      return a.filter(function (x) { return inB[x]; });
    }

    function hasPhrase(text, phrase) {
      var ws = tp.words(text);
      outer: for (var i = 0; i + phrase.length <= ws.length; i++) {
        for (var j = 0; j < phrase.length; j++) if (ws[i + j] !== phrase[j]) continue outer;
        return true;
      }
      return false;
    }

    function find(query, entity) {
      var terms = tp.parseQuery(query);
      var hits = null;
      terms.forEach(function (t) {
        t.words.forEach(function (w, i) {
          var p = postingsFor(w, t.prefix && i === t.words.length - 1);
          hits = hits === null ? p.slice() : intersect(hits, p);
        });
      });
      var e = entity in entityIndex ? entityIndex[entity] : -1;
      if (hits === null) {
        if (e < 0) return { terms: terms, hits: [] };
        hits = data.passages.map(function (_, i) { return i; });
      }
      hits = hits.filter(function (i) {
        var p = data.passages[i];
        if (e >= 0 && p[4].indexOf(e) === -1) return false;
        return terms.every(function (t) { return !t.phrase || hasPhrase(p[3], t.words); });
      });
      hits.sort(function (a, b) { return a - b; });
      return { terms: terms, hits: hits };
    }

    function snippet(text, test) {
      var spans = tp.wordSpans(text, test);
      var start = 0;
      if (spans.length && spans[0][0] > SNIPPET / 3) {
        start = text.lastIndexOf(" ", spans[0][0] - SNIPPET / 3) + 1;
      }
      var end = Math.min(text.length, start + SNIPPET);
      if (end < text.length) {
        var cut = text.lastIndexOf(" ", end);
        if (cut > start) end = cut;
      }
      var span = document.createElement("span");
      span.className = "snippet";
      if (start > 0) span.appendChild(document.createTextNode("…"));
      var inside = spans.filter(function (s) { return s[0] >= start && s[1] <= end; })
                        .map(function (s) { return [s[0] - start, s[1] - start]; });
      tp.appendMarked(span, text.slice(start, end), inside);
      if (end < text.length) span.appendChild(document.createTextNode("…"));
      return span;
    }

    function render(query, entity) {
      results.replaceChildren();
      var found = find(query, entity);
      if (!found.terms.length && !(entity in entityIndex)) {
        status.textContent = "Type words to search " + data.documents.length + " documents.";
        return;
      }
      var test = tp.matcher(found.terms);
      var shown = found.hits.slice(0, MAX_PASSAGES);
      var byDoc = [];
      var last = -1;
      shown.forEach(function (i) {
        var p = data.passages[i];
        if (p[0] !== last) { byDoc.push({ doc: p[0], passages: [] }); last = p[0]; }
        byDoc[byDoc.length - 1].passages.push(p);
      });
      var docs = {};
      found.hits.forEach(function (i) { docs[data.passages[i][0]] = true; });
      var nDocs = Object.keys(docs).length;
      var what = entity in entityIndex ? " naming " + data.entities[entityIndex[entity]][1] : "";
      status.textContent = found.hits.length === 0
        ? "No passage found" + what + "."
        : found.hits.length + (found.hits.length === 1 ? " passage" : " passages") + " in " +
          nDocs + (nDocs === 1 ? " document" : " documents") + what +
          (found.hits.length > MAX_PASSAGES ? "; the first " + MAX_PASSAGES + " are shown." : ".");
      if (entity in entityIndex) {  // the register's page of the entry: every passage, not only the first
        var e = data.entities[entityIndex[entity]];
        var about = document.createElement("p");
        about.className = "entity-note";
        var entry = document.createElement("a");
        entry.href = e[3];
        entry.textContent = e[1];
        about.append("In the register: ", entry, ", with every passage that names it.");
        results.appendChild(about);
      }
      var list = document.createElement("ol");
      byDoc.forEach(function (group) {
        var d = data.documents[group.doc];
        var li = document.createElement("li");
        li.className = "result";
        var h = document.createElement("h2");
        var a = document.createElement("a");
        a.href = d[0];
        a.textContent = d[1];
        h.appendChild(a);
        li.appendChild(h);
        var date = document.createElement("p");
        date.className = "date";
        date.textContent = d[2] || d[3] || "Undated";
        li.appendChild(date);
        var ul = document.createElement("ul");
        group.passages.forEach(function (p) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          var q = query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "";
          link.href = d[0] + q + "#" + encodeURIComponent(p[1]);
          link.className = "occ-passage";
          link.textContent = p[2];
          item.appendChild(link);
          item.appendChild(document.createTextNode(" "));
          item.appendChild(snippet(p[3], test));
          ul.appendChild(item);
        });
        li.appendChild(ul);
        list.appendChild(li);
      });
      results.appendChild(list);
    }

    function run(push) {
      var query = input.value;
      var entity = select.value;
      render(query, entity);
      var params = new URLSearchParams();
      if (query.trim()) params.set("q", query.trim());
      if (entity) params.set("entity", entity);
      var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      try {
        if (push) window.history.pushState(null, "", url);
        else window.history.replaceState(null, "", url);
      } catch (err) { /* some browsers refuse history changes on file: pages */ }
    }

    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("q") || "";
      select.value = params.get("entity") || "";
      render(input.value, select.value);
    }

    var timer = null;
    form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 200);
    });
    select.addEventListener("change", function () { run(true); });
    window.addEventListener("popstate", fromAddress);
    fromAddress();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

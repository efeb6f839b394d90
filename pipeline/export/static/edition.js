/* teipipe HTML edition: what every page shares.
 *
 * - teipipe.fold / teipipe.words: lower case without accents, and the words of a text, the
 *   same way pipeline/export/search.py folds and splits when it builds the index;
 * - on a document page: the popup of a name (on hover and on keyboard focus; Escape closes
 *   it; the pointer can move onto it), the highlight switches, and the marking of the words
 *   a search came for (?q=... in the address).
 *
 * Everything from the edition is put into the page as text (textContent, cloned nodes),
 * never as HTML.  Without JavaScript the pages still work: every name is a link to its
 * register entry, and its details are listed under "Names in this document". */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
  }

  function words(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* The spans [start, end) of the words of `text` that `test(foldedWord)` accepts. */
  function wordSpans(text, test) {
    var spans = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (test(fold(m[0]))) spans.push([m.index, m.index + m[0].length]);
    }
    return spans;
  }

  /* A query: words and "phrases"; a word ending in * matches the words it begins. */
  function parseQuery(query) {
    var terms = [];
    var re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
    var m;
    while ((m = re.exec(query)) !== null) {
      var phrase = m[1] !== undefined ? m[1] : m[2];
      if (phrase !== undefined) {
        var ws = words(phrase);
        if (ws.length) terms.push({ words: ws, phrase: ws.length > 1, prefix: false });
      } else {
        var raw = m[3];
        var prefix = /\*$/.test(raw);
        var tokens = words(raw);
        tokens.forEach(function (w, i) {
          terms.push({ words: [w], phrase: false, prefix: prefix && i === tokens.length - 1 });
        });
      }
    }
    return terms;
  }

  /* Does folded word `w` match a term word? */
  function matcher(terms) {
    var exact = {};
    var prefixes = [];
    terms.forEach(function (t) {
      t.words.forEach(function (w) {
        if (t.prefix) prefixes.push(w); else exact[w] = true;
      });
    });
    return function (w) {
      if (exact[w]) return true;
      for (var i = 0; i < prefixes.length; i++) if (w.indexOf(prefixes[i]) === 0) return true;
      return false;
    };
  }

  /* Put the text `text` into `parent`, the spans in <mark>. */
  function appendMarked(parent, text, spans) {
    var at = 0;
    spans.forEach(function (s) {
      if (s[0] > at) parent.appendChild(document.createTextNode(text.slice(at, s[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s[0], s[1]);
      parent.appendChild(mark);
      at = s[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  window.teipipe = { fold: fold, words: words, wordSpans: wordSpans, parseQuery: parseQuery,
                     matcher: matcher, appendMarked: appendMarked };

  /* ---------------------------------------------------------------- name popups */

  function setUpPopups() {
    var names = document.querySelectorAll("a.ent");
    if (!names.length) return;
    var popup = document.createElement("div");
    popup.id = "name-popup";
    popup.className = "popup";
    popup.setAttribute("role", "tooltip");
    popup.hidden = true;
    (document.querySelector("main") || document.body).appendChild(popup);
    var current = null;
    var timer = null;

    function note(text) {
      var p = document.createElement("p");
      p.className = "popup-note";
      p.textContent = text;
      return p;
    }

    function fill(el) {
      popup.replaceChildren();
      if (el.classList.contains("ent-proposed")) {
        popup.appendChild(note("Proposed by the automatic name recognizer; not yet checked against the register."));
        var strong = document.createElement("p");
        var b = document.createElement("strong");
        b.textContent = el.textContent;
        strong.appendChild(b);
        if (el.dataset.cert) strong.appendChild(document.createTextNode(" (certainty: " + el.dataset.cert + ")"));
        popup.appendChild(strong);
        return;
      }
      var refs = (el.dataset.refs || "").split(" ").filter(Boolean);
      if (refs.length > 1) popup.appendChild(note("Uncertain: this name may refer to any of these " + refs.length + " entries."));
      refs.forEach(function (ref) {
        var body = document.getElementById(ref);
        if (!body) return;
        var card = document.createElement("div");
        card.className = body.parentNode.className;
        var copy = body.cloneNode(true);
        copy.removeAttribute("id");
        copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
        card.appendChild(copy);
        popup.appendChild(card);
      });
    }

    function place(el) {
      var r = el.getBoundingClientRect();
      var width = popup.offsetWidth;
      var left = Math.min(window.scrollX + r.left,
                          window.scrollX + document.documentElement.clientWidth - width - 8);
      popup.style.left = Math.max(window.scrollX + 8, left) + "px";
      var below = window.scrollY + r.bottom + 6;
      var fitsBelow = r.bottom + 6 + popup.offsetHeight < window.innerHeight;
      popup.style.top = (fitsBelow || r.top < popup.offsetHeight + 12
                         ? below : window.scrollY + r.top - popup.offsetHeight - 6) + "px";
    }

    function show(el) {
      clearTimeout(timer);
      if (current !== el) { fill(el); current = el; }
      popup.hidden = false;
      place(el);
    }
    function hide() { popup.hidden = true; current = null; }
    function hideSoon() { clearTimeout(timer); timer = setTimeout(hide, 200); }

    names.forEach(function (el) {
      el.addEventListener("mouseenter", function () { show(el); });
      el.addEventListener("mouseleave", hideSoon);
      el.addEventListener("focus", function () { show(el); });
      el.addEventListener("blur", hideSoon);
    });
    popup.addEventListener("mouseenter", function () { clearTimeout(timer); });
    popup.addEventListener("mouseleave", hideSoon);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !popup.hidden) hide();
    });
  }

  /* ---------------------------------------------------------------- highlight switches */

  function setUpToggles() {
    var box = document.querySelector(".display-options");
    if (!box || !document.querySelector(".tei-text a.ent")) return;  // no names: no switches
    box.hidden = false;
    box.querySelectorAll("input[data-toggle]").forEach(function (input) {
      input.addEventListener("change", function () {
        document.body.classList.toggle("no-" + input.dataset.toggle, !input.checked);
      });
    });
  }

  /* ---------------------------------------------------------------- search words */

  function markQuery() {
    var text = document.querySelector(".tei-text");
    if (!text) return;
    var query = new URLSearchParams(window.location.search).get("q");
    if (!query) return;
    var test = matcher(parseQuery(query));
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    var found = [];
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest(".permalink, .vh")) continue;
      var spans = wordSpans(node.nodeValue, test);
      if (spans.length) found.push([node, spans]);
    }
    found.forEach(function (item) {
      var holder = document.createDocumentFragment();
      appendMarked(holder, item[0].nodeValue, item[1]);
      item[0].parentNode.replaceChild(holder, item[0]);
    });
    var noteP = document.createElement("p");
    noteP.className = "query-note";
    noteP.setAttribute("role", "status");
    noteP.appendChild(document.createTextNode("Marked: the words of the search “" + query + "” (" + found.length + " places). "));
    var clear = document.createElement("a");
    clear.href = window.location.pathname.split("/").pop() + window.location.hash;
    clear.textContent = "Remove the marks";
    noteP.appendChild(clear);
    text.parentNode.insertBefore(noteP, text);
  }

  function start() {
    setUpPopups();
    setUpToggles();
    markQuery();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

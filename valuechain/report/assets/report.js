// valuechain report: sortable / filterable tables and the network highlight.
// Builds no markup from data strings: text goes through textContent only.
(function () {
  'use strict';
  function cellValue(td) {
    var v = td.getAttribute('data-v');
    return v === null ? td.textContent.trim() : v;
  }
  function setupTable(wrap) {
    var table = wrap.querySelector('table');
    if (!table || !table.tBodies.length) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var input = wrap.querySelector('input[data-filter]');
    var selects = Array.prototype.slice.call(wrap.querySelectorAll('select[data-col]'));
    var count = wrap.querySelector('.count');
    function apply() {
      var q = input ? input.value.trim().toLowerCase() : '';
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = !q || texts[i].indexOf(q) !== -1;
        selects.forEach(function (s) {
          if (ok && s.value !== '') ok = cellValue(r.cells[+s.getAttribute('data-col')]) === s.value;
        });
        r.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = shown + ' / ' + rows.length + ' rows';
    }
    if (input) input.addEventListener('input', apply);
    selects.forEach(function (s) { s.addEventListener('change', apply); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = th.querySelector('button');
      if (!b) return;
      b.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var num = th.classList.contains('num');
        var order = rows.map(function (r, i) { return i; });
        order.sort(function (a, b2) {
          var x = cellValue(rows[a].cells[col]), y = cellValue(rows[b2].cells[col]), c;
          if (num) { c = (parseFloat(x) || 0) - (parseFloat(y) || 0); }
          else { c = x.localeCompare(y, 'ko'); }
          return (asc ? c : -c) || a - b2;
        });
        order.forEach(function (i) { tbody.appendChild(rows[i]); });
      });
    });
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll('.tablewrap'), setupTable);

  // value-chain diagram: pointing at a chip brings out its arrows (and dims the others)
  var chain = document.querySelector('svg.chain.with-links');
  if (chain) {
    var parts = chain.querySelectorAll('[data-source]');
    Array.prototype.forEach.call(chain.querySelectorAll('.chip[data-eid]'), function (chip) {
      var eid = chip.getAttribute('data-eid');
      if (!eid) return;
      chip.addEventListener('mouseenter', function () {
        chain.classList.add('focus');
        Array.prototype.forEach.call(parts, function (el) {
          if (el.getAttribute('data-source') === eid || el.getAttribute('data-target') === eid) el.classList.add('on');
        });
      });
      chip.addEventListener('mouseleave', function () {
        chain.classList.remove('focus');
        Array.prototype.forEach.call(parts, function (el) { el.classList.remove('on'); });
      });
    });
  }

  var dataEl = document.getElementById('net-data');
  var svg = document.getElementById('net');
  var info = document.getElementById('net-info');
  if (dataEl && svg && info) {
    var net = JSON.parse(dataEl.textContent);
    var nodes = svg.querySelectorAll('.node');
    var lines = svg.querySelectorAll('.edges line');
    var nbrs = net.nodes.map(function () { return []; });
    net.edges.forEach(function (e) { nbrs[e[0]].push([e[1], e[2]]); nbrs[e[1]].push([e[0], e[2]]); });
    var current = -1;
    function clear() {
      svg.classList.remove('focus');
      Array.prototype.forEach.call(svg.querySelectorAll('.on'), function (el) { el.classList.remove('on'); });
    }
    function show(i) {
      clear();
      if (i === current) { current = -1; info.textContent = info.getAttribute('data-empty'); return; }
      current = i;
      svg.classList.add('focus');
      nodes[i].classList.add('on');
      nbrs[i].forEach(function (p) { nodes[p[0]].classList.add('on'); });
      Array.prototype.forEach.call(lines, function (l) {
        if (+l.getAttribute('data-a') === i || +l.getAttribute('data-b') === i) l.classList.add('on');
      });
      var n = net.nodes[i];
      info.textContent = '';
      var b = document.createElement('b');
      b.textContent = n.name;
      info.appendChild(b);
      var rest = ' (' + (n.label || '?') + (n.layer ? ', ' + n.layer : '') + ') · ' + n.n + ' mentions · with: ';
      var top = nbrs[i].slice().sort(function (x, y) { return y[1] - x[1]; }).slice(0, 8)
        .map(function (p) { return net.nodes[p[0]].name + ' ×' + p[1]; });
      info.appendChild(document.createTextNode(rest + (top.join(', ') || '—')));
    }
    Array.prototype.forEach.call(nodes, function (g) {
      var i = +g.getAttribute('data-i');
      g.addEventListener('click', function () { show(i); });
      g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); show(i); } });
    });
  }
})();

// reprint report: filter, sort, and diffs rendered on demand from the page's data.
// The diff markup is the same as `reprint diff --format html` writes (page/pair.rs).
(() => {
  'use strict';
  const table = document.getElementById('pairs');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).filter((r) => r.dataset.v);
  rows.forEach((r, i) => { r._i = i; });
  const status = document.getElementById('shown');

  // Verdict checkboxes and the id filter.
  const boxes = Array.from(document.querySelectorAll('#filters input[type=checkbox]'));
  const q = document.getElementById('q');
  function applyFilter() {
    const on = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    const text = q ? q.value.trim().toLowerCase() : '';
    let shown = 0;
    for (const r of rows) {
      if (text && r._ids === undefined) {
        r._ids = Array.from(r.querySelectorAll('td.id'), (c) => c.textContent).join(' ').toLowerCase();
      }
      const vis = on.has(r.dataset.v) && (!text || r._ids.includes(text));
      r.hidden = !vis;
      if (r._diff) r._diff.hidden = !vis;
      if (vis) shown++;
    }
    if (status) status.textContent = shown + ' of ' + rows.length + ' rows shown';
  }
  boxes.forEach((b) => b.addEventListener('change', applyFilter));
  if (q) q.addEventListener('input', applyFilter);

  // Sorting: a click on a header's button sorts by that column; again reverses.
  const heads = Array.from(table.tHead.rows[0].cells);
  function sortBy(i) {
    const th = heads[i];
    const cur = th.getAttribute('aria-sort');
    const dir = cur ? (cur === 'ascending' ? -1 : 1) : (th.dataset.first === 'desc' ? -1 : 1);
    const numeric = th.dataset.t === 'n';
    const key = (r) => {
      const c = r.cells[i];
      const v = c.dataset.s !== undefined ? c.dataset.s : c.textContent;
      return numeric ? parseFloat(v) : v;
    };
    const keyed = rows.map((r) => [key(r), r]);
    keyed.sort((x, y) => {
      let d = numeric ? x[0] - y[0] : x[0].localeCompare(y[0], undefined, { numeric: true });
      if (Number.isNaN(d)) d = 0;
      return dir * d || x[1]._i - y[1]._i;
    });
    const frag = document.createDocumentFragment();
    for (const [, r] of keyed) {
      frag.append(r);
      if (r._diff) frag.append(r._diff);
    }
    body.append(frag);
    heads.forEach((h) => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    table.classList.toggle('grouped', th.dataset.group === '1' && dir > 0);
  }
  heads.forEach((th, i) => {
    const b = th.querySelector('button');
    if (b) b.addEventListener('click', () => sortBy(i));
  });

  // The diffs' data: JSON, gzipped and base64-encoded, decoded once.
  const raw = document.getElementById('reprint-data');
  let dataP = null;
  function data() {
    if (!dataP) {
      dataP = (async () => {
        const b = atob(raw.textContent.trim());
        const u = new Uint8Array(b.length);
        for (let i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
        const s = new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'));
        return JSON.parse(await new Response(s).text());
      })();
    }
    return dataP;
  }

  const ent = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (s) => s.replace(/[&<>"']/g, (c) => ent[c]).replace(/\n/g, '<br>');

  function renderDiff(D, d) {
    const A = D.docs[d.a];
    const B = D.docs[d.b];
    let s = '<table class="pair"><thead><tr><th class="lk">link</th><th>A: ' + esc(A.id) +
      '</th><th>B: ' + esc(B.id) + '</th></tr></thead><tbody>';
    for (const [la, lb, kind, score, moved, ops] of d.l) {
      const ta = la.map((i) => A.p[i]).join('\n');
      const tb = lb.map((i) => B.p[i]).join('\n');
      let L = '';
      let R = '';
      let ia = 0;
      let ib = 0;
      for (const m of ops.matchAll(/([=~+-])(\d+)/g)) {
        const n = +m[2];
        if (m[1] === '=') {
          L += '<mark>' + esc(ta.substr(ia, n)) + '</mark>';
          R += '<mark>' + esc(tb.substr(ib, n)) + '</mark>';
          ia += n;
          ib += n;
        } else if (m[1] === '~') {
          L += esc(ta.substr(ia, n));
          R += esc(tb.substr(ib, n));
          ia += n;
          ib += n;
        } else if (m[1] === '-') {
          L += '<del>' + esc(ta.substr(ia, n)) + '</del>';
          ia += n;
        } else {
          R += '<ins>' + esc(tb.substr(ib, n)) + '</ins>';
          ib += n;
        }
      }
      s += '<tr><td class="lk">A[' + la.join(', ') + '] &harr; B[' + lb.join(', ') +
        ']<br><span class="kind kind-' + kind + '">' + kind + '</span> ' + score +
        (moved ? '<br><span class="moved">moved</span>' : '') +
        '</td><td class="a">' + L + '</td><td class="b">' + R + '</td></tr>';
    }
    for (const p of d.ua) {
      s += '<tr class="only"><td class="lk">only in A [' + p + ']</td><td class="a">' +
        esc(A.p[p]) + '</td><td class="b none"></td></tr>';
    }
    for (const p of d.ub) {
      s += '<tr class="only"><td class="lk">only in B [' + p + ']</td><td class="a none"></td>' +
        '<td class="b">' + esc(B.p[p]) + '</td></tr>';
    }
    return s + '</tbody></table>';
  }

  async function toggle(r, b) {
    if (r._diff) {
      r._diff.remove();
      r._diff = null;
      b.setAttribute('aria-expanded', 'false');
      b.textContent = 'diff';
      return;
    }
    const tr = document.createElement('tr');
    tr.className = 'diffrow';
    const td = tr.insertCell();
    td.colSpan = r.cells.length;
    td.textContent = 'Loading\u2026';
    r.after(tr);
    r._diff = tr;
    b.setAttribute('aria-expanded', 'true');
    b.textContent = 'close';
    try {
      const D = await data();
      td.innerHTML = renderDiff(D, D.diffs[+b.dataset.d]);
    } catch (e) {
      td.textContent = 'This browser cannot show the diff (' + e + '); `reprint diff A B` shows it.';
    }
  }
  body.addEventListener('click', (e) => {
    const b = e.target.closest('button.open');
    if (b) toggle(b.closest('tr'), b);
  });

  applyFilter();
  // Decode the data when the browser is idle, so that the first diff opens at once.
  if (raw) (window.requestIdleCallback || setTimeout)(() => data().catch(() => {}));
})();

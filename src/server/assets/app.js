// aes-search page: results as one types, from /api/search, drawn as the server draws `/?q=`
// (which works without this script). Text is only ever set with textContent, never as HTML.
'use strict';
(function () {
  const form = document.getElementById('search');
  if (!form) return; // the article page
  const field = (name) => form.elements[name];
  const status = document.getElementById('status');
  const chart = document.getElementById('chart');
  const main = document.getElementById('main');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const SVG = 'http://www.w3.org/2000/svg';
  let timer = null;
  let sequence = 0;
  let lastQuery = field('q').value;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function params() {
    const p = new URLSearchParams();
    for (const name of ['q', 'source', 'since', 'until', 'sort']) {
      const v = field(name).value.trim();
      if (v && !(name === 'sort' && v === 'relevance')) p.set(name, v);
    }
    return p;
  }

  // Highlights are byte ranges of the UTF-8 text.
  function marked(text, highlights) {
    const bytes = encoder.encode(text);
    const out = document.createDocumentFragment();
    let last = 0;
    for (const [from, to] of highlights) {
      if (from < last || to > bytes.length) continue;
      out.append(decoder.decode(bytes.subarray(last, from)));
      out.append(el('mark', {}, decoder.decode(bytes.subarray(from, to))));
      last = to;
    }
    out.append(decoder.decode(bytes.subarray(last)));
    return out;
  }

  function meta(article) {
    const p = el('p', { class: 'meta' });
    const parts = [];
    if (article.date) parts.push(el('time', { datetime: article.date }, article.date));
    if (article.source) parts.push(el('span', { class: 'source' }, article.source));
    parts.forEach((part, i) => { if (i) p.append(' · '); p.append(part); });
    return p;
  }

  function drawStatus(data) {
    const n = data.total;
    const s = n > 1 ? 's' : '';
    const nodes = [el('p', { class: 'count' }, `${n} passage${s} trouvé${s}`)];
    if (data.corrections.length) {
      const p = el('p', { class: 'correction' }, 'Résultats pour ');
      data.corrections.forEach(([, to], i) => {
        if (i) p.append(', ');
        p.append(el('strong', {}, to));
      });
      p.append(` (au lieu de ${data.corrections.map(([from]) => from).join(', ')})`);
      nodes.push(p);
    }
    for (const notice of data.notices) nodes.push(el('p', { class: 'notice' }, notice));
    status.replaceChildren(...nodes);
  }

  function drawChart(months) {
    if (!months.length) { chart.replaceChildren(); return; }
    const max = Math.max(1, ...months.map((m) => m.count));
    const bar = 30, gap = 6, height = 100, width = (bar + gap) * months.length;
    const box = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, width, height: height + 20, role: 'list' });
    const chosen = field('since').value === field('until').value ? field('since').value : '';
    months.forEach((m, i) => {
      const h = Math.max(2, Math.ceil((m.count * height) / max));
      const label = `${m.value} : ${m.count} passage${m.count > 1 ? 's' : ''}`;
      const link = svg('a', { href: '#', class: 'bar' + (m.value === chosen ? ' active' : ''),
        'data-month': m.value, role: 'listitem', 'aria-label': label });
      const title = svg('title');
      title.textContent = label;
      const text = svg('text', { x: i * (bar + gap) + bar / 2, y: height + 14 });
      text.textContent = m.value.length >= 7 ? `${m.value.slice(5, 7)}/${m.value.slice(2, 4)}` : m.value;
      link.append(title, svg('rect', { x: i * (bar + gap), y: height - h, width: bar, height: h }), text);
      box.append(link);
    });
    chart.replaceChildren(el('figcaption', { id: 'chart-title' }, 'Passages par mois'), box);
  }

  function drawResults(hits) {
    const list = el('ol', { class: 'results' });
    const groups = new Map();
    for (const hit of hits) {
      if (!groups.has(hit.article.id)) groups.set(hit.article.id, []);
      groups.get(hit.article.id).push(hit);
    }
    for (const [id, group] of groups) {
      const article = group[0].article;
      const item = el('li', { class: 'article' });
      const h2 = el('h2');
      h2.append(el('a', { href: '/articles/' + encodeURIComponent(id) }, article.title || '(sans titre)'));
      item.append(h2, meta(article));
      for (const hit of group) {
        const p = el('p', { class: 'passage' });
        p.append(marked(hit.passage.text, hit.passage.highlights));
        item.append(p);
      }
      list.append(item);
    }
    main.replaceChildren(list);
  }

  function drawSources(sources) {
    const select = field('source');
    const chosen = select.value;
    const names = sources.map((s) => s.value);
    if (chosen && !names.includes(chosen)) names.push(chosen);
    const options = [el('option', { value: '' }, 'Toutes les sources')];
    for (const name of names) options.push(el('option', { value: name }, name));
    select.replaceChildren(...options);
    select.value = chosen;
  }

  async function search() {
    const p = params();
    const mine = ++sequence;
    history.replaceState(null, '', p.has('q') ? '/?' + p : '/');
    if (!p.has('q')) {
      status.replaceChildren(); chart.replaceChildren(); main.replaceChildren();
      return;
    }
    p.set('limit', '20');
    let response, data;
    try {
      response = await fetch('/api/search?' + p, { headers: { Accept: 'application/json' } });
      data = await response.json();
    } catch (e) {
      if (mine === sequence) status.replaceChildren(el('p', { class: 'notice' }, 'Le serveur ne répond pas.'));
      return;
    }
    if (mine !== sequence) return; // a later search has started
    if (!response.ok) {
      status.replaceChildren(el('p', { class: 'notice', role: 'alert' }, data.error.message));
      chart.replaceChildren(); main.replaceChildren();
      return;
    }
    // The sources offered are those of the query, not of one source already chosen.
    if (p.get('q') !== lastQuery || !field('source').value) drawSources(data.facets.sources);
    lastQuery = p.get('q');
    drawStatus(data);
    drawChart(data.facets.months);
    drawResults(data.hits);
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  }

  field('q').addEventListener('input', soon);
  for (const name of ['source', 'since', 'until', 'sort']) field(name).addEventListener('change', search);
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(timer); search(); });
  // A bar filters on its month; the same bar again lifts the filter.
  chart.addEventListener('click', (e) => {
    const bar = e.target.closest('a.bar');
    if (!bar) return;
    e.preventDefault();
    const month = bar.getAttribute('data-month');
    const same = field('since').value === month && field('until').value === month;
    field('since').value = same ? '' : month;
    field('until').value = same ? '' : month;
    search();
  });
})();

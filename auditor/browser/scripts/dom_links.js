// Every URL of the rendered page a click could lead to: anchors (hash routes included),
// data-href / data-url / router attributes, URLs inside onclick handlers.
() => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const hashApp = /^#\//.test(location.hash);
  const out = [], seen = new Set();
  const push = (raw, el, how) => {
    raw = (raw || '').trim();
    if (!raw || raw === '#' || /^(javascript|mailto|tel|sms|data|blob|about):/i.test(raw)) return;
    let url;
    try { url = new URL(raw, location.href).href; } catch (e) { return; }
    if (seen.has(url) || out.length >= 1500) return;
    seen.add(url);
    let text = norm(el.innerText || el.getAttribute('title') || el.getAttribute('aria-label') || '');
    if (!text) { const img = el.querySelector('img[alt]'); if (img) text = norm(img.alt); }
    out.push({url, text: text.slice(0, 80), how, visible: visible(el)});
  };
  const ONCLICK = /(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\(|\bhref\s*=)\s*['"]([^'"]+)['"]/;
  const PUSH = /\b(?:push|navigateTo|go)\s*\(\s*['"](\/[^'"]*)['"]/;
  const nodes = document.querySelectorAll('a[href], [data-href], [data-url], [data-link], [data-to], [to], [routerlink], [onclick]');
  for (const el of Array.from(nodes).slice(0, 5000)) {
    if (el.tagName === 'A' && el.getAttribute('href')) push(el.getAttribute('href'), el, 'a');
    for (const name of ['data-href', 'data-url', 'data-link', 'data-to', 'to', 'routerlink']) {
      const v = el.getAttribute(name);
      if (v && /^(\/|\.\/|#\/|https?:|\?|[\w-]+(\.html?|\/))/i.test(v)) push(hashApp && v[0] === '/' && name !== 'data-href' && name !== 'data-url' ? '#' + v : v, el, 'attr');
    }
    const code = el.getAttribute('onclick');
    if (code) {
      let m = code.match(ONCLICK);
      if (m) push(m[1], el, 'onclick');
      else if ((m = code.match(PUSH))) push(hashApp ? '#' + m[1] : m[1], el, 'onclick');
    }
  }
  return out;
}

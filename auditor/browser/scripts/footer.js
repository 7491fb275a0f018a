// The footer (ICP / 公安备案 / 版权), marked data-cardshop-footer, scrolled into view and
// measured: {text, height, clip (its part in the viewport), scroll}, or false.
// A factory over the region vocabulary (extract/data/regions.json).
(regions) => () => {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const FACTS = new RegExp(regions.footer.facts, 'i');
  const cands = Array.from(document.querySelectorAll(regions.footer.selector)).filter(visible);
  let best = null;
  for (const el of cands) {
    if (!FACTS.test(el.innerText || '')) continue;
    if (!best || best.contains(el) === false && el.contains(best)) best = el;   // the outermost footer
  }
  if (!best) {
    // the smallest block whose text carries an ICP / 公安备案 number
    const blocks = Array.from(document.querySelectorAll('div, p, section, span, td')).filter(visible)
      .filter(el => /ICP[备证]|公网安备/.test(el.innerText || ''));
    blocks.sort((a, b) => (a.innerText || '').length - (b.innerText || '').length);
    best = blocks[0] ? (blocks[0].closest('div, section, footer') || blocks[0]) : null;
  }
  if (!best) return false;
  document.querySelectorAll('[data-cardshop-footer]').forEach(e => e.removeAttribute('data-cardshop-footer'));
  best.setAttribute('data-cardshop-footer', '1');
  best.scrollIntoView({block: 'end'});
  // the part of it inside the viewport (CSS pixels, relative to the viewport) and the scroll offset
  const r = best.getBoundingClientRect();
  const vw = document.documentElement.clientWidth || innerWidth, vh = document.documentElement.clientHeight || innerHeight;
  const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top), x1 = Math.min(vw, r.right), y1 = Math.min(vh, r.bottom);
  const vv = window.visualViewport;
  return {text: (best.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 300), height: r.height,
          clip: x1 - x0 >= 2 && y1 - y0 >= 2 ? {x: x0, y: y0, width: x1 - x0, height: y1 - y0} : null,
          scroll: [vv ? vv.pageLeft : scrollX, vv ? vv.pageTop : scrollY]};
}

// Category tabs / pills / group boxes that switch the goods list in place (luna's .cate-box,
// unicorn's #group-N pills, acg-faka's category tabs), outside forms, navigation and footers.
// Argument: [mark prefix, mark?] (a probe leaves the snapshot's marks alone).
// A factory over the region vocabulary (extract/data/regions.json).
(regions) => ([prefix, mark]) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const KEY = /(^|[\s_-])(cate|cates|category|categories|group|groups|tab|tabs|pill|pills|classify|fenlei|type-item|nav-link)([\s_-]|$)|^group-\d+$/i;
  const OUTSIDE = ['form', ...regions.nav.tags, ...regions.footer.tags].join(', ');
  const out = [];
  for (const el of Array.from(document.querySelectorAll('[role=tab], [data-toggle=pill], [data-toggle=tab], [data-bs-toggle=pill], [data-bs-toggle=tab], [data-cid], [data-key], [data-group], [data-category], li, div, span, a')).slice(0, 4000)) {
    if (out.length >= 8) break;
    const key = (typeof el.className === 'string' ? el.className : '') + ' ' + (el.id || '');
    if (!el.matches('[role=tab], [data-toggle], [data-bs-toggle], [data-cid], [data-group], [data-category]') && !KEY.test(key)) continue;
    if (!visible(el) || el.closest(OUTSIDE)) continue;
    const a = el.closest('a[href]');
    const href = a ? (a.getAttribute('href') || '').trim() : '';
    if (href && href[0] !== '#' && !/^javascript:/i.test(href)) continue;
    const text = norm(el.innerText);
    if (!text || text.length > 24) continue;
    if (out.some(o => el.contains(o.el))) continue;
    const outer = out.findIndex(o => o.el.contains(el));       // the tab, not the tab bar
    if (outer >= 0) out[outer] = {el, text}; else out.push({el, text});
  }
  return out.map((o, i) => { if (mark) o.el.setAttribute('data-cardshop', prefix + i);
                              return {mark: prefix + i, text: o.text, tag: o.el.tagName.toLowerCase()}; });
}

// 购买 / 下单 / 详情 buttons and goods rows whose target is built by a handler (no URL in
// the DOM), outside any form, marked for a click.  Argument: [mark prefix, label pattern,
// mark?] (a probe leaves the snapshot's marks alone).
([prefix, pattern, mark]) => {
  const re = new RegExp(pattern, 'i');
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const sel = 'button, [role=button], [lay-event], input[type=button], .btn, [class*=buy], [class*=goods], ' +
              '[data-id], [data-gid], [data-goods-id], [data-goodsid], [data-pid], tr[data-index], [onclick]';
  const out = [];
  for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 3000)) {
    if (out.length >= 12) break;
    if (!visible(el) || el.closest('form')) continue;
    const a = el.closest('a[href]');
    const href = a ? (a.getAttribute('href') || '').trim() : '';
    if (href && href !== '#' && !/^javascript:/i.test(href)) continue;       // a real link: followed as a URL
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (type === 'submit' || type === 'image') continue;
    const text = norm(el.tagName === 'INPUT' ? el.value : el.innerText);
    if (!text || text.length > 24 || !re.test(text)) continue;
    if (out.some(o => el.contains(o.el))) continue;
    const outer = out.findIndex(o => o.el.contains(el));       // the row's button, not the row
    if (outer >= 0) out[outer] = {el, text}; else out.push({el, text});
  }
  return out.map((o, i) => { if (mark) o.el.setAttribute('data-cardshop', prefix + i);
                              return {mark: prefix + i, text: o.text, tag: o.el.tagName.toLowerCase()}; });
}

// Every visible control a person could click, marked with data-cardshop="<gen>-<i>".
// Argument: [generation, window key of quiet.js's state] or the generation alone (a frame).
// A factory over the region vocabulary (extract/data/regions.json).
(regions) => (arg) => {
  const [gen, key] = Array.isArray(arg) ? arg : [arg, null];
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const EXPLICIT = 'a,button,[role=button],[role=menuitem],[role=tab],[role=link],[onclick],' +
                   'input[type=button],input[type=submit],input[type=image],summary,[data-toggle],[data-bs-toggle],[tabindex]';
  const MENU_RE = /menu|nav|tab|dropdown|more|action|sidebar|list-group/i;
  const inViewportDoc = r => (r.right + window.scrollX > 0) && (r.bottom + window.scrollY > 0);
  const clipped = el => {
    let p = el.parentElement, n = 0;
    while (p && n < 12) {
      const cs = getComputedStyle(p);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) < 0.05) return true;
      if (cs.overflow !== 'visible' || cs.overflowY !== 'visible') {
        const r = p.getBoundingClientRect();
        if (r.width < 2 || r.height < 2) return true;
      }
      p = p.parentElement; n++;
    }
    return false;
  };
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || !inViewportDoc(r)) return false;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.opacity) < 0.05) return false;
    return !clipped(el);
  };
  const label = el => {
    let t = norm(el.tagName === 'INPUT' ? el.value || el.getAttribute('aria-label') || el.title || '' : el.innerText || '');
    if (!t) t = norm(el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('data-original-title') || '');
    if (!t) { const img = el.querySelector('img[alt],img[title]'); if (img) t = norm(img.alt || img.title); }
    return t;
  };
  const FOOTER_TAGS = new Set(regions.footer.tags.map(t => t.toUpperCase()));
  const NAV_TAGS = new Set(regions.nav.browser_tags.map(t => t.toUpperCase()));
  const FOOTER_WORD = new RegExp(regions.footer.class_word), NAV_WORD = new RegExp(regions.nav.class_word);
  const region = el => {
    for (let p = el, n = 0; p && p !== document.body && n < 30; p = p.parentElement, n++) {
      const tag = p.tagName;
      const key = ((typeof p.className === 'string' ? p.className : '') + ' ' + (p.id || '')).toLowerCase();
      if (FOOTER_TAGS.has(tag) || FOOTER_WORD.test(key)) return 'footer';
      if (NAV_TAGS.has(tag) || NAV_WORD.test(key)) return 'nav';
    }
    return 'main';
  };
  const inMenu = el => {
    for (let p = el.parentElement, n = 0; p && p !== document.body && n < 8; p = p.parentElement, n++) {
      const key = ((typeof p.className === 'string' ? p.className : '') + ' ' + (p.id || '') + ' ' + (p.getAttribute('role') || '')).toLowerCase();
      if (/dropdown|popover|popup|more|overflow|action-?sheet|context-?menu|submenu|sub-menu|^menu$|\smenu\s|menu$/.test(key)) return true;
    }
    return false;
  };
  // does a script handle clicks on this link?  Inline / property handlers, jQuery handlers
  // (direct, or delegated from an ancestor with a matching selector), Vue and React props.
  const jq = window.jQuery && typeof window.jQuery._data === 'function' ? window.jQuery : null;
  const CLICKISH = ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend'];
  const jqHandlers = node => { try { const ev = jq && jq._data(node, 'events'); return ev ? CLICKISH.flatMap(t => ev[t] || []) : []; } catch (e) { return []; } };
  const scripted = (el, a) => {
    for (const n of el === a ? [a] : [el, a]) {
      if (typeof n.onclick === 'function' || typeof n.onmousedown === 'function' || n.hasAttribute('onclick')) return true;
      if (n.__vue__ || (n._vei && (n._vei.onClick || n._vei.onMousedown || n._vei.onPointerdown))) return true;
      for (const k of Object.keys(n)) {
        if (k.startsWith('__reactProps') && n[k] && (n[k].onClick || n[k].onMouseDown || n[k].onPointerDown)) return true;
      }
      if (jqHandlers(n).some(h => !h.selector)) return true;
    }
    if (jq) {
      for (let p = a.parentNode; p; p = p.parentNode) {
        for (const h of jqHandlers(p)) {
          try { if (h.selector && (a.matches(h.selector) || (el !== a && el.matches(h.selector)) || el.closest(h.selector))) return true; }
          catch (e) { return true; }
        }
      }
    }
    return false;
  };
  document.querySelectorAll('[data-cardshop]').forEach(e => e.removeAttribute('data-cardshop'));
  const nodes = Array.from(document.body ? document.body.querySelectorAll('*') : []).slice(0, 6000);
  const picked = new Set();
  for (const el of nodes) {
    const tag = el.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'SVG' || tag === 'PATH' || tag === 'BODY' || tag === 'HTML') continue;
    let ok = el.matches(EXPLICIT);
    if (ok && el.matches('[tabindex]') && !el.matches('a,button,[role],[onclick]') && el.getAttribute('tabindex') === '-1') ok = false;
    if (!ok && tag === 'LI') {
      const list = el.parentElement;
      const key = list ? ((typeof list.className === 'string' ? list.className : '') + ' ' + (list.id || '') + ' ' + (list.getAttribute('role') || '')) : '';
      ok = MENU_RE.test(key);
    }
    if (!ok && ['DIV', 'SPAN', 'LI', 'TD', 'I', 'EM', 'B', 'LABEL', 'P', 'IMG', 'DD', 'DT', 'H3', 'H4', 'H5'].includes(tag)) {
      const cs = getComputedStyle(el);
      if (cs.cursor === 'pointer') {
        const p = el.parentElement;
        ok = !p || getComputedStyle(p).cursor !== 'pointer';
      }
    }
    if (ok) picked.add(el);
  }
  // hover menus: a collapsed list of links inside a container; its visible sibling is
  // the trigger (moving the mouse there, as a click does, opens the menu)
  const triggers = new Set();
  let menus = 0;
  for (const el of nodes) {
    if (menus > 200) break;
    if (!['UL', 'OL', 'DIV', 'DL', 'NAV'].includes(el.tagName)) continue;
    if (getComputedStyle(el).display !== 'none' || !el.querySelector('a,button,[onclick]')) continue;
    menus++;
    const box = el.parentElement;
    if (!box) continue;
    for (const sib of box.children) {
      if (sib === el || !visible(sib)) continue;
      const t = label(sib);
      if (t && t.length <= 16) { picked.add(sib); triggers.add(sib); }
      break;
    }
  }
  // keep the innermost of nested controls that say the same thing
  for (const el of Array.from(picked)) {
    const t = label(el);
    for (let p = el.parentElement, n = 0; p && n < 6; p = p.parentElement, n++) {
      if (picked.has(p) && label(p) === t) picked.delete(p);
    }
  }
  const out = [];
  let i = 0;
  for (const el of picked) {
    if (out.length >= 600) break;
    if (!visible(el)) continue;
    const text = label(el);
    const a = el.closest('a');
    const form = el.closest('form');
    const type = (el.getAttribute('type') || '').toLowerCase();
    const isSubmit = (el.tagName === 'BUTTON' && form && (type === '' || type === 'submit')) ||
                     (el.tagName === 'INPUT' && (type === 'submit' || type === 'image'));
    const cls = (typeof el.className === 'string' ? el.className : '').toLowerCase();
    const mark = gen + '-' + (i++);
    el.setAttribute('data-cardshop', mark);
    const r = el.getBoundingClientRect();
    const raw = a ? (a.getAttribute('href') || '').trim() : '';
    out.push({
      mark, text: text.slice(0, 120), tag: el.tagName.toLowerCase(),
      href: a ? (a.getAttribute('href') || '') : '', abs: a && a.href ? a.href : '',
      // a plain link: an http(s) href and no inline handler / toggle / tab role on the way
      plain: !!a && /^https?:/i.test(a.href || '') && raw !== '' && raw[0] !== '#' && !/^javascript:/i.test(raw) &&
             !a.hasAttribute('download') && !a.hasAttribute('data-toggle') && !a.hasAttribute('data-bs-toggle') &&
             !/^(button|tab)$/i.test(a.getAttribute('role') || '') && !/^(button|tab)$/i.test(el.getAttribute('role') || '') &&
             !scripted(el, a),
      target: a ? (a.getAttribute('target') || '') : '',
      role: el.getAttribute('role') || '', type, is_submit: !!isSubmit,
      in_form: !!form, form_has_password: !!(form && form.querySelector('input[type=password]')),
      toggle_like: triggers.has(el) || el.getAttribute('aria-haspopup') === 'true' || el.getAttribute('aria-haspopup') === 'menu' ||
                   /dropdown-toggle|more|ellipsis|kebab|caret/.test(cls) ||
                   /dropdown|popover|collapse/.test((el.getAttribute('data-toggle') || el.getAttribute('data-bs-toggle') || '')),
      region: region(el), in_menu: inMenu(el),
      y: Math.round(r.top + window.scrollY), x: Math.round(r.left + window.scrollX),
    });
  }
  const pw = Array.from(document.querySelectorAll('input[type=password]')).some(visible);
  const st = key ? window[key] : null;
  return {url: location.href, title: document.title, controls: out, password_visible: pw,
          gen: st && st.doc === document ? st.id + ':' + st.gen : null};
}

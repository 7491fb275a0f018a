// The largest open modal / dialog with text, marked data-cardshop-modal: its text length, or false.
// A factory over the region vocabulary (extract/data/regions.json).
(regions) => () => {
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 40 && r.height > 40 && cs.visibility !== 'hidden' && cs.display !== 'none' && parseFloat(cs.opacity) > 0.05; };
  // the page itself is never the dialog: Bootstrap marks <body class="modal-open"> while one is open
  const found = Array.from(document.querySelectorAll(regions.modal.selector))
    .filter(el => el !== document.body && el !== document.documentElement).filter(visible)
    .filter(el => (el.innerText || '').trim().length > 20);
  if (!found.length) return false;
  found.sort((a, b) => (b.innerText || '').length - (a.innerText || '').length);
  document.querySelectorAll('[data-cardshop-modal]').forEach(e => e.removeAttribute('data-cardshop-modal'));
  found[0].setAttribute('data-cardshop-modal', '1');
  return (found[0].innerText || '').length;
}

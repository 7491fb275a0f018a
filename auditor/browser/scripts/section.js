// Scroll to the heading (else the paragraph) matching the pattern; its text, or false.
(pattern) => {
  const re = new RegExp(pattern);
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const heads = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,strong,b,dt,.title,[class*=title]'))
    .filter(el => visible(el) && re.test(el.innerText || '') && (el.innerText || '').length < 60);
  let el = heads.find(h => !/^H1$/.test(h.tagName)) || heads[0];
  if (!el) {
    const paras = Array.from(document.querySelectorAll('p, li, div')).filter(e => visible(e) && e.children.length < 3 && re.test(e.innerText || ''));
    el = paras[0];
  }
  if (!el) return false;
  el.scrollIntoView({block: 'start'});
  window.scrollBy(0, -20);
  return (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 80);
}

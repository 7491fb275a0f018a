// Whether the page may still open, by itself, a dialog whose words are a framed page: a
// hidden dialog box that holds an <iframe> (a Bootstrap modal a timer shows after load), or
// an inline script that opens a layui iframe layer (layer.open({type: 2, ...})).
// A factory over the region vocabulary.  Returns true or false.
(regions) => () => {
  const tokenRe = new RegExp(regions.modal.class_token, 'i');
  const dialogLike = el => regions.modal.tags.includes(el.tagName.toLowerCase()) ||
    regions.modal.roles.includes(el.getAttribute('role') || '') ||
    Array.from(el.classList).some(c => tokenRe.test(c) && !regions.modal.class_not.includes(c));
  const hidden = el => { const cs = getComputedStyle(el); return cs.display === 'none' || cs.visibility === 'hidden' ||
    parseFloat(cs.opacity) <= 0.05 || el.getBoundingClientRect().height < 40; };
  const boxes = Array.from(document.querySelectorAll(regions.modal.selector))
    .filter(el => el !== document.body && dialogLike(el) && el.querySelector('iframe'));
  if (boxes.some(hidden)) return true;
  const layer = /\blayer\.open\s*\(\s*\{[^}]*\btype\s*:\s*2\b/;
  return Array.from(document.querySelectorAll('script:not([src])')).some(s => layer.test(s.textContent || ''));
}

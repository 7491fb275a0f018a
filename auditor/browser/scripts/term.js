// The visible element that shows one sentence of the page (matched without whitespace, as
// the sentence was cut from the page's HTML between two tags): marked data-cardshop-term="1"
// and scrolled to the middle of the view.  Argument: the sentence.  Returns the element's
// text (at most 200 characters) or false (not shown anywhere).
(sentence) => {
  const want = String(sentence).replace(/\s+/g, '').replace(/&nbsp;/g, '');
  document.querySelectorAll('[data-cardshop-term]').forEach(e => e.removeAttribute('data-cardshop-term'));
  if (!want || !document.body) return false;
  const shown = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 2 && r.height > 2 && cs.visibility !== 'hidden' && parseFloat(cs.opacity) > 0.05; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TEXTAREA)$/.test(el.tagName)) continue;
    if (!node.data.replace(/\s+/g, '').includes(want) || !shown(el)) continue;
    el.setAttribute('data-cardshop-term', '1');
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    return (el.innerText || '').trim().slice(0, 200);
  }
  return false;
}

// A red outline around the control marked by the selector (on), or the old outline back (off).
([sel, on]) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  if (on) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    el.setAttribute('data-cardshop-outline', el.style.outline || '');
    el.style.outline = '4px solid #e00000';
    el.style.outlineOffset = '2px';
  } else if (el.hasAttribute('data-cardshop-outline')) {
    el.style.outline = el.getAttribute('data-cardshop-outline');
    el.style.outlineOffset = '';
    el.removeAttribute('data-cardshop-outline');
  }
  return true;
}

// What tells a logged-in page: URL, storage key names and value lengths, a visible
// password field, the body text.
() => {
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const keys = [];
  try { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); keys.push(k + '=' + (localStorage.getItem(k) || '').length); } } catch (e) {}
  try { for (let i = 0; i < sessionStorage.length; i++) { const k = sessionStorage.key(i); keys.push('s:' + k + '=' + (sessionStorage.getItem(k) || '').length); } } catch (e) {}
  return {url: location.href, keys,
          pw: Array.from(document.querySelectorAll('input[type=password]')).some(visible),
          text: (document.body ? document.body.innerText : '').slice(0, 20000)};
}

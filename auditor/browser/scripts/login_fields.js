// The login form around the first visible password field, marked data-cardshop-login for filling.
() => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  document.querySelectorAll('[data-cardshop-login]').forEach(e => e.removeAttribute('data-cardshop-login'));
  const pw = Array.from(document.querySelectorAll('input[type=password]')).find(visible);
  if (!pw) return null;
  pw.setAttribute('data-cardshop-login', 'password');
  // the smallest ancestor holding the password field and some other input
  let scope = pw.form;
  if (!scope) {
    scope = pw.parentElement;
    while (scope && scope !== document.body &&
           scope.querySelectorAll('input:not([type=hidden]):not([type=password])').length === 0) scope = scope.parentElement;
    scope = scope || document.body;
  }
  const labelOf = el => {
    let t = [el.name, el.id, el.placeholder, el.getAttribute('aria-label'), el.autocomplete, el.type].join(' ');
    if (el.id) { const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]'); if (l) t += ' ' + l.innerText; }
    const wrap = el.closest('label, .form-group, .layui-form-item, .input-group, .field, .item, p, li, tr');
    if (wrap) t += ' ' + norm(wrap.innerText).slice(0, 40);
    return norm(t);
  };
  const inputs = Array.from(scope.querySelectorAll('input')).filter(el => {
    const t = (el.type || 'text').toLowerCase();
    return visible(el) && ['text', 'email', 'tel', 'number', ''].includes(t) && el !== pw;
  });
  const fields = inputs.map((el, i) => { el.setAttribute('data-cardshop-login', 'text-' + i);
    return {mark: 'text-' + i, label: labelOf(el), before_pw: !!(el.compareDocumentPosition(pw) & Node.DOCUMENT_POSITION_FOLLOWING)}; });
  const checks = Array.from(scope.querySelectorAll('input[type=checkbox]')).filter(el => !el.checked).map((el, i) => {
    el.setAttribute('data-cardshop-login', 'check-' + i);
    const wrap = el.closest('label, div, p, span, li');
    return {mark: 'check-' + i, label: norm((wrap ? wrap.innerText : '') + ' ' + (el.name || '')).slice(0, 80)};
  });
  const buttons = Array.from(scope.querySelectorAll('button, input[type=submit], input[type=button], a, [role=button], .btn, [onclick]'))
    .filter(visible).map((el, i) => { el.setAttribute('data-cardshop-login', 'button-' + i);
      return {mark: 'button-' + i, label: norm(el.tagName === 'INPUT' ? el.value : el.innerText).slice(0, 40),
              submit: (el.tagName === 'BUTTON' && (!el.type || el.type === 'submit')) || el.type === 'submit'}; });
  return {fields, checks, buttons, scope_text: norm(scope.innerText).slice(0, 600)};
}

// The order button of a goods page (立即购买 / 下单 / 提交订单 …), marked data-cardshop-order-button,
// and the empty required fields of its form filled with harmless placeholders so that the
// shop's own validation lets the click reach its buy prompt / confirm step.  Never a payment
// choice (a 支付宝 / 微信 tile that places the order when clicked), never a link to another
// page, never a password or captcha field.  Argument: [label pattern, fill?].
// Returns {text, tag, filled: [field names]} or false.
([pattern, fill]) => {
  const re = new RegExp(pattern, 'i');
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const payChoice = el => el.closest('.pay-list, .pay-item, .payway, .pay-type, .pay, [data-type], [data-pay], ' +
                                     '[name=payway], [name=pay_type], [name=paytype]');
  const sel = 'button, input[type=submit], input[type=button], [lay-submit], a.btn, a[role=button], .btn, [class*=buy]';
  let best = null;
  for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 2000)) {
    if (!visible(el) || el.closest('[data-cardshop-modal], .modal-header, nav, header, footer')) continue;
    if (payChoice(el) || el.disabled) continue;
    const a = el.closest('a[href]');
    const href = a ? (a.getAttribute('href') || '').trim() : '';
    if (href && href !== '#' && !/^javascript:/i.test(href)) continue;     // a link: a page of its own
    const text = norm(el.tagName === 'INPUT' ? el.value : el.innerText);
    if (!text || text.length > 12 || !re.test(text)) continue;
    const score = (el.closest('form') ? 2 : 0) + (/立即|确认|提交/.test(text) ? 1 : 0);
    if (!best || score > best.score) best = {el, text, score};
  }
  if (!best) return false;
  document.querySelectorAll('[data-cardshop-order-button]').forEach(e => e.removeAttribute('data-cardshop-order-button'));
  best.el.setAttribute('data-cardshop-order-button', '1');
  const filled = [];
  const form = best.el.closest('form') || best.el.closest('.layui-form, .card, .goods-info, main') || document.body;
  for (const input of Array.from(form.querySelectorAll('input, textarea')).slice(0, 60)) {
    if (!fill || !visible(input) || input.value || input.readOnly || input.disabled) continue;
    if (input.closest('form') && input.closest('form') !== best.el.closest('form')) continue;   // another form (login, search)
    const type = (input.type || 'text').toLowerCase();
    if (!['text', 'email', 'tel', 'number', ''].includes(type) && input.tagName !== 'TEXTAREA') continue;
    const about = [input.name, input.id, input.placeholder, input.getAttribute('lay-verify') || ''].join(' ');
    const required = input.required || /required|email|phone|qq/i.test(input.getAttribute('lay-verify') || '');
    if (!required || /pass|密码|captcha|验证码|vercode|geetest|coupon|优惠/i.test(about)) continue;
    // placeholders nobody owns: a reserved domain, an unallocated number range
    let value = 'audit';
    if (type === 'email' || /mail|邮箱/i.test(about)) value = 'audit@example.com';
    else if (type === 'tel' || /phone|mobile|手机|电话/i.test(about)) value = '13800000000';
    else if (type === 'number' || /qq|数量|num|amount/i.test(about)) value = /qq/i.test(about) ? '10000' : '1';
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
    filled.push((input.name || input.id || type).slice(0, 30));
  }
  return {text: best.text, tag: best.el.tagName.toLowerCase(), filled};
}

// Close the open dialog marked data-cardshop-modal (its 关闭 / 取消 / × control, never a
// 确定 / 同意 / 支付 one); returns whether a close control was clicked.
() => {
  const box = document.querySelector('[data-cardshop-modal="1"]');
  if (!box) return false;
  const closers = '.layui-layer-close, .btn-close, .close, [data-dismiss], [data-bs-dismiss], .swal2-close, ' +
                  '.swal2-cancel, .el-dialog__headerbtn, .ant-modal-close, .layui-layer-btn1, [aria-label=Close], [aria-label=关闭]';
  const candidates = Array.from(box.querySelectorAll(closers));
  candidates.push(...Array.from(box.querySelectorAll('button, a, span')).filter(el =>
    /^(关闭|取消|我再想想|返回|×|x)$/i.test((el.innerText || '').trim())));
  const el = candidates.find(c => !/确定|确认|同意|支付|付款|购买|下单|提交/.test(c.innerText || ''));
  if (!el) return false;
  el.click();
  return true;
}

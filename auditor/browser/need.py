"""Does a shop need the browser?  Decided from the pages, not from a list of sites.

Yes when
  * the start page is an application shell: an empty mount point (#app, #root …) or a
    page with scripts and almost no visible text (its content appears only after scripts
    run) — the extractors' ``is_app_shell`` when they provide one;
  * the footer is an empty container that scripts fill (no ICP / 备案 / © text in it);
  * the agreement is only reachable through a script: a 用户协议 / 购买须知 / 退款规则
    control that is a button or a ``javascript:``/``#`` link, while no crawled page looks
    like the agreement;
  * the goods links are built by script: the crawl reached no goods page, the start page
    has few same-site links, and its markup shows how the list is made (an inline JSON
    goods array, an AJAX / ``/api/`` call, a layui table, an app root, ``#/`` routes).  The
    goods page is where the buy prompt and the payment form sit (``reach``);
  * the start page holds a dialog whose words are a framed page (a Bootstrap notice modal
    with an ``<iframe>`` body, often opened by itself on load; a layui ``layer.open({type:
    2})`` call): the crawl does not follow frames, the browser reads it through the frame;
  * a crawled goods page's order button opens a dialog that a script writes: the page's
    scripts call one (``confirm()``, layer, SweetAlert, a Bootstrap modal) and hold buy-prompt
    or refund words, so the 购买须知 is shown only after 立即购买 (``reach`` clicks it).
"""
from __future__ import annotations

import re

from cardshop_auditor.artifacts import ShopArtifacts
from cardshop_auditor.extract.page.regions import vocabulary

AGREEMENT_LABEL = re.compile(r"协议|条款|须知|退款规则|退款政策|退款说明|售后政策|售后规则|服务规则|交易规则")
FOOTER_FACTS = re.compile(vocabulary()["footer"]["facts"], re.I)     # what a real footer says
APP_MOUNT = re.compile(r"""<(?:div|main|section)\b[^>]*\bid\s*=\s*["']?(?:app|root|__nuxt|__next|q-app|main-app|vue-app)\b""", re.I)
# a goods page's URL (the crawl has one: the links are not script-built)
GOODS_URL = re.compile(r"/buy/|/item/|/items?/\d|/goods|/product/(?:detail|\d)|/products?/\d|/detail|/commodity|"
                       r"[?&](?:pid|gid|goods_?id|item_?id|product_?id)=\w", re.I)
FEW_LINKS = 10              # distinct same-site pages linked from a shop's start page, at most
SCRIPT_GOODS_MARKERS = (
    ("inline_json", re.compile(r"""(?:goods|commodit|product|item|shop)\w*["']?\s*[=:]\s*[\[{]\s*["{\[]""", re.I)),
    ("ajax", re.compile(r"""\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|["'`]/api/""", re.I)),
    # a layui *table* or template filled by script (layui's CSS alone says nothing)
    ("layui", re.compile(r"layui\.(?:use|table|define)\b|\blay-(?:event|data)\b|<table\b[^>]*\blay-filter|"
                         r"\btable\.render\s*\(|\blaytpl\s*\(", re.I)),
    ("hash_routes", re.compile(r"""href\s*=\s*["']#/""", re.I)),
)
# a dialog opened by script, its words in the script (not in the page a crawl reads)
ORDER_DIALOG_CALL = re.compile(r"""\bconfirm\s*\(|\blayer\.(?:open|confirm|alert)\s*\(|\bswal\s*\(|\bSwal\.fire\s*\(|"""
                               r"""sweetAlert\s*\(|\.modal\(\s*["']show|new\s+bootstrap\.Modal\b|ElMessageBox|Dialog\.confirm""")
PROMPT_WORDS = re.compile(r"退款|退换|退货|售后|不退|购买须知|购买提示|温馨提示|下单须知|购前必读|注意事项")
ORDER_BUTTON = re.compile(r"""<(?:button|a)\b[^>]*>(?:\s|<[^>]{0,80}>|&#?\w{1,8};)*(?:立即购买|立即下单|确认下单|提交订单|确认购买|购买|下单)|"""
                          r"""<input\b[^>]*\bvalue\s*=\s*["']\s*(?:立即购买|立即下单|确认下单|提交订单|确认购买|购买|下单)""")
# a dialog box (Bootstrap / layui / Element / Ant / generic) and, within it, a frame with a source
DIALOG_BOX = re.compile(r"""<(?:div|dialog|section)\b[^>]*\b(?:class\s*=\s*["'][^"']*\b(?:modal|layui-layer|el-dialog|"""
                        r"""ant-modal|popup|dialog)\b[^"']*["']|role\s*=\s*["']dialog["'])""", re.I)
FRAME_SRC = re.compile(r"<iframe\b[^>]*\bsrc\s*=", re.I)
FRAME_WINDOW = 3000          # characters of a dialog's markup searched for its frame
LAYER_FRAME = re.compile(r"\blayer\.open\s*\(\s*\{[^}]*\btype\s*:\s*2\b")
SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
EMPTY_FOOTER = re.compile(r"""<footer\b[^>]*>\s*</footer>|<div\b[^>]*\b(?:id|class)\s*=\s*["'][^"']*\bfooter\b[^"']*["'][^>]*>\s*</div>""", re.I)


def needs_browser(artifacts: ShopArtifacts) -> bool:
    return bool(reasons(artifacts))


def reasons(artifacts: ShopArtifacts) -> list[str]:
    """Why the browser is needed (empty: it is not)."""
    start = artifacts.start_page
    if start is None or not start.html:
        return []
    out: list[str] = []
    try:
        from cardshop_auditor.extract.page import parse_page
        doc = parse_page(start)
    except Exception:  # noqa: BLE001 - extractor not importable: fall back to the raw HTML
        doc = None
    if _app_shell(start.html, doc):
        out.append("app_shell")
    if _script_footer(start.html, doc):
        out.append("footer_by_script")
    if _script_agreement(artifacts, doc):
        out.append("agreement_by_script")
    if framed_dialog(start.html):
        out.append("dialog_frame")
    if script_goods_markers(artifacts, doc):
        out.append("goods_by_script")
    if order_dialog_pages(artifacts):
        out.append("order_dialog_by_script")
    return out


def order_dialog_pages(artifacts: ShopArtifacts) -> list[str]:
    """Crawled goods pages whose order button opens a dialog a script writes (its text in
    a script, not in the page): the browser clicks that button (``reach``)."""
    out = []
    for page in artifacts.pages:
        url = page.final_url or page.url or ""
        if page.fetched_with != "http" or not page.html or not GOODS_URL.search(url):
            continue
        scripts = " ".join(SCRIPT_BODY.findall(page.html[:400_000]))
        if ORDER_DIALOG_CALL.search(scripts) and PROMPT_WORDS.search(scripts) and ORDER_BUTTON.search(page.html):
            out.append(url)
    return out


def framed_dialog(html: str) -> bool:
    """A dialog on the page whose words are a framed page: a dialog box holding an
    ``<iframe src>``, or a script opening a layui iframe layer."""
    html = html[:400_000]
    if any(FRAME_SRC.search(html, m.end(), m.end() + FRAME_WINDOW) for m in DIALOG_BOX.finditer(html)):
        return True
    return bool(LAYER_FRAME.search(" ".join(SCRIPT_BODY.findall(html))))


def _app_shell(html: str, doc) -> bool:
    try:
        from cardshop_auditor.extract.page import is_app_shell  # the extractors' verdict, when available
        if doc is not None:
            return bool(is_app_shell(doc))
    except ImportError:
        pass
    if doc is None:
        text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", " ", html, flags=re.S | re.I)
        visible = len(re.sub(r"\s+", "", text))
        scripts = len(re.findall(r"<script\b", html, re.I))
        return scripts > 0 and (visible < 80 or (APP_MOUNT.search(html) is not None and visible < 300))
    visible = getattr(doc, "visible_chars", 0)
    scripts = getattr(doc, "script_count", 0)
    if getattr(doc, "mount_ids", None) and visible < 300:
        return True
    noscript = getattr(doc, "noscript", "") or ""
    if scripts and visible < 80:
        return True
    return bool(scripts and re.search(r"JavaScript|启用|开启|enable", noscript, re.I) and visible < 300)


def _script_footer(html: str, doc) -> bool:
    """An empty footer container next to scripts, and no footer facts anywhere static."""
    if not re.search(r"<script\b", html, re.I) or not EMPTY_FOOTER.search(html):
        return False
    text = doc.footer_text if doc is not None else html
    return not FOOTER_FACTS.search(text or "")


def _script_agreement(artifacts: ShopArtifacts, doc) -> bool:
    if doc is None:
        return False
    script_controls = [l for l in getattr(doc, "links", []) if l.text and len(l.text) <= 20
                       and AGREEMENT_LABEL.search(l.text) and l.url is None
                       and not (l.href or "").lower().startswith(("mailto:", "tel:"))]
    if not script_controls:
        return False
    # is there a crawled page that is the agreement already?
    for page in artifacts.pages:
        if page is artifacts.start_page or not page.html:
            continue
        if AGREEMENT_LABEL.search(page.link_text or "") and len(page.html) > 2000:
            return False
    return True


def script_goods_markers(artifacts: ShopArtifacts, doc) -> list[str]:
    """How the start page builds its goods list by script (empty: it does not, or the crawl
    reached a goods page anyway, or the page links to plenty of pages)."""
    start = artifacts.start_page
    if start is None or not start.html or doc is None:
        return []
    for page in artifacts.pages:
        if page is not start and page.html and GOODS_URL.search(page.final_url or page.url or ""):
            return []
    if _same_site_links(doc, start) > FEW_LINKS:
        return []
    scripts = " ".join(SCRIPT_BODY.findall(start.html))
    found = [name for name, rx in SCRIPT_GOODS_MARKERS
             if rx.search(start.html if name in ("hash_routes", "layui") else scripts)]
    if APP_MOUNT.search(start.html) and scripts.strip() == "" and re.search(r"<script\b[^>]*\bsrc=", start.html, re.I):
        found.append("app_root")
    return found


def _same_site_links(doc, start) -> int:
    from cardshop_auditor.urls import same_host

    home = start.final_url or start.url
    here = home.split("#")[0].rstrip("/")
    urls = {l.url.rstrip("/") for l in getattr(doc, "links", []) if l.url and same_host(l.url, home)}
    urls.discard(here)
    return len(urls)

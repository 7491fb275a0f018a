"""Forms of a page: fields, buttons, and whether a password form is a login (not an order lookup)."""
from __future__ import annotations

import re

from cardshop_auditor.extract.page.links import link_text
from cardshop_auditor.extract.page.marks import clean_text
from cardshop_auditor.extract.page.model import Form, PageDoc
from cardshop_auditor.urls import absolute, normalise

_LOGIN_HINT = re.compile(r"登录|登陆|注册|login|log in|sign ?in|sign ?up|register|passport|signin|auth", re.I)
_SEARCH_HINT = re.compile(r"查询|搜索|search|query|下单|购买|buy|order|提取|支付", re.I)
MAX_FORMS = 100


def collect_forms(root, doc: PageDoc, base: str) -> None:
    for f in root.iter("form"):
        if len(doc.forms) >= MAX_FORMS:
            break
        doc.forms.append(_form(f, base))
    # password inputs outside any <form> (SPA-style login boxes)
    if not any(f.has_password for f in doc.forms):
        for el in root.iter("input"):
            if (el.get("type") or "").lower() == "password":
                login = bool(_LOGIN_HINT.search(doc.title + " " + " ".join(doc.headings[:3]) + " " +
                                                " ".join(link.text for link in doc.links[:80])))
                doc.forms.append(Form(action=None, method="post", has_password=True, is_login=login, has_textarea=False,
                                      has_file=False, fields=[el.get("name") or "password"], buttons=[],
                                      text=""))
                break


def _form(f, base: str) -> Form:
    fields, buttons = [], []
    has_pw = has_ta = has_file = False
    for el in f.iter("input", "textarea", "select", "button"):
        tag = el.tag
        typ = (el.get("type") or "").lower()
        if tag == "textarea":
            has_ta = True
        if typ == "password":
            has_pw = True
        if typ == "file":
            has_file = True
        if tag == "button" or typ in ("submit", "button"):
            label = link_text(el)
            if label:
                buttons.append(label)
            continue
        name = " ".join(x for x in (el.get("name"), el.get("id"), el.get("placeholder")) if x)
        if name:
            fields.append(name[:80])
    action = f.get("action")
    ftext = clean_text(f)[:2000]
    blob = " ".join(buttons) + " " + (action or "") + " " + " ".join(fields) + " " + ftext[:200]
    login = has_pw and bool(_LOGIN_HINT.search(blob)) and not _SEARCH_HINT.search(" ".join(buttons) + " " + (action or ""))
    return Form(action=absolute(base, action) if action else normalise(base),
                method=(f.get("method") or "get").lower(), has_password=has_pw, is_login=login,
                has_textarea=has_ta, has_file=has_file, fields=fields[:50],
                buttons=buttons[:10], text=ftext)

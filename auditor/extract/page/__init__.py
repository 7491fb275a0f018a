"""Parse one fetched page, once, into a ``PageDoc`` every extractor reads.

The document is flattened into *blocks*: runs of visible text between block-level
boundaries (p, div, li, headings, br, table rows, ...).  Each block carries flags saying
where it sat: footer, nav/header, modal/dialog, notice, hidden (``display:none``,
``hidden``, ``d-none``: hidden text still counts as present, the flag only notes it),
list item, table row, heading (h1-h6), title (a heading by role: a bold-only paragraph,
a card / modal / notice header; it starts a section but is not one of ``PageDoc.headings``).
Table rows become one block with the cells joined ("订单状态：未提取卡密，是否可退：可全额退款").

One job per module:
  model      PageDoc, Block, Link, Form, Modal and the block flags
  tree       lxml parsers per thread, a document from any markup (broken, NUL, deep nesting)
  regions    footer / nav / modal / notice / hidden, from ``extract/data/regions.json``
             (the vocabulary the browser's in-page scripts read too)
  marks      sentinels put into the tree (blocks, cells, regions, links, headings by role)
  flatten    the marked text cut into blocks in one linear pass (``Flattener``)
  links      links and controls, their regions and overflow menus
  forms      forms, login or not
  app_shell  is the page a script-rendered shell?
  parse      the pipeline above, cached per page; never raises
"""
from cardshop_auditor.extract.page.app_shell import is_app_shell
from cardshop_auditor.extract.page.model import (BOTTOM, FOOTER, FORM, HEADING, HIDDEN, LI, LINKONLY, MAX_BLOCK_CHARS,
                                                 MAX_BLOCKS, MAX_LINKS, MODAL, NAV, NOTICE, ROW, TITLE, Block, Form,
                                                 Link, Modal, PageDoc)
from cardshop_auditor.extract.page.parse import parse_html, parse_page

__all__ = ["BOTTOM", "FOOTER", "FORM", "HEADING", "HIDDEN", "LI", "LINKONLY", "MAX_BLOCK_CHARS", "MAX_BLOCKS",
           "MAX_LINKS", "MODAL", "NAV", "NOTICE", "ROW", "TITLE", "Block", "Form", "Link", "Modal", "PageDoc",
           "is_app_shell", "parse_html", "parse_page"]

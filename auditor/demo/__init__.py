"""The demo shops that `cardshop-audit demo` audits: the fixture shops of the repository
(``fixtures/shops``, installed as ``cardshop_auditor.demo.shops``) and the loopback server
that serves them (:mod:`cardshop_auditor.demo.server`)."""

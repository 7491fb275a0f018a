"""Small modules with one job each (issue 12): no module of the installed package is over
500 lines. Tests and fixtures are not held to it."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500


def test_no_module_over_500_lines():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text("utf-8").splitlines())
             for folder in ("auditor", "checks", "spiders", "report_templates")
             for path in (ROOT / folder).rglob("*.py")}
    assert len(sizes) > 100                      # the walk found the package
    assert {path: n for path, n in sizes.items() if n > LIMIT} == {}

"""`python -m cardshop_auditor`: the same command line as `cardshop-audit`."""
import sys

from cardshop_auditor.cli import main

sys.exit(main())

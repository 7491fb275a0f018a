"""Browser stage: a real Chromium through Playwright, only where static HTML is not enough."""

"""Browser (end-to-end) tests: JupyterLab and Voilà driven by Chromium through Playwright."""

"""Where the grader runs: on a computer, or in the browser (JupyterLite's Pyodide kernel)."""

import sys

# In the browser there is no numpy, tokenizers or safetensors: the meaning model runs in plain
# Python there, and the course keeps its folders in the browser's persistent storage.
IN_BROWSER = sys.platform == "emscripten"

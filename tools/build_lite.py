"""Build the course as a JupyterLite site: static files that run the course in the browser, with
Python (Pyodide) in WebAssembly, no server and nothing to install.

Usage: python3 tools/build_lite.py [--output build/lite]

By default the site is whole and offline: Pyodide's core (the `pyodide` npm package at the
version the kernel pins, installed once into .cache/npm), the pure-Python wheels the kernel and
the course need (tools/lite/wheels.txt, downloaded once into .cache/lite-wheels), the course's
package as a wheel (the grader's word vectors inside it), and the course's notebooks and data.
Serve the output folder with any static file server (`python3 -m http.server -d build/lite`) or
publish it as it is (GitHub Pages, any web host).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "lite"
NPM_PREFIX = ROOT / ".cache" / "npm"
WHEEL_CACHE = ROOT / ".cache" / "lite-wheels"
DEFAULT_OUTPUT = ROOT / "build" / "lite"
LABEXTENSIONS = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
# The front ends the site needs: the Python kernel and the widgets (nothing else installed here).
EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
# What the learner opens: the same folders as in the repository, without solutions or tools.
COURSE_FILES = (
    "course.ipynb",
    "lessons/*.ipynb",
    "exercises/*.ipynb",
    "data/*.csv",
    "data/*.toml",
    "data/README.md",
)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Markers of the browser's Python, to read each wheel's dependencies as Pyodide would.
BROWSER_MARKERS = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}
# The widget front end comes from the site's own extension, not from these Python packages.
FRONT_END_ONLY = {"widgetsnbextension", "jupyterlab-widgets"}


def npm_pyodide() -> Path:
    """The `pyodide` npm package at the kernel's version, installed into .cache/npm once."""
    package = NPM_PREFIX / "node_modules" / "pyodide"
    manifest = package / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != PYODIDE_VERSION:
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NPM_PREFIX),
                "--cache",
                str(ROOT / ".cache" / "npm-cache"),
                "--no-audit",
                "--no-fund",
                "--silent",
                f"pyodide@{PYODIDE_VERSION}",
            ],
            check=True,
        )
    return package


def pinned_wheels() -> list[Path]:
    """The wheels of tools/lite/wheels.txt, downloaded once into .cache/lite-wheels."""
    pins = [
        line.strip()
        for line in (CONFIG / "wheels.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)

    def cached(pin: str) -> Path | None:
        name, version = pin.split("==")
        for wheel in WHEEL_CACHE.glob("*.whl"):
            wheel_name, wheel_version, _, _ = parse_wheel_filename(wheel.name)
            if wheel_name == canonicalize_name(name) and str(wheel_version) == version:
                return wheel
        return None

    missing = [pin for pin in pins if cached(pin) is None]
    if missing:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.14",
                "--implementation",
                "py",
                "--abi",
                "none",
                "--platform",
                "any",
                "--dest",
                str(WHEEL_CACHE),
                *missing,
            ],
            check=True,
        )
    return [cached(pin) for pin in pins]


def course_wheel(folder: Path) -> Path:
    """The course's package as a wheel, built by pip."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--wheel-dir",
            str(folder),
            str(ROOT),
        ],
        check=True,
    )
    return next(folder.glob("outreach_coach-*.whl"))


def _wheel_metadata(wheel: Path) -> tuple[list[str], list[str]]:
    """A wheel's top-level import names and its Requires-Dist lines."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    tops = sorted(
        {
            name.split("/")[0].removesuffix(".py")
            for name in names
            if not name.split("/")[0].endswith((".dist-info", ".data"))
            and (name.endswith(".py") or "/" in name)
        }
    )
    return tops, metadata.get_all("Requires-Dist") or []


def pyodide_lock(upstream: Path, wheels: list[Path]) -> tuple[dict, dict[str, list[str]]]:
    """A pyodide-lock.json listing exactly the site's wheels (Pyodide's own lists packages the
    core does not ship), and, per package, the dependencies left out because the browser has
    no wheel of them."""
    names = {parse_wheel_filename(w.name)[0] for w in wheels}
    packages: dict[str, dict] = {}
    left_out: dict[str, list[str]] = {}
    for wheel in wheels:
        name, version, _, _ = parse_wheel_filename(wheel.name)
        imports, requires = _wheel_metadata(wheel)
        depends, missing = [], []
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(BROWSER_MARKERS):
                continue
            dependency = canonicalize_name(requirement.name)
            if dependency in FRONT_END_ONLY:
                continue
            (depends if dependency in names else missing).append(dependency)
        if missing:
            left_out[name] = missing
        packages[name] = {
            "name": name,
            "version": str(version),
            "file_name": wheel.name,
            "install_dir": "site",
            "package_type": "package",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "imports": imports,
            "depends": sorted(depends),
            "unvendored_tests": False,
        }
    info = json.loads(upstream.read_text())["info"]
    return {"info": info, "packages": packages}, left_out


def stage(work: Path) -> dict[str, list[str]]:
    """Lay out the lite folder JupyterLite builds from; returns the dependencies left out."""
    shutil.rmtree(work, ignore_errors=True)
    # Pyodide's core and the wheels side by side, where Pyodide looks for them.
    static = work / "static" / "pyodide"
    static.mkdir(parents=True)
    pyodide = npm_pyodide()
    wheels = [*pinned_wheels(), course_wheel(static)]
    for wheel in wheels:
        if wheel.parent != static:
            shutil.copy2(wheel, static / wheel.name)
    lock, left_out = pyodide_lock(pyodide / "pyodide-lock.json", wheels)
    (static / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    for name in PYODIDE_FILES:
        shutil.copy2(pyodide / name, static / name)
    shutil.copy2(CONFIG / "jupyter-lite.json", work / "jupyter-lite.json")
    for extension in EXTENSIONS:
        shutil.copytree(LABEXTENSIONS / extension, work / "extensions" / extension)
    contents = work / "contents"
    for pattern in COURSE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            target = contents / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return left_out


def build(output: Path) -> dict[str, list[str]]:
    """Build the site into `output`; returns, per package, the dependencies the browser lacks."""
    work = output.parent / f"{output.name}-src"
    left_out = stage(work)
    shutil.rmtree(output, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lite",
            "build",
            "--lite-dir",
            str(work),
            "--contents",
            str(work / "contents"),
            "--output-dir",
            str(output),
            "--ignore-sys-prefix",
            "--no-sourcemaps",
            "--no-unused-shared-packages",
            "--apps",
            "lab",
            f"--FederatedExtensionAddon.extra_labextensions_path={work / 'extensions'}",
        ],
        check=True,
        cwd=work,
    )
    return left_out


def folder_size(folder: Path) -> int:
    """The bytes of every file under a folder."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> int:
    """Build the site and say what it holds and what cannot run in the browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="site folder")
    options = parser.parse_args(argv)
    output = options.output.resolve()
    left_out = build(output)
    print(f"Built {output} ({folder_size(output) / 1e6:.1f} MB).")
    for package, missing in sorted(left_out.items()):
        print(f"  not in the browser, needed by {package}: {', '.join(missing)}")
    print(f"Serve it: python3 -m http.server --bind 127.0.0.1 --directory {output} 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())

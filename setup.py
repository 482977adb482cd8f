"""Builds the extension modules of the package `sigma` with CMake (pyproject.toml names this file's
setuptools as the backend). CMAKE_ARGS adds arguments to the configure step, e.g.
CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"."""

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(sigma VERSION (\S+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                     "-DSIGMA_BUILD_TESTS=OFF", "-DSIGMA_BUILD_TOOLS=OFF",
                     "-DSIGMA_BUILD_BENCHMARKS=OFF", "-DSIGMA_WERROR=OFF",
                     f"-DPython_EXECUTABLE={sys.executable}"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        # Only what the package holds: the extension and, where libtorch was found, the operators.
        targets = ["sigma_python"]
        if "SIGMA_BUILD_TORCH:BOOL=ON" in (build / "CMakeCache.txt").read_text():
            targets.append("sigma_torch")
        subprocess.run(["cmake", "--build", str(build), "--parallel", jobs, "--target", *targets],
                       check=True)
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).parent
        target.mkdir(parents=True, exist_ok=True)
        built = build / "python" / "sigma"
        for library in [*built.glob("_sigma*.so"), *built.glob("libsigma_torch*.so")]:
            shutil.copy2(library, target / library.name)


(ROOT / "build").mkdir(exist_ok=True)  # setuptools' scratch, beside CMake's build folders
setup(
    version=version(),
    packages=["sigma"],
    package_dir={"sigma": "python/sigma"},
    package_data={"sigma": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("sigma._sigma", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build/setuptools"}, "egg_info": {"egg_base": "build"}},
    zip_safe=False,
)

"""`cmake --install` puts a package that imports: the one under test comes from a build folder
(<build>/python/sigma/), which is installed into a scratch prefix and imported from there."""

import pathlib
import subprocess
import sys

import sigma


def test_cmake_install_gives_an_importable_module(tmp_path):
    build = pathlib.Path(sigma.__file__).resolve().parent.parent.parent
    subprocess.run(["cmake", "--install", str(build), "--component", "python", "--prefix",
                    str(tmp_path)], check=True, capture_output=True)
    installed = list(tmp_path.glob("lib/python3*/*-packages/sigma/__init__.py"))
    assert len(installed) == 1, installed
    assert list(installed[0].parent.glob("_sigma*.so"))
    script = "import sigma; print(sigma.__file__, sigma.relu([-1.0, 2.0]).tolist())"
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                            text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(installed[0].parent.parent)})
    assert result.stdout.split() == [str(installed[0]), "[0.0,", "2.0]"]

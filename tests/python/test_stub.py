"""The type stubs python/sigma/*.pyi are what scripts/python_stub.py writes from the catalogs
now, and every public function of sigma and sigma.torch has an inspect.signature."""

import inspect
import pathlib
import subprocess
import sys

import pytest

import sigma

SOURCE = pathlib.Path(__file__).resolve().parents[2]


def test_stubs_match_the_catalogs(tmp_path):
    subprocess.run([sys.executable, str(SOURCE / "scripts" / "python_stub.py"), str(tmp_path)],
                   check=True)
    for name in ("__init__.pyi", "torch.pyi"):
        if not (tmp_path / name).exists():  # sigma.torch where libtorch-dev was there
            continue
        expected = (tmp_path / name).read_text()
        assert (SOURCE / "python" / "sigma" / name).read_text() == expected, (
            f"python/sigma/{name} is stale: rerun scripts/python_stub.py")


def test_every_public_function_has_a_signature():
    torch_module = pytest.importorskip("sigma.torch")
    for module in (sigma, torch_module):
        for name in dir(module):
            value = getattr(module, name)
            if not name.startswith("_") and callable(value) and not inspect.isclass(value) and \
                    getattr(value, "__module__", None) in (module.__name__, "sigma._sigma"):
                assert inspect.signature(value) is not None, name
    assert list(inspect.signature(sigma.catalog).parameters) == []
    assert list(inspect.signature(sigma.set_num_threads).parameters) == ["n"]

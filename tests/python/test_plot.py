"""sigma.plot: a figure that Jupyter shows inline and that saves in each format."""
import inspect
import struct
import xml.etree.ElementTree as ET

import pytest

import sigma


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_jupyter_reprs():
    figure = sigma.plot("sigmoid", "tanh", "relu", "softplus", "elu")
    svg = figure._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.find("{http://www.w3.org/2000/svg}title").text == (
        "sigma plot: sigmoid, tanh, relu, softplus, elu")
    assert png_size(figure._repr_png_()) == (1000, 420)
    assert figure.svg().startswith("<?xml")
    assert repr(figure) == "sigma.Figure('sigmoid', 'tanh', 'relu', 'softplus', 'elu')"


def test_options():
    figure = sigma.plot(["relu", "leaky_relu:alpha=0.2"], "step", grid=True, derivative=False,
                        x_range=(-2, 2), y_range=(-1, 2), size=(500, 400), dpi=144,
                        legend=False)
    assert png_size(figure.png()) == (1000, 800)
    assert "leaky_relu:alpha=0.2" in figure.svg()
    assert list(inspect.signature(sigma.plot).parameters)[:3] == ["specs", "derivative", "grid"]


@pytest.mark.parametrize("extension, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"),
                                              ("pdf", b"%PDF-")])
def test_save(tmp_path, extension, magic):
    path = tmp_path / ("figure." + extension)
    sigma.plot("gelu").save(str(path))
    assert path.read_bytes().startswith(magic)


def test_errors_are_sigma_errors():
    with pytest.raises(sigma.Error, match="unknown activation 'relux'"):
        sigma.plot("relux")
    with pytest.raises(sigma.Error, match="no functions"):
        sigma.plot()
    with pytest.raises(sigma.Error, match="x range 5:1"):
        sigma.plot("relu", x_range=(5, 1))
    with pytest.raises(sigma.Error, match="dpi"):
        sigma.plot("relu", dpi=0)
    with pytest.raises(sigma.Error, match=r"\.svg, \.png or \.pdf"):
        sigma.plot("relu").save("figure.jpg")
    with pytest.raises(TypeError):
        sigma.plot("relu", x_range="wide")

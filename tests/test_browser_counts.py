"""What the browser test expects each notebook to display is read from its stored outputs."""

import nbformat
import pytest

@pytest.fixture(scope="module")
def browser_test(import_script):
    return import_script("browser_test")


def view(model_id: str) -> dict:
    return {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {"model_id": model_id}}}


def model(name: str, **state) -> dict:
    return {"model_name": name, "state": state}


def notebook(outputs: list[dict], state: dict) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("pass")
    cell.outputs = [nbformat.from_dict(output) for output in outputs]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    return nb


PNG = {"output_type": "display_data", "data": {"image/png": "", "text/plain": ""}}
ROWS = [
    pytest.param([PNG, PNG], {}, (2, 0, 0), [], id="two plain figures"),
    pytest.param([view("box")], {
        "box": model("VBoxModel", children=["IPY_MODEL_s1", "IPY_MODEL_out"]),
        "s1": model("FloatSliderModel"),
        "out": model("OutputModel", outputs=[PNG]),
    }, (1, 1, 0), [], id="slider and the figure inside its output widget"),
    pytest.param([view("bar"), view("bar")], {
        "bar": model("HBoxModel", children=["IPY_MODEL_p"]), "p": model("FloatProgressModel"),
    }, (0, 0, 1), [], id="a widget shown twice counts once"),
    pytest.param([view("lost")], {}, (0, 0, 0), ["lost"], id="a view without stored state is reported"),
]


@pytest.mark.parametrize("outputs, state, counts, missing", ROWS)
def test_expected_counts_follow_the_stored_outputs(browser_test, outputs, state, counts, missing):
    want, lost = browser_test.expected(notebook(outputs, state))
    assert (want.figures, want.sliders, want.progress_bars) == counts
    assert lost == missing


@pytest.mark.parametrize("name, png", [
    ("01_mixup_formula.ipynb", "01_mixup_formula.png"),
    ("solutions/05_pitfalls_solutions.ipynb", "solutions-05_pitfalls_solutions.png"),
    ("zh-CN/01_mixup_formula.ipynb", "zh-CN-01_mixup_formula.png"),
])
def test_screenshot_names_keep_the_folder(browser_test, name, png):
    assert browser_test.screenshot_name(name) == png

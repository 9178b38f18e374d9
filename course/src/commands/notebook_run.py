"""Executes one notebook top to bottom in the Rust (evcxr) kernel, for `course notebook --execute`.

Usage: python3 notebook_run.py NOTEBOOK OUTPUT TIMEOUT_S

This is what `jupyter nbconvert --execute` does (through the same nbclient), plus two
things it lacks: a line per cell as it starts (the CLI's spinner shows it), and, when a
cell fails, that cell's number, source and the kernel's error with ANSI colours removed.
evcxr puts compiler errors in the cell's outputs, not in the execute reply, so
nbconvert's own message would be empty. The partly executed notebook is written either
way, so a failure can be opened in Jupyter.
"""

import os
import re
import sys

import nbformat
from nbclient import NotebookClient

src, out, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
nb = nbformat.read(src, as_version=4)
code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def on_cell_start(cell, cell_index, **_):
    if cell.cell_type == "code":
        first = (cell.source.strip().splitlines() or [""])[0][:60]
        n = code_cells.index(cell_index) + 1
        print(f"cell {n}/{len(code_cells)}: {first}", flush=True)


# The kernel starts in the notebook's folder, as in Jupyter, so `:dep x = { path = "../x" }` works.
client = NotebookClient(
    nb,
    kernel_name="rust",
    timeout=timeout,
    resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    on_cell_start=on_cell_start,
)
failure = None
try:
    client.execute()
except Exception as e:  # CellExecutionError, a timeout, a dead kernel: all fail the run
    failure = e
finally:
    nbformat.write(nb, out)

class FigureAsText(Exception):
    pass


# A figure whose value was moved into the cell's last expression comes back as plain text
# holding evcxr's content markers instead of an image: the run "passes" but shows nothing.
for i, cell in enumerate(nb.cells):
    for o in cell.get("outputs", []):
        text = "".join(o.get("text", "")) + "".join((o.get("data") or {}).get("text/plain", ""))
        if "EVCXR_BEGIN_CONTENT" in text and failure is None:
            print(f"\ncell {i + 1} printed a figure as text (EVCXR_BEGIN_CONTENT): borrow or clone")
            print("the values the figure uses, so that evcxr can display it as an image.")
            failure = FigureAsText("figure printed as text")

if failure is not None and not isinstance(failure, FigureAsText):
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    for i, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            print(f"\nerror in cell {i + 1} (counting markdown cells):")
            print("".join("    " + line + "\n" for line in cell.source.splitlines()))
            for o in errors:
                print(ansi.sub("", "\n".join(o.get("traceback") or [o.get("evalue", "")])))
            break
    else:
        print(f"\n{type(failure).__name__}: {failure}")
    sys.exit(1)
elif failure is not None:
    sys.exit(1)

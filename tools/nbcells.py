"""What the docs tools agree on about a notebook's code cells: which ones run, which ones the site shows, which ones draw.

Used by `tools/refresh_outputs.py` (what to execute and which outputs to keep) and `tools/docs_check.py`
(which cells must show a picture). Directives are read by nbdev itself, as `nbdev-test` reads them.
"""
import ast, functools, re
from pathlib import Path

# Cells that nbdev's docs processing removes from the page (`rm_export`, `hide_`), and Quarto options that hide
# a cell's outputs or the whole cell.
NOT_SHOWN = {'hide', 'export', 'exporti', 'default_exp'}


@functools.lru_cache(maxsize=None)
def flagged_nb(fn, run_flags:tuple=()):
    "(Cached) Notebook `fn` as `nbdev-test` sees it (directives parsed into `cell.directives_`), and its skip predicate; `run_flags` are run anyway."
    from nbdev.config import get_config
    from nbdev.process import NBProcessor
    from nbdev.test import _skip_cell
    cfg = get_config(Path(fn).parent)
    flags = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
    flags = [f for f in flags if f not in run_flags]
    nb = NBProcessor(fn, rm_directives=False, process=True).nb
    return nb, _skip_cell(nb, flags), cfg


def directives(cell): return getattr(cell, 'directives_', {}) or {}


def shows_outputs(cell):
    "Does the docs page show this code cell's outputs? (not hidden, exported, `include: false` or `output: false`)"
    d = directives(cell)
    if d.keys() & NOT_SHOWN: return False
    return str(d.get('include', '')).lower() != 'false' and str(d.get('output', '')).lower() != 'false'


# --- picture cells ---------------------------------------------------------------------------------------------
# A *picture cell* is a code cell that
#   1. the docs page shows with its outputs (`shows_outputs`), and that `nbdev-test` runs (no `tst_flags` flag such
#      as slow/cuda/notest, no `eval: false`), and
#   2. whose code (parsed with `ast`; comments and strings do not count) leaves a picture behind:
#      a. it calls a drawing function: a name or attribute in `DRAW_CALLS` (`plt.subplots`, `ax.imshow`,
#         `show_image`, `dls.show_batch`, ...) or any function whose name starts with `plot_`,
#         and does not close what it drew (no call to `plt.close` or to the project's `save_figure`, which closes);
#         the inline backend then shows every open figure as an image when the cell ends; or
#      b. its last statement is an expression, not silenced with `;`, that makes an image the notebook displays:
#         `Image.open(...)`, `Image.fromarray(...)`, `PILImage.create(...)`, `IPython.display.Image(...)`, or
#         `display(...)` of one of these.
# Such a cell must keep an image output in the committed notebook (`tools/refresh_outputs.py` writes it).
DRAW_CALLS = {'subplots', 'figure', 'imshow', 'matshow', 'plot', 'contour', 'contourf', 'pcolormesh', 'hist',
              'scatter', 'bar', 'barh', 'errorbar', 'fill_between', 'show_image', 'show_images', 'show_batch',
              'show_results', 'plot_top_losses'}
CLOSE_CALLS = {'close', 'save_figure'}
IMAGE_MAKERS = {('Image', 'open'), ('Image', 'fromarray'), ('PILImage', 'create'), ('display', 'Image'), (None, 'Image')}


def _call_name(node):
    "(owner, name) of a call: `plt.subplots(...)` -> ('plt', 'subplots'), `f(...)` -> (None, 'f')."
    f = node.func
    if isinstance(f, ast.Name): return None, f.id
    if isinstance(f, ast.Attribute):
        v = f.value
        owner = v.id if isinstance(v, ast.Name) else v.attr if isinstance(v, ast.Attribute) else None
        return owner, f.attr
    return None, None


def _parse(src):
    "Python AST of a cell, with IPython magics and shell lines blanked out; None if it does not parse."
    lines = ['' if l.lstrip().startswith(('%', '!')) else l for l in src.splitlines()]
    try: return ast.parse('\n'.join(lines))
    except SyntaxError: return None


def _makes_image(expr):
    if not isinstance(expr, ast.Call): return False
    owner, name = _call_name(expr)
    if name == 'display' and expr.args: return _makes_image(expr.args[0])
    return (owner, name) in IMAGE_MAKERS


def draws(src):
    "Does code `src` leave a picture in its cell's output? (rule 2 above; a str -> bool)"
    tree = _parse(src)
    if tree is None: return False
    calls = [_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    names = {n for _, n in calls if n}
    if (names & DRAW_CALLS or any(n.startswith('plot_') for n in names)) and not names & CLOSE_CALLS: return True
    last = tree.body[-1] if tree.body else None
    silenced = src.rstrip().endswith(';')
    return isinstance(last, ast.Expr) and not silenced and _makes_image(last.value)


def picture_cells(fn):
    "Picture cells of notebook `fn`, and the drawing cells that tests skip (flags / eval: false): two lists of cells."
    nb, skip, _ = flagged_nb(fn)
    pics, skipped = [], []
    for c in nb.cells:
        if c.cell_type != 'code' or not shows_outputs(c) or not draws(c.source): continue
        (skipped if skip(c) else pics).append(c)
    return pics, skipped


# --- cells the docs build runs ------------------------------------------------------------------------------
# nbdev's docs processing (`exec_show_docs`) runs, in a fresh shell and without the other cells, every cell that is
# exported or contains an import statement anywhere or a show_doc call (unless `eval: false`). A non-exported such
# cell with any other top-level statement (an assignment, a call, a loop, a test) runs that code out of context:
# it fails the build (a name from an earlier cell) or makes it slow (a model trained in a docs build).
_EXPORTS = {'export', 'exports', 'exporti', 'exec_doc'}
_DEFS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_show_doc(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _call_name(stmt.value)[1] == 'show_doc'


def docs_run_cells(fn):
    "Cells of notebook `fn` that nbdev's docs build runs although they hold more than imports and definitions."
    nb, _, _ = flagged_nb(fn)
    res = []
    for c in nb.cells:
        if c.cell_type != 'code' or 'nbdev_export' + '()' in c.source: continue
        d = directives(c)
        if d.keys() & _EXPORTS or str(d.get('eval', '')).lower() == 'false': continue
        tree = _parse(c.source)
        if tree is None: continue
        runs = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)) or any(_is_show_doc(t) for t in tree.body)
        if runs and any(not isinstance(t, _DEFS) and not _is_show_doc(t) for t in tree.body): res.append(c)
    return res


def first_line(src):
    "First line of code of a cell, without its directives (to name a cell in a message)."
    lines = [l for l in src.splitlines() if l.strip() and not re.match(r'\s*#\|', l)]
    return (lines[0] if lines else '')[:70]


def has_image(outputs):
    return any(k.startswith('image/') for o in outputs for k in (o.get('data') or {}))


# --- the title cell ------------------------------------------------------------------------------------------
# nbdev turns the first markdown cell holding a `# Title` line into the page's front matter (`# title`,
# `> description`, `- key: value` lines) and drops the whole cell from the page. Any other text in it is lost on the
# site, and `- name: text` bullets are read as front-matter keys.
def title_cell_losses(fn):
    "Lines of notebook `fn`'s title cell that the docs page loses: (cell id, [lines])."
    import json
    nb = json.loads(Path(fn).read_text(encoding='utf-8'))
    for c in nb['cells']:
        if c['cell_type'] == 'raw': continue
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        if not re.search(r'^#\s+(\S.*?)\s*$', src, flags=re.MULTILINE):
            if src.strip(): return None, []
            continue
        lost = [l for l in src.splitlines() if l.strip() and not re.match(r'^#\s+\S|^>\s+\S', l)]
        return c.get('id'), lost
    return None, []


# --- the docs build, one notebook at a time (docs_check's fallback when nbdev-proc-nbs fails) --------------------
def short_err(e):
    "The message of nbdev's processing error: which notebook and cell, and the exception."
    while e.__cause__ is not None and 'Error in notebook' not in str(e): e = e.__cause__
    lines = str(e).strip().splitlines()
    return 'nbdev-proc-nbs: ' + '\n  '.join(lines[:25])


def proc_one(name):
    "Process notebook nbs/`name` into _proc/ as nbdev-proc-nbs does; the error message, or None."
    from nbdev.serve import proc_nbs
    try: proc_nbs(file_glob=name, n_workers=0)
    except Exception as e: return short_err(e)

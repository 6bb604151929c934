"""Write README.md from nbs/index.ipynb without Quarto (what `nbdev-readme` renders on the docs workflow), and the
package docstring of strokeseg_nbdev/__init__.py from the notebooks' titles (what `help(strokeseg_nbdev)` lists).

Markdown cells are copied; visible code cells become fenced blocks; cells marked `#| hide` are left out.
The package docstring lists every module a notebook exports (`#| default_exp`) with that notebook's title; the rest of
`__init__.py` is kept as it is. CI runs this script and fails when it changes a file, so neither can drift.
"""
import ast, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nb = json.loads((root/'nbs'/'index.ipynb').read_text())
out = []
for cell in nb['cells']:
    src = ''.join(cell['source']).strip('\n')
    lines = src.splitlines()
    directives = [l for l in lines if re.match(r'#\|\s*', l)]
    if any(re.match(r'#\|\s*hide', l) for l in directives): continue
    body = '\n'.join(l for l in lines if l not in directives).strip('\n')
    if not body: continue
    if cell['cell_type'] == 'markdown': out.append(body)
    elif cell['cell_type'] == 'code': out.append(f'```python\n{body}\n```')
text = '<!-- Written by tools/make_readme.py from nbs/index.ipynb: edit the notebook, not this file. -->\n\n'
text += '\n\n'.join(out) + '\n'
dest = root/'README.md'
if not dest.exists() or dest.read_text() != text: dest.write_text(text)

# The package docstring: index's description, then one line per exported module, in notebook order.
def _cells(f): return json.loads(f.read_text())['cells']
def _src(c): return ''.join(c['source'])
def _title(cells, f):
    for c in cells:
        if c['cell_type'] == 'markdown' and (m := re.match(r'# (.+)', _src(c))): return m.group(1).strip()
    sys.exit(f"{f}: no title cell ('# Title')")
def _description(cells):
    for c in cells:
        if c['cell_type'] == 'markdown' and (m := re.search(r'^> (.+)', _src(c), re.M)): return m.group(1).strip()
    return ''
mods = []
for f in sorted((root/'nbs').glob('[0-9]*.ipynb')):
    cells = _cells(f)
    exp = [m.group(1) for c in cells if c['cell_type'] == 'code' for m in [re.search(r'^#\|\s*default_exp\s+(\S+)', _src(c), re.M)] if m]
    if exp: mods.append(f"- `strokeseg_nbdev.{exp[0]}` ({f.stem}): {_title(cells, f)}")
doc = (f'"""{_description(_cells(root/"nbs"/"index.ipynb"))}\n\n'
       'Modules, one per notebook of nbs/ (the tutorials 90-92 walk through them; `strokeseg --help` lists the commands):\n\n'
       + '\n'.join(mods) + '\n\nWritten by tools/make_readme.py from the notebooks\' titles."""')
if '"""' in doc[3:-3] or '\\' in doc: sys.exit('a notebook title or the index description holds """ or a backslash')
init = root/'strokeseg_nbdev'/'__init__.py'
old = init.read_text()
lines = old.splitlines(keepends=True)
first = ast.parse(old).body[:1]              # the old docstring, whatever its quotes, is replaced; the rest is kept
if first and isinstance(first[0], ast.Expr) and isinstance(first[0].value, ast.Constant) and isinstance(first[0].value.value, str):
    rest = ''.join(lines[first[0].end_lineno:])
    new = ''.join(lines[:first[0].lineno - 1]) + doc + '\n' + rest
else: new = doc + '\n\n' + old
if new != old: init.write_text(new)

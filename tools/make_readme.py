"""Write README.md from nbs/index.ipynb without Quarto (what `nbdev-readme` renders on the docs workflow).

Markdown cells are copied; visible code cells become fenced blocks; cells marked `#| hide` are left out.
"""
import json, re, sys
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

#!/usr/bin/env python3
"""Write nbs/sidebar.yml, the docs site's sidebar, from the notebooks in nbs/.

nbdev would generate the sidebar itself on every docs build, from every file in nbs/ (so it listed llms.txt,
nbdev.yml, sidebar.yml and styles.css as pages) and rewrite the tracked file. `custom_sidebar = true` in
pyproject.toml's [tool.nbdev] turns that off; this script writes the sidebar instead:
the home page (index.ipynb), then the tutorials (90-99), then the other notebooks in number order, grouped by the
layer blocks of STYLE.md. Only notebooks (`*.ipynb`; names starting with `_` or `.` are skipped, as nbdev does).

    python tools/make_sidebar.py           # rewrite nbs/sidebar.yml if it is out of date
    python tools/make_sidebar.py --check   # exit 1 if nbs/sidebar.yml is out of date (CI; tools/docs_check.py)

Run it after adding, renaming or removing a notebook, and commit nbs/sidebar.yml.
"""
import re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
SIDEBAR = NBS/'sidebar.yml'
HEADER = '# Written by tools/make_sidebar.py from the notebooks in nbs/: run it after adding or renaming a notebook.\n'
# Sections by the leading number's tens digit (STYLE.md's layer blocks); tutorials come first.
BLOCKS = {9: 'Tutorials', 0: 'Core and data', 1: 'Models', 2: 'Losses and training', 3: 'Inference and metrics',
          4: 'Interpretation', 5: 'Unlabelled data', 6: 'Command line and reports', 7: 'Benchmarks', 8: 'More'}


def notebooks(nbs=NBS):
    return sorted(p.name for p in nbs.glob('*.ipynb') if not p.name.startswith(('_', '.')))


def sidebar_yml(names):
    "The text of sidebar.yml for notebook file names `names`."
    num = lambda n: re.match(r'(\d+)', n)
    sections = {k: [] for k in BLOCKS}
    top, other = [], []
    for n in names:
        m = num(n)
        if n == 'index.ipynb': top.append(n)
        elif m: sections[int(m.group(1)[0]) if len(m.group(1)) > 1 else 0].append(n)
        else: other.append(n)
    out = [HEADER, 'website:\n', '  sidebar:\n', '    contents:\n']
    out += [f'      - {n}\n' for n in top]
    for k, title in BLOCKS.items():
        if not sections[k]: continue
        out += [f'      - section: {title}\n', '        contents:\n']
        out += [f'          - {n}\n' for n in sorted(sections[k], key=lambda n: (int(num(n).group(1)), n))]
    if other: out += ['      - section: Other\n', '        contents:\n'] + [f'          - {n}\n' for n in other]
    return ''.join(out)


def main(check=False):
    text = sidebar_yml(notebooks())
    old = SIDEBAR.read_text(encoding='utf-8') if SIDEBAR.exists() else None
    if old == text: return 0
    if check:
        print(f'{SIDEBAR.relative_to(ROOT)} is out of date with the notebooks in nbs/: run python tools/make_sidebar.py')
        return 1
    SIDEBAR.write_text(text, encoding='utf-8')
    print(f'wrote {SIDEBAR.relative_to(ROOT)}')
    return 0


if __name__ == '__main__': sys.exit(main('--check' in sys.argv[1:]))

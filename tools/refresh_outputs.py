#!/usr/bin/env python3
"""Execute notebooks as `nbdev-test` does and commit their outputs into the .ipynb, so the docs site shows them.

nbdev's docs build does not run example cells: a picture or table a reader should see must be stored in the
committed notebook. This tool runs the cells `nbdev-test` runs (execnb's `CaptureShell`; cells flagged with a
`tst_flags` flag (`notest slow cuda bench`) or `#| eval: false` are skipped), writes their outputs back, and finishes
with `nbdev-clean --fname NB`, so the file is what CI expects.

    python tools/refresh_outputs.py nbs/05_data.tiles.ipynb nbs/06_data.augment.ipynb
    python tools/refresh_outputs.py --check nbs/05_data.tiles.ipynb    # exit 1 if the stored outputs are stale
    python tools/refresh_outputs.py --strip NB                          # drop offending outputs instead of refusing

What is written, per code cell (cell ids, sources and metadata are left as they are):
- skipped cells (flags, `eval: false`, the `nbdev_export()` cell): no outputs, even if they had some;
- `#| hide`, `#| export`, `#| exporti`, `#| include: false` and `#| output: false` cells: run, but no outputs
  (the site does not show them: nbdev's docs processing drops hidden and exported cells);
- other cells: their outputs, without execution counts; figures as `image/png` at `--dpi` (72) with no
  software-version metadata, so the bytes are the same on every re-run with the same software.

Refused (the notebook is not written, exit 1), or with `--strip` dropped with a warning:
- an output over `--max-kb` (100 kB);
- progress bars and log noise: a stream holding '\\r', a warning on stderr, fastprogress/tqdm HTML or widgets;
- an output (a stream, or the text/HTML of a result such as a DataFrame of file names) that shows a temporary or
  machine-specific path (/tmp/..., the temp dir, the repository's, the home or the Python installation's absolute
  path): it would differ between runs and machines.
A cell that raises stops the run; nothing is written.

Determinism: the tool re-executes itself with PYTHONHASHSEED=0 and OMP_NUM_THREADS=1 (as CI's nbdev-test), and sets
matplotlib's rcParams before the first cell. Notebooks must seed their own randomness (STYLE.md).
"""
import argparse, json, os, re, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbcells import flagged_nb, shows_outputs, first_line
MPL_SETUP = """
import matplotlib
matplotlib.rcParams.update({{'figure.dpi': {dpi}, 'savefig.dpi': 'figure', 'svg.hashsalt': 'strokeseg',
                             'figure.max_open_warning': 0}})
from matplotlib_inline.backend_inline import set_matplotlib_formats
set_matplotlib_formats('png', metadata={{'Software': None}})
"""


def _reexec_deterministic():
    "Run this script again with a fixed hash seed and one OpenMP thread, unless that is already the case."
    if os.environ.get('PYTHONHASHSEED') == '0' and os.environ.get('OMP_NUM_THREADS') == '1': return
    env = {**os.environ, 'PYTHONHASHSEED': '0', 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1', 'MPLBACKEND': 'Agg'}
    os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], env)


def _local_path_re():
    "Regex for paths that differ between runs or machines: temp dirs, this checkout, the Python installation."
    pats = [r'/tmp/', r'/var/folders/', r'/private/var/', r'\\AppData\\Local\\Temp']
    for p in {tempfile.gettempdir(), str(ROOT), sys.prefix, sys.base_prefix, str(Path.home())}:
        if p and p not in ('/', '/usr', '/usr/local'): pats.append(re.escape(p.rstrip('/')) + r'(/|\b)')
    return re.compile('|'.join(pats))


WARNING_RE = re.compile(r'\b\w*Warning\b')
NOISE_HTML = re.compile(r'<progress|fastprogress|tqdm|progress-bar', re.I)
WIDGET_MIME = 'application/vnd.jupyter.widget-view+json'


def _text(o):
    "A notebook output's text (stream or text/* data), as one string."
    if o.get('output_type') == 'stream': t = o.get('text', '')
    else: t = ''.join(''.join(v) if isinstance(v, list) else str(v) for k, v in o.get('data', {}).items() if k.startswith('text/'))
    return ''.join(t) if isinstance(t, list) else t


def output_problems(o, max_kb, local_re):
    "Why output `o` must not be committed (empty list: it may)."
    probs = []
    size = len(json.dumps(o, ensure_ascii=False).encode())
    if size > max_kb * 1000: probs.append(f'output of {size/1000:.0f} kB (limit {max_kb} kB): lower the dpi/figsize or drop it')
    ot = o.get('output_type')
    if ot == 'error': probs.append(f"error output {o.get('ename')}: {o.get('evalue')}")
    if ot == 'stream':
        t = _text(o)
        if '\r' in t: probs.append(f"{o.get('name')} stream with '\\r' (a progress bar or log noise)")
        if o.get('name') == 'stderr' and WARNING_RE.search(t):
            probs.append(f"a warning in the output ({WARNING_RE.search(t).group(0)}): fix its cause or silence it in the cell")
    m = local_re.search(_text(o))
    if m: probs.append(f"{o.get('name') or ot} shows a temporary/machine-specific path ({m.group(0)!r}...): "
                       f"show a relative path or a file name instead")
    data = o.get('data', {})
    if WIDGET_MIME in data: probs.append('widget output (progress bar?)')
    html = data.get('text/html', '')
    if NOISE_HTML.search(''.join(html) if isinstance(html, list) else html): probs.append('progress-bar HTML (fastprogress/tqdm)')
    return probs


def execute(fn, dpi, run_flags=()):
    "Run `fn` as `nbdev-test` does; return the executed nb (directives parsed) and its skip predicate. Raises on a failing cell."
    from fastcore.xtras import working_directory
    from execnb.shell import CaptureShell
    nb, skip, cfg = flagged_nb(fn, tuple(run_flags))
    if str(cfg.config_path) not in sys.path: sys.path.insert(0, str(cfg.config_path))
    os.environ['IN_TEST'] = '1'
    k = CaptureShell(fn, mpl_format=None, profile=bool(cfg.exec_profile))
    k.enable_matplotlib('inline')
    k.run(MPL_SETUP.format(dpi=dpi))
    if k.exc: raise k.exc
    with working_directory(fn.parent):
        try: k.run_all(nb, exc_stop=True, preproc=skip)
        except BaseException:
            sys.stderr.write((k.prettytb(fname=fn) or '') + '\n')
            raise
    return nb, skip


def refresh(fn, dpi=72, max_kb=100, strip=False, check=False, run_flags=()):
    "Refresh the outputs of notebook `fn`; returns 0 on success, 1 on refusal or (with `check`) a stale file."
    fn = Path(fn).resolve()
    rel = fn.relative_to(ROOT) if fn.is_relative_to(ROOT) else fn
    raw = json.loads(fn.read_text(encoding='utf-8'))
    nb, skip = execute(fn, dpi, run_flags)
    if [c.get('id') for c in raw['cells']] != [c.get('id') for c in nb.cells]:
        print(f'{rel}: cell ids of the processed notebook do not match the file; not written'); return 1
    local_re, problems, stats = _local_path_re(), [], dict(run=0, skipped=0, hidden=0, outputs=0, images=0)
    for rc, pc in zip(raw['cells'], nb.cells):
        if rc['cell_type'] != 'code': continue
        rc['execution_count'] = None
        if skip(pc):
            rc['outputs'] = []; stats['skipped'] += 1; continue
        stats['run'] += 1
        if not shows_outputs(pc):
            rc['outputs'] = []; stats['hidden'] += 1; continue
        outs = []
        for o in json.loads(json.dumps(pc.get('outputs', []), default=dict)):
            if 'execution_count' in o: o['execution_count'] = None
            if o.get('output_type') == 'stream' and not _text(o): continue
            probs = output_problems(o, max_kb, local_re)
            if probs:
                for p in probs: problems.append(f'{rel} cell {rc.get("id")} ({first_line(pc.source)!r}): {p}')
                if strip: continue
            outs.append(o)
        rc['outputs'] = outs
        stats['outputs'] += len(outs)
        stats['images'] += sum(any(k.startswith('image/') for k in o.get('data', {})) for o in outs)
    if problems:
        print(('Dropped (--strip):' if strip else 'Refused (not written; fix the notebook or use --strip):'))
        for p in problems: print('  ' + p)
        if not strip: return 1
    from fastcore.nbio import nb2str
    text = nb2str(raw)
    if check:
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)/fn.name
            tmp.write_text(text, encoding='utf-8')
            new = subprocess.run(['nbdev-clean', '--disp', '--fname', str(tmp)], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout
        same = new == fn.read_text(encoding='utf-8')
        print(f"{rel}: {'up to date' if same else 'STALE: run tools/refresh_outputs.py ' + str(rel)} ({_fmt(stats)})")
        return 0 if same else 1
    fn.write_text(text, encoding='utf-8')
    subprocess.run(['nbdev-clean', '--fname', str(fn)], cwd=ROOT, check=True)
    print(f'{rel}: written ({_fmt(stats)})')
    return 0


def _fmt(s): return ', '.join(f'{v} {k}' for k, v in s.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('notebooks', nargs='+', metavar='NB')
    ap.add_argument('--dpi', type=int, default=72, help='figure dpi of inline PNGs (default 72)')
    ap.add_argument('--max-kb', type=int, default=100, help='largest single output, kB (default 100)')
    ap.add_argument('--strip', action='store_true', help='drop offending outputs (with a warning) instead of refusing')
    ap.add_argument('--check', action='store_true', help='write nothing; exit 1 if a notebook\'s stored outputs differ')
    ap.add_argument('--run-flags', default='', help='flags whose cells run anyway and keep their outputs, e.g. "slow" for a tutorial whose results the site shows from one committed run')
    a = ap.parse_args()
    rc = 0
    for nb in a.notebooks:
        # one process per notebook, as nbdev-test does: no state leaks from one notebook into the next
        if len(a.notebooks) > 1:
            args = [sys.executable, __file__, nb, '--dpi', str(a.dpi), '--max-kb', str(a.max_kb)]
            rc |= subprocess.run(args + ['--strip'] * a.strip + ['--check'] * a.check + ['--run-flags', a.run_flags]).returncode
        else:
            try: rc |= refresh(nb, a.dpi, a.max_kb, a.strip, a.check, tuple(a.run_flags.split()))
            except Exception as e:
                print(f'{nb}: failed ({type(e).__name__}: {e}); not written'); rc = 1
    sys.exit(rc)


if __name__ == '__main__':
    _reexec_deterministic()
    main()

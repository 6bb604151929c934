#!/usr/bin/env python3
"""Build what the docs site will show, without Quarto, and check it.

    python tools/docs_check.py                          # process, render, check; exit 1 on a failure
    python tools/docs_check.py --screenshots DIR        # also PNGs of index and the tutorials (headless Chromium)
    python tools/docs_check.py --no-proc                # reuse _proc/ as it is (after a first run)
    python tools/docs_check.py --keep-going             # when nbdev-proc-nbs fails on a notebook, still check the others

Steps:
1. `nbdev-proc-nbs` (the docs workflow's preprocessing: show_doc cells added and run, hidden and exported cells
   dropped) writes `_proc/` at the repository root (git-ignored). It is run as the command runs, except that it
   does not try to install Quarto when Quarto is absent (the processing does not need it).
   The build must leave the tracked files alone: nbs/sidebar.yml, nbs/nbdev.yml, nbs/_quarto.yml and
   strokeseg_nbdev/_modidx.py are compared before and after, and nbs/sidebar.yml must be what
   `tools/make_sidebar.py` writes (`custom_sidebar = true` keeps nbdev from rewriting it).
2. Each processed notebook is rendered to HTML with nbconvert (`--out`/html/PAGE.html), honouring the Quarto cell
   options that nbdev leaves in the cells (`echo`, `output`, `include: false`).
3. Checks; each failure is listed and makes the exit status 1:
   a. pictures: every *picture cell* (defined in tools/nbcells.py: a shown, tested code cell whose code draws,
      e.g. `plt.subplots`, `ax.imshow`, `show_image`, `plot_*`, or ends in `Image.open(...)`) keeps an image
      output, and the page's HTML has at least as many <img> (data URI, or a file that exists) as picture cells;
   b. no page shows a traceback: no output (what the page renders below a cell) is an `error` output or holds
      'Traceback (most recent call last)'; and no output shows a temporary path (/tmp/...) or this checkout's path;
   c. show_doc: every exported public function and class (strokeseg_nbdev/_modidx.py) has its show_doc block (a
      heading with its name) in its page, and so does every public method of a public class (`show_doc(Cls.meth)`
      cells are not added by nbdev for methods). Framework hooks are left out (`DISPATCH`, `EVENT_RE`: fastai's type
      dispatch, for which show_doc renders nothing; `forward`; callback events; a metric's protocol). `--methods-warn` lists missing methods without failing.
   d. no cell mixes imports with other code: nbdev's docs build runs every cell that imports something (to make
      show_doc work), without the cells before it, so such a cell fails the build or trains a model in it.
   e. the title cell holds only `# Title` and `> summary`: nbdev makes it the page's front matter and drops the cell,
      so any other text in it (the introduction) is missing from the site, and `- name: text` bullets are read
      as front-matter keys.
   f. every module has an exported overview: the markdown cell after its notebook's title carries the directive
      `export` (in its metadata, `{"nbdev": {"export": "true"}}`, so that JupyterLab shows no directive line), and
      nbdev puts it in the module's docstring. nbdev-export lists in the package docstring (`__init__.py`) and in
      nbs/llms.txt only the modules whose docstring says more than the title's summary and the Docs link.
   g. no dead link between pages: every link nbdev made to a page of the site leads to a rendered page, and to a
      section of it (ids compared without case, as Quarto writes them in lower case).
It prints one line per page: the notebook, its page, images rendered, picture cells, show_doc blocks.
"""
import argparse, hashlib, html, json, os, re, shutil, subprocess, sys, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbcells import proc_one, short_err, picture_cells, docs_run_cells, title_cell_losses, first_line, has_image  # noqa: E402
import make_sidebar  # noqa: E402

PROC = ROOT/'_proc'
WATCHED = ['nbs/sidebar.yml', 'nbs/nbdev.yml', 'nbs/_quarto.yml', 'strokeseg_nbdev/_modidx.py']
# Framework hooks, called by torch or fastai and documented there: fastai's type dispatch (show_doc renders nothing for
# it), a module's `forward`, a callback's events, a metric's protocol, a loss's activation/decodes, a transform's draw hook.
DISPATCH = {'encodes', 'decodes', 'setups', 'forward', 'accumulate', 'reset', 'value', 'name', 'activation',
            'before_call', 'draw'}
EVENT_RE = re.compile(r'^(before|after)_(fit|epoch|train|validate|batch|pred|loss|backward|step|zero_grad|cancel_\w+)$')
TB = 'Traceback (most recent call last)'
TMP_RE = re.compile(r'/tmp/|/var/folders/|\\Temp\\|' + re.escape(str(ROOT)))


def _digest(paths):
    return {p: hashlib.sha1((ROOT/p).read_bytes()).hexdigest() if (ROOT/p).exists() else None for p in paths}


def run_proc(workers, force, keep_going):
    "`nbdev-proc-nbs --n_workers W [--force]`; if it fails and `keep_going`, process the notebooks it left out one by one."
    import nbdev.quarto as q
    if not shutil.which('quarto'): q._ensure_quarto = lambda: None  # the processing does not need Quarto
    sys.argv = ['nbdev-proc-nbs', '--n_workers', str(workers)] + ['--force'] * force
    try: q.nbdev_proc_nbs(); return 0
    except Exception as e: print(short_err(e))
    if not keep_going: return 1
    os.chdir(ROOT)
    left = [s.name for s in sorted((ROOT/'nbs').glob('*.ipynb')) if not s.name.startswith(('_', '.'))
            and not ((PROC/s.name).exists() and (PROC/s.name).stat().st_mtime >= s.stat().st_mtime)]
    from fastcore.parallel import parallel
    for err in parallel(proc_one, left, n_workers=workers, method='spawn'):
        if err: print(err)
    return 1


def proc(workers, force, keep_going):
    "Run nbdev-proc-nbs; return the failures (tracked files it changed, a stale sidebar, a failed run)."
    fails = []
    before = _digest(WATCHED)
    t0 = time.time()
    r = subprocess.run([sys.executable, __file__, '--proc-only', '--workers', str(workers)] + ['--force'] * force
                       + ['--keep-going'] * keep_going,
                       cwd=ROOT, capture_output=True, text=True)
    print(f'nbdev-proc-nbs: {time.time()-t0:.0f} s, into {PROC.relative_to(ROOT)}/')
    if r.returncode:
        print(r.stdout.strip() or r.stderr[-3000:])
        fails.append(f'nbdev-proc-nbs failed (exit {r.returncode}): a cell it runs (imports, exports, show_doc) raised, see above'
                     + ('' if keep_going else '; the notebooks it did not reach are not checked (--keep-going checks them)'))
    after = _digest(WATCHED)
    for p in WATCHED:
        if before[p] != after[p]: fails.append(f'the docs build changed tracked file {p} (git diff {p})')
    return fails


# --- rendering -----------------------------------------------------------------------------------------------
CELL_KEYS = {'cell_type', 'id', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}
_opt_re = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')


def _quarto_opts(nb):
    "Apply the Quarto cell options nbdev leaves in the cells, as nbconvert tags; drop the option lines."
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):   # nbdev's front matter: Quarto shows title and description
            import yaml
            fm = yaml.safe_load(c.source.strip().strip('-')) or {}
            c.cell_type, c.source = 'markdown', f"# {fm.get('title', '')}\n\n*{fm.get('description', '')}*"
            c.pop('outputs', None); c.pop('execution_count', None)
        if c.cell_type not in ('code', 'markdown'): continue
        lines, opts = c.source.splitlines(), {}
        while lines and _opt_re.match(lines[0]):
            k, v = _opt_re.match(lines.pop(0)).groups()
            opts[k] = v.strip('"\'').lower()
        c.source = '\n'.join(lines)   # Quarto reads option lines in every cell (a markdown cell's `#| export: true` too)
        if c.cell_type != 'code': continue
        tags = set(c.metadata.get('tags', []))
        if opts.get('include') == 'false': tags.add('remove_cell')
        if opts.get('echo') == 'false' or not c.source.strip(): tags.add('remove_input')
        if opts.get('output') == 'false': tags.add('remove_output')
        c.metadata['tags'] = sorted(tags)
    return nb


def render(pnb, dest):
    "Render processed notebook `pnb` to HTML file `dest`."
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    raw = json.loads(pnb.read_text(encoding='utf-8'))
    for c in raw['cells']:  # nbdev leaves working attributes (`has_sd`) in the cells; nbformat refuses them
        for k in set(c) - CELL_KEYS: del c[k]
        c.get('metadata', {}).pop('execution', None)   # execnb's timings (a float nbformat's schema refuses)
    nb = _quarto_opts(nbformat.reads(json.dumps(raw), as_version=4))
    ex = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)
    ex.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'},
                                                   remove_all_outputs_tags={'remove_output'}, enabled=True), enabled=True)
    body, _ = ex.from_notebook_node(nb)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(body, encoding='utf-8')
    return body


_img_re = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"', re.I)


def count_images(body, base):
    "Images in an HTML page that will show (data URIs and existing files), and the missing files."
    ok, missing = 0, []
    for src in _img_re.findall(body):
        src = html.unescape(src)
        if src.startswith('data:image/') or re.match(r'https?://', src): ok += 1
        elif (base/src.split('#')[0].split('?')[0]).exists(): ok += 1
        else: missing.append(src)
    return ok, missing


# --- checks --------------------------------------------------------------------------------------------------
def page_of(pnb_json):
    "The output file (page) nbdev gives a processed notebook, from its front matter."
    for c in pnb_json['cells']:
        if c['cell_type'] == 'raw':
            m = re.search(r'^output-file:\s*(\S+)', ''.join(c['source']), re.M)
            if m: return m.group(1)
    return None


def expected_docs():
    "{page: (functions and classes, methods)} that must have a show_doc block, from strokeseg_nbdev/_modidx.py."
    ns = {}
    exec((ROOT/'strokeseg_nbdev'/'_modidx.py').read_text(), ns)
    res = {}
    for mod, syms in ns['d']['syms'].items():
        for full, (url, _) in syms.items():
            name = full[len(mod)+1:]
            parts = name.split('.')
            if any(p.startswith('_') for p in parts): continue
            page = url.split('#')[0]
            tops, meths = res.setdefault(page, (set(), set()))
            if len(parts) == 1: tops.add(name)
            elif len(parts) == 2 and parts[1] not in DISPATCH and not EVENT_RE.match(parts[1]): meths.add(name)
    return res


_sd_re = re.compile(r'^show_doc\(\s*([\w.]+)', re.M)


def check_page(src, pnb, body, expect):
    "Failures and method gaps of one page, and its summary numbers."
    pj = json.loads(pnb.read_text(encoding='utf-8'))
    pcells = {c.get('id'): c for c in pj['cells']}
    fails, notes = [], []
    # a. pictures
    pics, skipped = picture_cells(src)
    n_img, missing = count_images(body, pnb.parent)
    for m in missing: fails.append(f'{src.name}: <img src="{m}"> points to a file that does not exist')
    shown = with_img = 0
    for c in pics:
        pc = pcells.get(c.id)
        if pc is None: continue
        shown += 1
        if has_image(pc.get('outputs', [])): with_img += 1
        else: fails.append(f'{src.name}: picture cell {c.id} ({first_line(c.source)!r}) has no image output: '
                           f'run python tools/refresh_outputs.py nbs/{src.name}')
    if n_img < with_img:
        fails.append(f'{src.name}: {with_img} picture cells have an image output but the page renders {n_img} images')
    for c in skipped:   # a skipped cell's picture shows only if it was committed from a run (refresh_outputs --run-flags)
        pc = pcells.get(c.id)
        if pc is None or has_image(pc.get('outputs', [])): continue
        flags = [f for f in sorted(c.directives_) if f in ('slow', 'cuda', 'bench', 'notest')]
        how = f' (python tools/refresh_outputs.py --run-flags "{" ".join(flags)}" nbs/{src.name})' if flags else ''
        notes.append(f'{src.name}: cell {c.id} ({first_line(c.source)!r}) draws but is skipped by the tests '
                     f'({" ".join(sorted(c.directives_))}) and has no committed picture: the site cannot show one{how}')
    # b. tracebacks
    for c in pj['cells']:
        for o in c.get('outputs', []):
            txt = json.dumps([o.get('text', ''), o.get('traceback', '')] + [v for k, v in o.get('data', {}).items() if k.startswith('text/')])
            if TMP_RE.search(txt):
                fails.append(f'{src.name}: cell {c.get("id")} ({first_line("".join(c["source"]))!r}) shows a temporary path '
                             f'({TMP_RE.search(txt).group(0)}...): show a relative path or a file name')
            if o.get('output_type') == 'error' or TB in txt:
                what = o.get('ename') or 'traceback'
                fails.append(f'{src.name}: cell {c.get("id")} ({first_line("".join(c["source"]))!r}) shows an error output ({what})')
    # c. show_doc blocks
    documented = set(_sd_re.findall('\n'.join(''.join(c['source']) for c in pj['cells'] if c['cell_type'] == 'code')))
    heads = {html.unescape(re.sub(r'<[^>]+>', '', h)).replace('¶', '').strip()
             for h in re.findall(r'<h[1-6][^>]*>(.*?)</h[1-6]>', body, re.S)}
    tops, meths = expect
    miss_m = []
    for n in sorted(tops):
        if n not in documented or n not in heads: fails.append(f'{src.name}: exported {n} has no show_doc block on the page')
    for n in sorted(meths):
        if n not in documented or n not in heads: miss_m.append(n)
    return fails, notes, miss_m, dict(images=n_img, pictures=shown, show_docs=len(documented & heads))


def screenshots(pages, dest):
    "PNG of each HTML page in `pages` with headless Chromium; skipped with a message when it is absent."
    exe = next((shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable') if shutil.which(b)), None)
    if not exe:
        print('screenshots: skipped (no chromium on PATH; Debian: apt-get install chromium)')
        return
    if not pages: print('screenshots: none taken (index and the tutorials were not rendered)')
    dest.mkdir(parents=True, exist_ok=True)
    for p in pages:
        png = (dest/p.name).with_suffix('.png').resolve()
        cmd = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
               '--virtual-time-budget=3000', f'--screenshot={png}', '--window-size=1200,3000', p.resolve().as_uri()]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            print(f'screenshot: {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}'
                  + ('' if r.returncode == 0 and png.exists() else f' FAILED (exit {r.returncode}): {r.stderr[-300:]}'))
        except subprocess.TimeoutExpired: print(f'screenshot of {p.name}: timed out')


def overview_fails():
    "f. The modules that nbdev-export leaves out of the package docstring and llms.txt, for want of an exported overview."
    from nbdev.config import get_config, _pkg_mods
    lib = get_config().lib_path
    listed = {nm for nm, _, _ in _pkg_mods(lib)}
    fails = []
    for py in sorted(lib.rglob('*.py')):
        head = py.read_text(encoding='utf-8')[:3000]
        m = re.search(r'# AUTOGENERATED! DO NOT EDIT! File to edit: (\S+\.ipynb)', head)
        if py.name.startswith('_') or not m: continue
        nm = '.'.join((lib.name, *py.relative_to(lib).with_suffix('').parts))
        if nm not in listed:
            fails.append(f'{Path(m.group(1)).name}: module {nm} is missing from the package docstring and llms.txt: '
                         f'give the markdown cell after the title the directive export (cell metadata '
                         f'{{"nbdev": {{"export": "true"}}}}) so that nbdev puts it in the module\'s docstring')
    return fails


def dead_links(bodies):
    "g. Links from one page of the site to another (or to itself) whose page, or whose section, the site does not have."
    from nbdev.config import get_config
    cfg = get_config()
    site = '/'.join(x for x in (cfg.doc_host.rstrip('/'), cfg.doc_baseurl.strip('/')) if x) + '/'
    ids = {page: {i.lower() for i in re.findall(r'\sid="([^"]+)"', b)} for page, b in bodies.items()}   # Quarto lowercases ids
    fails = []
    for page, b in sorted(bodies.items()):
        for to, frag in sorted(set(re.findall(r'href="' + re.escape(site) + r'([^"#]*?)(?:#([^"]*))?"', b))):
            to = to or 'index.html'
            if to not in ids: fails.append(f'{page}: a link to {to}, a page the site does not have')
            elif frag and html.unescape(frag).lower() not in ids[to]:
                fails.append(f'{page}: a link to {to}#{frag}, a section {to} does not have (a private name in backticks is '
                             f'linked by nbdev to a section it never writes: write it <code>so</code>, or name the public one)')
    return fails


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='.ci-out/docs', help='folder for the rendered HTML (default .ci-out/docs)')
    ap.add_argument('--screenshots', metavar='DIR', help='also render index and the tutorials (9*) to PNG in DIR')
    ap.add_argument('--no-proc', action='store_true', help='do not run nbdev-proc-nbs; use _proc/ as it is')
    ap.add_argument('--force', action='store_true', help='nbdev-proc-nbs --force: reprocess every notebook')
    ap.add_argument('--workers', type=int, default=os.cpu_count() or 1, help='nbdev-proc-nbs workers')
    ap.add_argument('--keep-going', action='store_true',
                    help='when nbdev-proc-nbs fails, process the other notebooks one by one to check them all (slower)')
    ap.add_argument('--proc-only', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--methods-warn', action='store_true', help='list methods without show_doc, but do not fail on them')
    a = ap.parse_args()
    os.chdir(ROOT)
    warnings.filterwarnings('ignore', message='Failed to create YAML dict')   # reported by check e
    if a.proc_only: return run_proc(a.workers, a.force, a.keep_going)
    fails, notes, methods = [], [], []
    if make_sidebar.main(check=True): fails.append('nbs/sidebar.yml is stale: run python tools/make_sidebar.py and commit it')
    fails += proc(a.workers, a.force, a.keep_going) if not a.no_proc else []
    out = (ROOT/a.out).resolve()
    expect = expected_docs()
    t0 = time.time()
    srcs = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))
    rows, shots, unprocessed, bodies = [], [], [], {}
    for src in srcs:
        # d. cells the docs build runs whole although they are not imports or definitions
        for c in docs_run_cells(src):
            fails.append(f'{src.name}: cell {c.id} ({first_line(c.source)!r}) mixes imports with other code, so the docs '
                         f'build runs all of it out of context: put its imports in a cell of their own')
        # e. the title cell holds nothing the page loses
        cid, lost = title_cell_losses(src)
        if lost:
            fails.append(f'{src.name}: title cell {cid} holds {len(lost)} more lines ({lost[0][:50]!r}...), which nbdev drops '
                         f'from the page with the title: move them into a markdown cell of their own after it')
        pnb = PROC/src.name
        if not pnb.exists(): unprocessed.append(src.name); continue
        page = page_of(json.loads(pnb.read_text(encoding='utf-8'))) or src.with_suffix('.html').name
        dest = out/'html'/page
        try: body = render(pnb, dest)
        except Exception as e:
            fails.append(f'{src.name}: cannot render {pnb.relative_to(ROOT)} to HTML ({type(e).__name__}: {str(e)[:200]})'); continue
        f, n, m, st = check_page(src, pnb, body, expect.pop(page, (set(), set())))
        fails += f; notes += n; methods += [f'{src.name}: {x}' for x in m]
        rows.append((src.name, page, st))
        bodies[page] = body
        if src.name == 'index.ipynb' or src.name.startswith('9'): shots.append(dest)
    fails += overview_fails()
    if not unprocessed: fails += dead_links(bodies)
    if unprocessed:
        fails.append(f'{len(unprocessed)} notebooks not in {PROC.name}/, so not checked (nbdev-proc-nbs failed before them, or --no-proc): '
                     + ', '.join(unprocessed))
    for page, (tops, meths) in expect.items():
        if tops and not unprocessed: fails.append(f'page {page} (of {", ".join(sorted(tops))}) has no notebook')
    print(f'rendered {len(rows)} pages with nbconvert in {time.time()-t0:.0f} s, into {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}/html/')
    w = max(len(r[0]) for r in rows) if rows else 10
    print(f'{"notebook":<{w}}  {"images":>6}  {"pictures":>8}  {"show_doc":>8}  page')
    for nb, page, st in rows:
        print(f'{nb:<{w}}  {st["images"]:>6}  {st["pictures"]:>8}  {st["show_docs"]:>8}  {page}')
    if a.screenshots: screenshots(shots, (ROOT/a.screenshots))
    if notes:
        print(f'\nNotes ({len(notes)}):'); [print('  ' + n) for n in notes]
    if methods:
        print(f'\nPublic methods without a show_doc(Cls.meth) cell ({len(methods)}):'); [print('  ' + m) for m in methods]
        if not a.methods_warn: fails.append(f'{len(methods)} public methods have no show_doc block (listed above)')
    if fails:
        print(f'\nDOCS CHECK FAILED ({len(fails)}):'); [print('  ' + f) for f in fails]
        return 1
    print('\ndocs check passed')
    return 0


if __name__ == '__main__': sys.exit(main())

#!/usr/bin/env python3
"""`proposed` with the ResNet stem's max pool swapped, against the `proposed` model of the same cohort-seed.

The measurement behind "The stem's max pool" in `71_benchmarks.stroke`. The ResNet stem halves a tile twice: a 7x7
convolution of stride 2, then a 3x3 max pool of stride 2. This script swaps that one layer, everything else of
`proposed` unchanged, and trains on a seed folder that `tools/other_cohorts.py sweep` left (its `cohort/` and its
`proposed.pth`), with the split and seed the sweep used:

- `avgpool`: a 3x3 average pool of stride 2 (no weights);
- `conv`: a learned 3x3 convolution of stride 2 with batch norm and ReLU, as MONAI's `UNet` goes down a level.

Both models are scored at `proposed`'s settings (pixel threshold 0.5, minimum size 300 px at 512x512) and with no
minimum size, on the validation and the test patients. The package cannot rebuild the swapped network from a model
file, so the weights go to `ROOT/stem_<swap>.pt` (a state dict) and the rows to `ROOT/stem_<swap>.csv`; an existing
output is refused, not overwritten.

    python tools/other_cohorts.py sweep OUT --kind shapes --drop 3,6 --seeds 0        # the cohort and proposed.pth
    python tools/stem_swap.py OUT/shapes_drop3-6_sweep_seed0 --seed 0 --swap conv         # the swapped stem on it
    python tools/stem_swap.py OUT/phantom_sweep_seed1 --phantom --seed 1 --swap avgpool

The figures in `71` were trained with 1 torch thread a process (`OMP_NUM_THREADS=1`), two processes at a time.
"""
import argparse, sys, time
from contextlib import contextmanager
from pathlib import Path

SWAPS = ('avgpool', 'conv')

@contextmanager
def swapped_stem(swap):
    "While inside, `build_stroke_model` builds ResNet encoders whose stem max pool is `swap`."
    import torch.nn as nn
    import strokeseg_nbdev.models.stroke as ms
    if swap not in SWAPS: raise ValueError(f"swap must be one of {SWAPS}, got {swap!r}")
    plain = ms.resnet_encoder
    def encoder(*args, **kwargs):
        body = plain(*args, **kwargs)
        if not isinstance(body[3], nn.MaxPool2d): raise RuntimeError(f"expected the stem's max pool at index 3, got {body[3]}")
        w = body[0].out_channels
        if swap == 'avgpool': body[3] = nn.AvgPool2d(3, 2, 1, count_include_pad=False)
        else:
            conv = nn.Conv2d(w, w, 3, 2, 1, bias=False)
            nn.init.kaiming_normal_(conv.weight, mode='fan_out', nonlinearity='relu')
            body[3] = nn.Sequential(conv, nn.BatchNorm2d(w), nn.ReLU(inplace=True))
        return body
    ms.resnet_encoder = encoder
    try: yield
    finally: ms.resnet_encoder = plain

def split(root, phantom, seed, rec):
    "(train, valid, test) items of the seed folder `root`, split as `other_cohorts.py sweep` splits them; training seed."
    from strokeseg_nbdev.data.stroke import stroke_items
    c = root/'cohort'
    if phantom:
        from strokeseg_nbdev.demo.stroke import demo_split
        items,_ = stroke_items(c/'dicom', c/'labels')
        sp = demo_split(items, n_labelled=34, test_patients=7, seed=seed)
        return *(items.iloc[sp[k]].reset_index(drop=True) for k in ('train', 'valid', 'test')),seed
    sys.path.insert(0, str(Path(__file__).parent))
    from other_cohorts import _cli_split
    items,_,i,j = _cli_split(c, rec)
    te,_ = stroke_items(c/'test'/'dicom', c/'test'/'labels')
    return items.iloc[i].reset_index(drop=True),items.iloc[j].reset_index(drop=True),te,0

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('root', type=Path, help="a seed folder of `other_cohorts.py sweep`: cohort/ and proposed.pth")
    p.add_argument('--seed', type=int, required=True, help="the seed the sweep gave that folder")
    p.add_argument('--phantom', action='store_true', help="the folder holds a phantom cohort (`--kind phantom`)")
    p.add_argument('--swap', choices=SWAPS, required=True)
    a = p.parse_args(argv)
    import numpy as np, pandas as pd, torch
    from strokeseg_nbdev.core import atomic_path
    from strokeseg_nbdev.data.stroke import load_slices
    from strokeseg_nbdev.inference.stroke import evaluate_items, summarize
    from strokeseg_nbdev.models.stroke import load_stroke_model
    from strokeseg_nbdev.recipe import get_recipe
    from strokeseg_nbdev.train.stroke import train_stroke
    pt,csv = a.root/f'stem_{a.swap}.pt',a.root/f'stem_{a.swap}.csv'
    for f in (pt, csv):
        if f.exists(): sys.exit(f"{f}: exists; not overwritten")
    if not (a.root/'proposed.pth').exists(): sys.exit(f"{a.root/'proposed.pth'}: missing; run `other_cohorts.py sweep` first")
    rec = get_recipe('proposed')
    tr,va,te,tseed = split(a.root, a.phantom, a.seed, rec)
    t0 = time.time()
    with swapped_stem(a.swap):
        model,_ = train_stroke(load_slices(tr, rec)[0], load_slices(va, rec)[0], rec, out=None, seed=tseed, progress=False, log=None)
    secs = time.time() - t0
    with atomic_path(pt) as f: torch.save(model.state_dict(), f)
    old,_,_ = load_stroke_model(a.root/'proposed.pth', device='cpu')
    rows = []
    for arm,m in (('proposed', old), (f'stem {a.swap}', model.eval())):
        for part,it in (('valid', va), ('test', te)):
            for mins in (300, 0):
                df,_,_ = evaluate_items(m, rec.replace(min_size=mins), it)
                found = df[df.lesion.astype(bool) & (df.pred_px > 0)]
                rows.append(dict(seed=a.seed, arm=arm, part=part, min_size=mins, train_s=secs if arm != 'proposed' else np.nan,
                                 area=float((found.pred_px/found.true_px).median()) if len(found) else np.nan, **summarize(df)))
    df = pd.DataFrame(rows)
    with atomic_path(csv) as f: df.to_csv(f, index=False)
    print(df[['arm', 'part', 'min_size', 'iou', 'fpr', 'sensitivity', 'area']].to_string(index=False), f"\ntrained in {secs:.0f} s")

if __name__ == '__main__': main()

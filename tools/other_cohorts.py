#!/usr/bin/env python3
"""Stroke cohorts that the package did not write, and the benchmark that trains on them as a user would.

The package's own phantom (`strokeseg cohort`) is what its notebooks and tests run on; a recipe that only works there
is no recipe. This file writes other cohorts, from another synthetic head and from two real head-CT slices, with code
that shares nothing with the package (pydicom, numpy, scipy, scikit-image and PIL only), then trains and scores
through the command line:

- `shapes`: another synthetic head: 448 or 512 px slices of 0.42-0.57 mm, elliptical heads of other proportions,
  a thin cortex, sulci, two ventricles, correlated noise; wedge-shaped infarcts with ragged edges, `--drop` HU
  (default 7-12) below the tissue they replace, grey-white contrast faded inside. Storage int16 or uint16 with
  intercept -1024. `--lesions 2` gives a patient with a stroke a second infarct in another territory, on
  neighbouring slices that overlap the first's (slices with two separate lesions); `--spacing 0.38,0.8` other
  pixel sizes (fields of view of 195-410 mm).
- `cq500`: real anatomy. The CQ500 head-CT slice of `pydicom-data` (`pip install pydicom-data`, in the dev extras),
  512 px, with its head holder and its own pathology (a hypodense extra-axial collection, a midline shift),
  rotated, shifted, scaled and warped per patient and slice, 2.5 HU of extra noise; infarcts injected into its
  parenchyma the same way, 28-50 px in radius.
- `skullbase`: the same, from pydicom-data's other head-CT slice (another patient and scanner, at the skull base:
  temporal lobes, cerebellum, orbits, air cells, streaks from bone; 0.43 mm pixels).
- `cq500-skullbase` and `skullbase-cq500`: training patients from one of the two real slices, test patients from the
  other: test anatomy that no training slice had, as a user's other patients have.
- `mixed`: both real slices in each part, patient by patient in turn (training 3 + 2, test 2 + 2): two anatomies, two
  scanners and brain tissue 9.5-10 HU apart among the training series (by the mode `strokeseg train` reads).

Each kind writes `DIR/{train,test}/dicom/<patient>/IM0000.dcm` and `DIR/{train,test}/labels/<patient>/IM0002.jpg`: 5 training
patients with 34 labelled slices (7 per patient, one dropped), 4 test patients with 28, each patient's label JPGs at
384, 512 or 600 px (not the slice's size), a green outline drawn on the brain-windowed slice. Patients with a
stroke have it on 5 to 7 neighbouring slices; the last patient of each part usually has none.

    python tools/other_cohorts.py make DIR --kind shapes --seed 0            # write one cohort
    python tools/other_cohorts.py bench OUT --kind shapes --seeds 0 1 2      # train and score, print the table
    python tools/other_cohorts.py bench OUT --kind cq500-skullbase           # trained on one real slice, tested on the other
    python tools/other_cohorts.py sweep OUT --kind cq500 --seeds 0 1 2       # pixel threshold and minimum size

`bench` runs, per seed: `strokeseg train DIR/train/dicom --labels DIR/train/labels --out ...` (the default
recipe, as a new user runs it: `proposed-plain`; the paper's network is `--variants paper_net`), `strokeseg evaluate` on the test patients (as it is, with `--min-size 0`, and with `--tta d4`; with its default
alignment, which moves test series lying 0.5 to 6 HU from the training level (1 to 6 before rule 40, 71's "The first HU"): one of the 84 test series of the
one-slice, mixed and cross cohorts in stop 57's runs), and MONAI's whole-slice `UNet` (the
stroke benchmark's `monai-unet` arm, Dice + CE) trained through the package's API on the same training and
validation patients as `strokeseg train` picks, and scored on the test series as `evaluate` moved them (before stop
58, as read). It needs MONAI (`pip install -e ".[bench]"`). Each seed gets
`OUT/<kind>_drop<lo>-<hi>_seed<k>/` with the cohort in `cohort/` (never written after it is made) and the runs next
to it; the table's rows go to `OUT/<kind>_drop<lo>-<hi>.csv`. Run again, it reuses what is there: a model that
exists is scored again, not retrained (its training time shows as nan). With the recipe's 40 epochs, about 5.5 minutes a
seed where MONAI's model exists (16.7 minutes for three seeds of `cq500` on a 2-core CPU that trains in bfloat16,
AVX512-BF16), a minute more where it is trained; about three times as long on a CPU that does not (AVX2, float32).

`--train-seeds 1 2` trains the default recipe again with those training seeds on `strokeseg train`'s split (the
command's own model is training seed 0) and prints its mean over every training: on the real slice two trainings
differed by up to 0.2 with 12 epochs (within 0.03 a cohort with 30, up to 0.13 with 40), so a change is judged against that spread (`71_benchmarks.stroke`). About 5 minutes a training (bfloat16; 4.4-5.7 measured with 40 epochs; 3.5 with 30, 2.5 with 20).
`--variants-only` leaves out the default recipe and MONAI's UNet. `--variants dice whole dice_whole dice_whole_bs8 ours_as_monai instance_norm no_last_cross width32 fp32 e30 plain_post plain_post_e15 paper_net gate_nodil nogate gate_detach gate_detach_nodil` adds changes of `proposed` (`variant_recipes`), trained through the
API with `strokeseg train`'s split and seed: what was tried against the gap to MONAI's UNet, and what DynamicUnet's full-resolution block is worth, and twice the channels (`71_benchmarks.stroke`).
Each changes `proposed` as it is now: most of 71's variant tables were measured when it trained 30 epochs in float32
(`e30` and `fp32` give those schedules back). About 3 to 5 minutes each a seed.

`sweep` trains `proposed` once per seed (on `--kind phantom`: the stroke benchmark's cohort and split of that seed) and
scores the trained model on its validation and test patients at every pixel threshold and minimum lesion size of
`SWEEP`, which act on the model's probabilities and need no training: the measurement that set `proposed`'s minimum
size (`71_benchmarks.stroke`). Rows go to `OUT/<kind>..._sweep.csv`; the tables print per part. `--variant NAME`
trains that change of `proposed` instead (a model file of its own next to the cohort, rows in
`OUT/<kind>..._<NAME>_sweep.csv`): on `--kind phantom` the way to score a variant on the benchmark's cohorts.
"""
import argparse, subprocess, sys, time
from pathlib import Path
import numpy as np

# ---------------------------------------------------------------------------------------------- shared pieces
def field(rng, shape, sigma):
    "Smooth random field, unit standard deviation."
    from scipy import ndimage as ndi
    f = ndi.gaussian_filter(rng.standard_normal(shape), sigma)
    return f / (f.std() + 1e-9)

def write_dcm(path, hu, pid, z, spacing, k, signed):
    "One CT slice: int16 with intercept 0, or 12-bit uint16 with intercept -1024."
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage
    uid = lambda *k: generate_uid(entropy_srcs=[str(x) for x in k])
    ds = Dataset()
    ds.file_meta = FileMetaDataset(); ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = uid(pid, k); ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage; ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = 'CT'; ds.PatientID = pid; ds.PatientName = pid
    ds.StudyInstanceUID = uid(pid, 'study'); ds.SeriesInstanceUID = uid(pid, 'series')
    ds.InstanceNumber = k+1; ds.ImagePositionPatient = [0., 0., float(z)]; ds.ImageOrientationPatient = [1,0,0,0,1,0]
    ds.SliceThickness = 5.0; ds.PixelSpacing = [spacing, spacing]
    ds.Rows,ds.Columns = hu.shape; ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated = 16; ds.BitsStored = 16 if signed else 12; ds.HighBit = ds.BitsStored - 1
    if signed: ds.PixelRepresentation = 1; ds.RescaleIntercept = 0; arr = np.round(hu).astype(np.int16)
    else: ds.PixelRepresentation = 0; ds.RescaleIntercept = -1024; arr = np.round(hu + 1024).clip(0, 4095).astype(np.uint16)
    ds.RescaleSlope = 1; ds.WindowCenter = 40; ds.WindowWidth = 80
    ds.PixelData = arr.tobytes()
    ds.save_as(path, enforce_file_format=True)

def write_label(path, hu, lesion, out_size):
    "The slice in the brain window (0-80 HU) at `out_size` px, the lesion outlined in green, as a JPG."
    from PIL import Image
    from scipy import ndimage as ndi
    from skimage.segmentation import find_boundaries
    g = np.clip(hu / 80, 0, 1)
    im = (np.stack([g]*3, -1) * 255).astype(np.uint8)
    im = np.array(Image.fromarray(im).resize((out_size, out_size), Image.BILINEAR))
    if lesion.any():
        m = np.array(Image.fromarray(lesion.astype(np.uint8)*255).resize((out_size, out_size), Image.NEAREST)) > 0
        im[ndi.binary_dilation(find_boundaries(m, mode='outer'), iterations=1)] = (20, 230, 30)
    Image.fromarray(im).save(path, quality=88)

def _drop_last_label(root):
    "34 labelled training slices: the last label of the last training patient goes."
    sorted(Path(root, 'train', 'labels').rglob('*.jpg'))[-1].unlink()

# ---------------------------------------------------------------------------------------------- kind: shapes
def _head(rng, n, spacing, z, nz):
    yy,xx = np.mgrid[:n,:n].astype(float)
    cy,cx = n/2 + rng.uniform(-15,15), n/2 + rng.uniform(-15,15)
    shrink = np.sqrt(max(0.3, 1 - ((z - nz*0.35)/(nz*0.9))**2))     # smaller towards the vertex
    a,b = rng.uniform(80,95)*shrink/spacing, rng.uniform(65,78)*shrink/spacing   # AP and LR semi-axes
    th = rng.uniform(-0.15, 0.15)
    Y,X = (yy-cy)*np.cos(th) - (xx-cx)*np.sin(th), (yy-cy)*np.sin(th) + (xx-cx)*np.cos(th)
    r = np.sqrt((Y/a)**2 + (X/b)**2) / (1 + 0.03*field(rng, (n,n), 40))
    return r, Y, X, a, b

def _faded(hu, lesion, drop, tissue):
    "Lower `hu` by `drop` inside `lesion` (soft edge) and fade its grey-white contrast towards the local mean."
    from scipy import ndimage as ndi
    soft = ndi.gaussian_filter(lesion.astype(float), 1.5)
    local = ndi.gaussian_filter(hu, 3)
    return np.where(tissue, hu - soft*(drop + 0.5*(hu - local)), hu)

def shapes_slice(rng, n, spacing, z, nz, stroke=None):
    "HU and lesion mask of one slice; `stroke` = (direction, angular half-width, HU drop), a list of those, or None."
    from scipy import ndimage as ndi
    r,Y,X,a,b = _head(rng, n, spacing, z, nz)
    mm = lambda d: d/(min(a,b)*spacing)                              # millimetres in units of r
    hu = np.full((n,n), -1000.)
    hu[r < 1.0] = (30 + 10*field(rng,(n,n),3))[r < 1.0]               # scalp
    t = 1 - mm(6.5)
    bone = (r < 1 - mm(1.5)) & (r >= t)
    hu[bone] = (1100 + 300*field(rng,(n,n),2))[bone]
    inside = r < t
    brain = inside & ~(r >= t - mm(2.0))                              # a 2 mm CSF rim under the skull
    hu[inside] = 8.
    depth = (t - r) * min(a,b) * spacing
    cortex = brain & (depth < 4 + 2.5*field(rng,(n,n),6))
    sulci = brain & (np.abs(field(rng,(n,n),4)) < 0.12) & (depth < 12)
    hu[cortex] = 38; hu[brain & ~cortex] = 27; hu[sulci] = 10
    for s in (-1, 1):
        hu[(((Y/(a*0.28))**2 + ((X - s*b*0.16)/(b*0.07))**2) < 1) & brain] = 6     # ventricles
    hu[brain] = ndi.gaussian_filter(hu, 1.2)[brain]
    lesion = np.zeros((n,n), bool)
    for ang,rad,drop in ([] if stroke is None else [stroke] if isinstance(stroke, tuple) else stroke):
        d = np.angle(np.exp(1j*(np.arctan2(Y/a, X/b) - ang)))
        les = (np.abs(d) < rad) & (r > t*0.45) & brain & (field(rng,(n,n),8) > -0.6)
        les = ndi.binary_opening(les, iterations=3)
        lab,k = ndi.label(les)
        if k: les = lab == (np.argmax(np.bincount(lab.ravel())[1:]) + 1)
        hu = _faded(hu, les, drop, brain); lesion |= les
    hu += 4.5*rng.standard_normal((n,n)) + 1.5*field(rng,(n,n),1.5)
    return np.clip(hu, -1024, 3000), lesion

def make_shapes(root, seed, drop=(7, 12), n_train=5, n_test=4, per_patient=7, lesions=1, spacing=(0.42, 0.5)):
    "`lesions=2`: a patient with a stroke has a second infarct, in another territory, on slices that overlap the first's; `spacing`: pixel size range, mm at 512 px."
    rng = np.random.default_rng(seed); root = Path(root)
    for part,npat in (('train', n_train), ('test', n_test)):
        for p in range(npat):
            pid = f"{part[:2].upper()}{seed:02d}{p:02d}"
            n = int(rng.choice([512, 512, 448])); sp = float(rng.uniform(*spacing)) * 512 / n
            has = (p != npat - 1) or rng.random() < 0.3
            nz = per_patient + 4
            ang = rng.uniform(-np.pi, np.pi); rad0 = rng.uniform(0.25, 0.45); drop_p = rng.uniform(*drop)
            centre = rng.integers(3, nz - 3); half = rng.integers(2, 4)
            signed = bool(rng.random() < 0.5)
            more = [(ang + rng.uniform(0.6, 1.4)*np.pi, rng.uniform(0.2, 0.35), rng.uniform(*drop), centre + rng.integers(-1, 2),
                     rng.integers(1, 3)) for _ in range(lesions - 1)] if has else []   # another territory, nearby slices
            for k in range(nz):
                st = []
                if has and abs(k - centre) <= half:
                    st.append((ang + rng.uniform(-0.05, 0.05), rad0*(1 - 0.5*abs(k-centre)/(half+1)), drop_p))
                for a2,r2,d2,c2,h2 in more:
                    if abs(k - c2) <= h2: st.append((a2 + rng.uniform(-0.05, 0.05), r2*(1 - 0.5*abs(k-c2)/(h2+1)), d2))
                hu,les = shapes_slice(rng, n, sp, k, nz, st or None)
                _write(root, part, pid, k, hu, les, sp, signed, per_patient, rng)
    _drop_last_label(root)

def _write(root, part, pid, k, hu, les, spacing, signed, per_patient, rng):
    dd = root/part/'dicom'/pid; dd.mkdir(parents=True, exist_ok=True)
    write_dcm(dd/f"IM{k:04d}.dcm", hu, pid, k*5.0, spacing, k, signed)
    if 2 <= k < 2 + per_patient:
        ld = root/part/'labels'/pid; ld.mkdir(parents=True, exist_ok=True)
        write_label(ld/f"IM{k:04d}.jpg", hu, les, int(rng.choice([512, 600, 384])))

# ---------------------------------------------------------------------------------------------- kind: cq500
REAL = {'cq500': '693_UNCR.dcm',             # CQ500-CT-310: a supraventricular slice, its head holder, a hypodense extra-axial collection, a midline shift
        'skullbase': 'J2K_pixelrep_mismatch.dcm'}   # another patient and scanner: the skull base (temporal lobes, cerebellum, orbits, air cells, bone streaks)

def real_slice(name='cq500'):
    "HU and pixel spacing of one of pydicom-data's two head-CT slices (`REAL`)."
    import pydicom
    from pydicom.data import get_testdata_file
    try: f = get_testdata_file(REAL[name])
    except Exception as e: raise SystemExit(f"the {name} slice needs pydicom-data (pip install pydicom-data): {e}")
    if f is None: raise SystemExit(f"the {name} slice needs pydicom-data (pip install pydicom-data): {REAL[name]} not found")
    ds = pydicom.dcmread(f)
    return ds.pixel_array.astype(float)*float(ds.RescaleSlope) + float(ds.RescaleIntercept), float(ds.PixelSpacing[0])

def _moved(rng, hu, ang, shift, scale, warp):
    "`hu` rotated by `ang`, shifted, scaled and warped by a smooth field of about `warp` px."
    from scipy import ndimage as ndi
    n = hu.shape[0]; c = np.array([n/2, n/2])
    R = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]]) / scale
    yy,xx = np.mgrid[:n,:n].astype(float)
    src = R @ np.stack([yy.ravel()-c[0]-shift[0], xx.ravel()-c[1]-shift[1]]) + c[:,None]
    dy,dx = warp*field(rng,(n,n),24), warp*field(rng,(n,n),24)
    return ndi.map_coordinates(hu, np.stack([src[0].reshape(n,n)+dy, src[1].reshape(n,n)+dx]), order=1, cval=-1024)

def parenchyma(hu):
    "Soft tissue (12-60 HU) well inside the skull."
    from scipy import ndimage as ndi
    bone = hu > 300
    inner = ndi.binary_fill_holes(ndi.binary_closing(bone, iterations=6)) & ~ndi.binary_dilation(bone, iterations=8)
    return ndi.binary_opening((hu > 12) & (hu < 60) & inner, iterations=2)

def _inject(rng, hu, size_px, drop, centre):
    from scipy import ndimage as ndi
    n = hu.shape[0]; par = parenchyma(hu)
    yy,xx = np.mgrid[:n,:n]
    blob = (((yy-centre[0])/size_px)**2 + ((xx-centre[1])/(size_px*rng.uniform(0.6,1.2)))**2 < 1) & (field(rng,(n,n),7) > -1.0)
    les = ndi.binary_closing(ndi.binary_opening(blob & par, iterations=2), iterations=2) & par
    lab,k = ndi.label(les)
    if not k: return hu, les
    les = lab == (np.argmax(np.bincount(lab.ravel())[1:]) + 1)
    return _faded(hu, les, drop, par | les), les

def make_cq500(root, seed, drop=(7, 12), n_train=5, n_test=4, per_patient=7, bases=('cq500', 'cq500')):
    """A real-anatomy cohort: every training patient made from the `REAL` slice `bases[0]`, every test patient from
    `bases[1]`; a tuple of names instead of a name takes them in turn, patient by patient."""
    from scipy import ndimage as ndi
    rng = np.random.default_rng(seed); root = Path(root)
    names = lambda b: (b,) if isinstance(b, str) else tuple(b)
    made = {}
    for b in set(names(bases[0]) + names(bases[1])):
        hu,sp = real_slice(b)
        made[b] = hu,sp,np.argwhere(ndi.binary_erosion(parenchyma(hu), iterations=12))   # where an infarct may centre
    for part,npat,base in (('train', n_train, names(bases[0])), ('test', n_test, names(bases[1]))):
        for p in range(npat):
            hu0,sp,pts = made[base[p % len(base)]]
            pid = f"C{part[:2].upper()}{seed:02d}{p:02d}"
            has = (p != npat - 1) or rng.random() < 0.3
            ang0,sh0,sc0 = rng.uniform(-0.25, 0.25), rng.uniform(-25, 25, 2), rng.uniform(0.9, 1.1)
            nz = per_patient + 4; centre = rng.integers(3, nz - 3); half = rng.integers(2, 4)
            cpt = pts[rng.integers(len(pts))]; size0 = rng.uniform(28, 50); drop_p = rng.uniform(*drop)
            signed = bool(rng.random() < 0.5)
            for k in range(nz):
                h,les = hu0, np.zeros(hu0.shape, bool)
                if has and abs(k - centre) <= half:
                    h,les = _inject(rng, h, size0*(1 - 0.45*abs(k-centre)/(half+1)), drop_p, cpt + rng.integers(-3, 4, 2))
                h = h + 2.5*rng.standard_normal(h.shape)
                sk = rng.integers(1 << 30)
                geo = (ang0 + 0.02*k, sh0, sc0*(1 + 0.01*(k - nz/2)), 3.)
                h = np.clip(_moved(np.random.default_rng(sk), h, *geo), -1024, 3000)
                les = _moved(np.random.default_rng(sk), les.astype(float), *geo) > 0.5
                _write(root, part, pid, k, h, les, sp, signed, per_patient, rng)
    _drop_last_label(root)

def _real_kind(train, test):
    "A `KINDS` maker of real-anatomy cohorts: training patients from the `REAL` slice `train`, test patients from `test`."
    def make(root, seed, drop=(7, 12), **kw): return make_cq500(root, seed, drop=drop, bases=(train, test), **kw)
    return make

KINDS = {'shapes': make_shapes, 'cq500': make_cq500, 'skullbase': _real_kind('skullbase', 'skullbase'),
         'cq500-skullbase': _real_kind('cq500', 'skullbase'), 'skullbase-cq500': _real_kind('skullbase', 'cq500'),
         'mixed': _real_kind(('cq500', 'skullbase'), ('cq500', 'skullbase'))}

# ---------------------------------------------------------------------------------------------- the benchmark
def _strokeseg(*args, log=None):
    "Run the `strokeseg` command next to this Python; its output goes to `log`."
    exe = Path(sys.executable).parent/'strokeseg'
    with open(log, 'w') as f: subprocess.run([str(exe), *map(str, args)], check=True, stdout=f, stderr=subprocess.STDOUT)

def variant_recipes():
    "Changes to `proposed` measured against the gap to MONAI's UNet, and for speed (`--variants`): name -> recipe."
    from strokeseg_nbdev.benchmarks.stroke import benchmark_arms
    from strokeseg_nbdev.recipe import get_recipe
    dice = dict(dice=True, seg_class_weights=(1., 1.))
    v = {'dice': get_recipe('proposed', **dice),                  # Dice + unweighted CE: against the over-segmentation
         'whole': get_recipe('proposed', grid=1),                 # whole 256 px slices: the context tiles lose
         'dice_whole': get_recipe('proposed', grid=1, **dice),
         'dice_whole_bs8': get_recipe('proposed', grid=1, bs=8, **dice),   # and the monai-unet arm's batch size: twice the steps
         # the monai-unet arm's recipe (whole slices, Dice + CE, no gate, no dilation, bs 8) with the package's network
         'ours_as_monai': benchmark_arms(pretrain=False, ensemble=False)['monai-unet'][0].replace(arch='resnet18'),
         'instance_norm': get_recipe('proposed', norm='instance'),   # each tile normalised by itself, as MONAI's UNet
         'no_last_cross': get_recipe('proposed', last_cross=False),  # without DynamicUnet's full-resolution block: a third less per step
         'width32': get_recipe('proposed', width=32),   # twice the channels at every stage, about MONAI's UNet's widths below its first level
         'fp32': get_recipe('proposed', precision='fp32'),   # trained in float32 throughout, as before bfloat16 autocast
         'e30': get_recipe('proposed', epochs=30),   # the one-cycle schedule `proposed` had before 20 epochs (71's older tables)
         'plain_post': get_recipe('proposed', dilation=1, gate=False, cls_weight=0.),   # the plain U-Net with `proposed`'s TTA and post-processing: the `proposed-plain` recipe as it was, with 20 epochs
         'plain_post_e15': get_recipe('proposed', dilation=1, gate=False, cls_weight=0., epochs=15),   # `proposed-plain` as it is: 15 epochs of the one-cycle schedule, not 20
         'paper_net': get_recipe('proposed', dilation=2, gate_detach=False),   # the paper's network (dilated, classifier trained jointly), as `proposed` has it
         'gate_nodil': get_recipe('proposed', dilation=1, gate_detach=False),   # `plain_post` with the classifier and its loss in the encoder: what that loss costs
         'nogate': get_recipe('proposed', dilation=2, gate=False, cls_weight=0.),   # `plain_post` with the dilation: what the dilation costs
         'gate_detach': get_recipe('proposed', dilation=2, gate_detach=True),   # the dilated network, its classifier's loss kept out of the encoder
         'gate_detach_nodil': get_recipe('proposed', dilation=1, gate_detach=True)}   # `plain_post` plus a classifier on the encoder's features (the same masks)
    if list(v) != VARIANTS: raise RuntimeError(f"VARIANTS {VARIANTS} is not the list of `variant_recipes` {list(v)}")
    return {k: r.replace(name=k) for k,r in v.items()}

def _cli_split(c, rec):
    "The slices of `c/train` as `rec` reads them, and the train and valid indices of `strokeseg train`'s split."
    from strokeseg_nbdev.core import patient_split
    from strokeseg_nbdev.data.stroke import stroke_items, load_slices
    items,_ = stroke_items(c/'train'/'dicom', c/'train'/'labels')
    data,_ = load_slices(items, rec)
    tr,va = patient_split(data.meta['patient_id'], valid_pct=0.25, seed=0, positive=data.masks.flatten(1).any(1).numpy())
    return items,data,tr,va

def _train_like_cli(c, rec, f, split=None, seed=0):
    "Train `rec` on `c/train` with the split `strokeseg train` uses and its seed, or another training `seed` (`split`: `_cli_split`'s, if made); (model, seconds)."
    from strokeseg_nbdev.train.stroke import train_stroke
    t0 = time.time()
    _,data,tr,va = split or _cli_split(c, rec)
    model,_ = train_stroke(data.subset(tr), data.subset(va), rec, out=f, seed=seed, progress=False, log=lambda s: None)
    return model,time.time() - t0

def _ensure_cohort(root, kind, seed, drop, lesions=1, spacing=None):
    "Write `root/cohort` unless it exists: whole, then renamed, so a broken run leaves no half cohort."
    if (root/'cohort').exists(): return
    tmp = root/'cohort.partial'
    if tmp.exists(): import shutil; shutil.rmtree(tmp)
    KINDS[kind](tmp, seed, drop=drop, **_shape_opts(lesions, spacing)); tmp.rename(root/'cohort')

def _shape_opts(lesions, spacing):
    "The `shapes` options that differ from their defaults (the other kinds take none)."
    return {**({'lesions': lesions} if lesions != 1 else {}), **({'spacing': spacing} if spacing else {})}

def bench_seed(root, seed, variants=(), base=True, train_seeds=()):
    """Test figures of `strokeseg train`'s default recipe and MONAI's UNet (unless not `base`), of the default recipe
    trained again with each of `train_seeds`, and of `variants` on the cohort `root/cohort`; runs go in `root`."""
    from strokeseg_nbdev.data.stroke import stroke_items
    from strokeseg_nbdev.inference.stroke import evaluate_items, summarize
    from strokeseg_nbdev.models.stroke import load_stroke_model
    rows,c = [],root/'cohort'
    if base: rows += _bench_base(root, seed)
    test,_ = stroke_items(c/'test'/'dicom', c/'test'/'labels')
    if train_seeds: rows += _bench_train_seeds(root, seed, train_seeds, test)
    vr = variant_recipes()
    for v in variants:
        f,t = root/f'var_{v}.pth',float('nan')
        if f.exists(): model,rec,_ = load_stroke_model(f, device='cpu')
        else: model,t = _train_like_cli(c, vr[v], f); rec = vr[v]
        df,_,_ = evaluate_items(model, rec, test)
        rows.append(dict(seed=seed, arm=f'variant {v}', train_s=t, **summarize(df)))
    return rows

def _bench_base(root, seed):
    "`bench_seed`'s rows of `strokeseg train`'s default recipe (trained and scored through the command line) and of MONAI's UNet."
    import pandas as pd
    from strokeseg_nbdev.benchmarks.stroke import benchmark_arms
    from strokeseg_nbdev.data.stroke import stroke_items
    from strokeseg_nbdev.inference.stroke import evaluate_items, summarize
    from strokeseg_nbdev.models.stroke import load_stroke_model
    from strokeseg_nbdev.recipe import get_recipe
    rows,c = [],root/'cohort'
    t = float('nan')                                   # a model trained by an earlier run is scored again
    if not (root/'o_prop'/'model.pth').exists():
        t0 = time.time()
        _strokeseg('train', c/'train'/'dicom', '--labels', c/'train'/'labels', '--out', root/'o_prop', log=root/'train_prop.log')
        t = time.time() - t0
    if not (root/'o_prop_eval'/'per_slice.csv').exists():
        _strokeseg('evaluate', c/'test'/'dicom', '--labels', c/'test'/'labels', '--model', root/'o_prop'/'model.pth',
                   '--out', root/'o_prop_eval', log=root/'eval_prop.log')
    from strokeseg_nbdev.recipe import read_model_file
    name = read_model_file(root/'o_prop'/'model.pth', task='stroke')[0].name   # the default recipe of the `strokeseg train` that made it
    rows.append(dict(seed=seed, arm=f'{name} (strokeseg train)', train_s=t,
                     **summarize(pd.read_csv(root/'o_prop_eval'/'per_slice.csv'))))
    if not (root/'o_prop_eval_min0'/'per_slice.csv').exists():     # the same model, no minimum lesion size
        _strokeseg('evaluate', c/'test'/'dicom', '--labels', c/'test'/'labels', '--model', root/'o_prop'/'model.pth',
                   '--min-size', 0, '--out', root/'o_prop_eval_min0', log=root/'eval_prop_min0.log')
    rows.append(dict(seed=seed, arm=f'{name}, evaluate --min-size 0', train_s=float('nan'),
                     **summarize(pd.read_csv(root/'o_prop_eval_min0'/'per_slice.csv'))))
    if not (root/'o_prop_eval_d4'/'per_slice.csv').exists():       # the same model, the 8-fold flip and rotation TTA
        _strokeseg('evaluate', c/'test'/'dicom', '--labels', c/'test'/'labels', '--model', root/'o_prop'/'model.pth',
                   '--tta', 'd4', '--out', root/'o_prop_eval_d4', log=root/'eval_prop_d4.log')
    rows.append(dict(seed=seed, arm=f'{name}, evaluate --tta d4', train_s=float('nan'),
                     **summarize(pd.read_csv(root/'o_prop_eval_d4'/'per_slice.csv'))))
    rec = benchmark_arms(pretrain=False, ensemble=False)['monai-unet'][0]
    f = root/'monai-unet.pth'
    t = float('nan')
    if f.exists(): model,rec,_ = load_stroke_model(f, device='cpu')
    else: model,t = _train_like_cli(c, rec, f)
    test,_ = stroke_items(c/'test'/'dicom', c/'test'/'labels')
    # the test series moved as `strokeseg evaluate` moved them for the command's model (its default alignment, to the
    # training series' levels that model file keeps): MONAI's UNet trained on the same series
    from strokeseg_nbdev.inference.stroke import ALIGN_WITHIN, item_shifts
    refs = read_model_file(root/'o_prop'/'model.pth', task='stroke')[2].get('brain_groups')
    shifts = item_shifts(test, c/'test'/'dicom', refs, within=ALIGN_WITHIN)[0] if refs else None
    for name,r in (('MONAI UNet', rec), ('MONAI UNet + our post-processing', rec.replace(tta='hflip', keep_largest=True, min_size=get_recipe('proposed').min_size))):
        df,_,_ = evaluate_items(model, r, test, shifts=shifts)
        rows.append(dict(seed=seed, arm=name, train_s=t if name == 'MONAI UNet' else float('nan'), **summarize(df)))
    return rows

def _bench_train_seeds(root, seed, train_seeds, test):
    """Rows of the model `strokeseg train` made in `root/o_prop` trained again with other training seeds: its recipe as
    the command chose it before training (the cut to the head), the validation choices undone and made again on the
    model, the command's split; scored on `test` as the command leaves the model. Training seed 0 is the command's own
    model (retrained this way, seed 0 gives the command's figures to the digit on the real slice's cohorts)."""
    from strokeseg_nbdev.inference.stroke import choose_on_validation, evaluate_items, summarize
    from strokeseg_nbdev.models.stroke import load_stroke_model
    from strokeseg_nbdev.recipe import get_recipe
    f0 = root/'o_prop'/'model.pth'
    if not f0.exists(): raise SystemExit(f"{f0}: missing; --train-seeds retrains the model `strokeseg train` made (run without --variants-only first)")
    _,rec,_ = load_stroke_model(f0, device='cpu')
    named = get_recipe(rec.name)
    rec = rec.replace(threshold=named.threshold, keep_largest=named.keep_largest)   # as before the validation choices
    split = _cli_split(root/'cohort', rec)
    valid = split[0].iloc[split[3]].reset_index(drop=True)
    rows = []
    for ts in train_seeds:
        f,t = root/f'o_prop_t{ts}.pth',float('nan')
        if f.exists(): model,_,_ = load_stroke_model(f, device='cpu')
        else: model,t = _train_like_cli(root/'cohort', rec, f, split, seed=ts)
        chosen,_,_ = choose_on_validation(model, rec, valid)
        df,_,_ = evaluate_items(model, chosen, test)
        rows.append(dict(seed=seed, arm=f'{rec.name}, training seed {ts}', train_s=t, **summarize(df)))
    return rows

VARIANTS = ['dice', 'whole', 'dice_whole', 'dice_whole_bs8', 'ours_as_monai', 'instance_norm', 'no_last_cross', 'width32', 'fp32', 'e30', 'plain_post', 'plain_post_e15', 'paper_net', 'gate_nodil', 'nogate', 'gate_detach', 'gate_detach_nodil']   # the keys of `variant_recipes`
SWEEP = dict(threshold=(0.5, 0.6, 0.7, 0.8), min_size=(0, 300, 600, 900, 1200))

def sweep_seed(root, kind, seed, drop=(7, 12), variant=None):
    """`proposed` (or the `variant_recipes` entry `variant`) trained once on the cohort `root/cohort` (`kind`
    'phantom': the stroke benchmark's cohort and split of `seed`; else `strokeseg train`'s split and seed), then scored
    on its validation and test patients at every pixel threshold and minimum size of `SWEEP`: one row each. Both act
    on the trained model's probabilities."""
    import itertools
    import pandas as pd
    from strokeseg_nbdev.data.stroke import stroke_items, load_slices
    from strokeseg_nbdev.inference.stroke import evaluate_items, summarize
    from strokeseg_nbdev.models.stroke import load_stroke_model
    from strokeseg_nbdev.recipe import get_recipe
    from strokeseg_nbdev.train.stroke import train_stroke
    rec = variant_recipes()[variant] if variant else get_recipe('proposed')
    c,f = root/'cohort',root/f"{variant or 'proposed'}.pth"
    if kind == 'phantom':
        from strokeseg_nbdev.data.phantom import make_cohort
        from strokeseg_nbdev.demo.stroke import demo_split
        if not c.exists(): make_cohort(c, n_patients=16, size=256, seed=seed, stroke_fraction=0.8, stroke_stage='acute')
        items,_ = stroke_items(c/'dicom', c/'labels')
        sp = demo_split(items, n_labelled=34, test_patients=7, seed=seed)
        tr,va,te = (items.iloc[sp[k]].reset_index(drop=True) for k in ('train', 'valid', 'test'))
        if not f.exists(): train_stroke(load_slices(tr, rec)[0], load_slices(va, rec)[0], rec, out=f, seed=seed, progress=False, log=lambda s: None)
    else:
        _ensure_cohort(root, kind, seed, drop)
        split = _cli_split(c, rec)
        items,_,i,j = split
        tr,va = items.iloc[i].reset_index(drop=True),items.iloc[j].reset_index(drop=True)
        te,_ = stroke_items(c/'test'/'dicom', c/'test'/'labels')
        if not f.exists(): _train_like_cli(c, rec, f, split)
    model,rec,_ = load_stroke_model(f, device='cpu')
    rows = []
    for part,it in (('valid', va), ('test', te)):
        for t,m in itertools.product(SWEEP['threshold'], SWEEP['min_size']):
            df,_,_ = evaluate_items(model, rec.replace(threshold=t, min_size=m), it)
            found = df[df.lesion.astype(bool) & (df.pred_px > 0)]
            rows.append(dict(kind=kind, seed=seed, recipe=variant or 'proposed', part=part, threshold=t, min_size=m,
                             area=float((found.pred_px/found.true_px).median()) if len(found) else float('nan'), **summarize(df)))
    return pd.DataFrame(rows)

def sweep_table(df, part='test', base=(0.5, 1200)):
    "Mean ± sd over seeds per setting, and the paired difference in IoU to `base`: one column per cohort kind."
    import pandas as pd
    out = []
    for (t,m),g in df[df.part == part].groupby(['threshold', 'min_size'], sort=False):
        r = {'threshold, min size': f"{t:g}, {m} px"}
        for k,x in g.groupby('kind', sort=False):
            x = x.set_index('seed').sort_index()
            b = df[(df.part == part) & (df.kind == k) & (df.threshold == base[0]) & (df.min_size == base[1])].set_index('seed').sort_index()
            d = x.iou - b.iou
            r[f"{k} ({len(x)})"] = (f"{x.iou.mean():.3f} ± {x.iou.std():.3f}, FPR {x.fpr.mean():.2f}"
                                   + ('' if (t,m) == base else f"; {d.mean():+.3f} ± {d.std():.3f} ({(d > 1e-9).sum()} up, {(d < -1e-9).sum()} down)"))
        out.append(r)
    return pd.DataFrame(out)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('make', help="write one cohort")
    m.add_argument('dir', type=Path); m.add_argument('--kind', choices=KINDS, default='shapes')
    m.add_argument('--seed', type=int, default=0); m.add_argument('--drop', default='7,12', help="infarct HU drop range, lo,hi")
    m.add_argument('--lesions', type=int, default=1, help="shapes: infarcts per patient with a stroke (2: a second one, in another territory)")
    m.add_argument('--spacing', default=None, help="shapes: pixel size range in mm at 512 px, lo,hi (default 0.42,0.5: fields of view of 215-256 mm)")
    b = sub.add_parser('bench', help="write cohorts, train and score, print the table")
    b.add_argument('out', type=Path); b.add_argument('--kind', choices=KINDS, default='shapes')
    b.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2]); b.add_argument('--drop', default='7,12')
    b.add_argument('--lesions', type=int, default=1, help="shapes: infarcts per patient with a stroke")
    b.add_argument('--spacing', default=None, help="shapes: pixel size range in mm at 512 px, lo,hi")
    b.add_argument('--variants', nargs='*', default=[], choices=VARIANTS,
                   help="also train these changes of `proposed` through the API (see `variant_recipes`)")
    b.add_argument('--variants-only', action='store_true', help="train and score the variants alone, not the default recipe and MONAI's UNet")
    b.add_argument('--train-seeds', type=int, nargs='*', default=[],
                   help="also train the default recipe again with these training seeds (the command's split; its model is seed 0): the spread of training")
    w = sub.add_parser('sweep', help="train `proposed` once per seed, score every pixel threshold and minimum size of `SWEEP`")
    w.add_argument('out', type=Path); w.add_argument('--kind', choices=[*KINDS, 'phantom'], default='shapes')
    w.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2]); w.add_argument('--drop', default='7,12')
    w.add_argument('--variant', choices=VARIANTS, help="train this change of `proposed` instead (see `variant_recipes`)")
    a = p.parse_args(argv)
    drop = tuple(float(x) for x in a.drop.split(','))
    spacing = tuple(float(x) for x in a.spacing.split(',')) if getattr(a, 'spacing', None) else None
    if a.cmd == 'sweep':
        import pandas as pd
        from strokeseg_nbdev.core import markdown_table
        tag = a.kind if a.kind == 'phantom' else f"{a.kind}_drop{a.drop.replace(',', '-')}"
        df = pd.concat([sweep_seed(a.out/f"{tag}_sweep_seed{s}", a.kind, s, drop, a.variant) for s in a.seeds], ignore_index=True)
        name = f"{tag}_{a.variant}" if a.variant else tag
        df.to_csv(a.out/f"{name}_sweep.csv", index=False)
        for part in ('valid', 'test'): print(f"\n{name}, {part} patients:\n\n{markdown_table(sweep_table(df, part))}")
        return
    if a.cmd == 'make':
        if a.dir.exists(): raise SystemExit(f"{a.dir}: exists; give a new folder")
        KINDS[a.kind](a.dir, a.seed, drop=drop, **_shape_opts(a.lesions, spacing)); return
    import pandas as pd
    from strokeseg_nbdev.core import markdown_table
    rows = []
    tag = (f"{a.kind}_drop{a.drop.replace(',', '-')}" + (f"_les{a.lesions}" if a.lesions != 1 else '')
           + (f"_sp{a.spacing.replace(',', '-')}" if spacing else ''))
    for s in a.seeds:
        root = a.out/f"{tag}_seed{s}"
        _ensure_cohort(root, a.kind, s, drop, a.lesions, spacing)
        rows += bench_seed(root, s, a.variants, base=not a.variants_only, train_seeds=a.train_seeds)
        print(f"seed {s}: " + '; '.join(f"{r['arm']} IoU {r['iou']:.3f} FPR {r['fpr']:.2f}" for r in rows if r['seed'] == s), flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.out/f"{tag}.csv", index=False)
    g = df.groupby('arm', sort=False)
    ms = lambda c: g[c].mean().map('{:.3f}'.format) + ' ± ' + g[c].std().map('{:.3f}'.format)
    tab = pd.DataFrame({'IoU': ms('iou'), 'FPR': ms('fpr'), 'sensitivity': ms('sensitivity'),
                        'train s': g['train_s'].mean().map(lambda v: '-' if np.isnan(v) else f'{v:.0f}')})
    print(f"\n{a.kind} cohorts, infarcts {drop[0]:g}-{drop[1]:g} HU down, seeds {a.seeds} (mean ± sd over seeds, test patients):\n")
    print(markdown_table(tab.reset_index()))
    if a.train_seeds and not a.variants_only:      # the default recipe over every training: the command's model and the retrained ones
        d = df[df.arm.str.endswith('(strokeseg train)') | df.arm.str.contains(', training seed ')]
        print(f"\nthe default recipe over {len(d)} trainings (seeds {a.seeds} x training seeds 0 and {a.train_seeds}): "
              f"IoU {d.iou.mean():.3f} ± {d.iou.std():.3f}, FPR {d.fpr.mean():.2f}")

if __name__ == '__main__': main()

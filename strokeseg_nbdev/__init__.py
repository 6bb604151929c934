"""Deep learning on *small* brain-CT datasets, as a literate nbdev package on fastai and PyTorch.

Modules, one per notebook of nbs/ (the tutorials 90-92 walk through them; `strokeseg --help` lists the commands):

- `strokeseg_nbdev.core` (00_core): Core
- `strokeseg_nbdev.data.dicom` (01_data.dicom): DICOM to Hounsfield units
- `strokeseg_nbdev.data.labels` (02_data.labels): Labels
- `strokeseg_nbdev.data.phantom` (03_data.phantom): Phantom cohort
- `strokeseg_nbdev.recipe` (04_recipe): Recipes and model files
- `strokeseg_nbdev.data.tiles` (05_data.tiles): Tiles
- `strokeseg_nbdev.data.augment` (06_data.augment): Augmentation
- `strokeseg_nbdev.data.stroke` (07_data.stroke): Stroke data
- `strokeseg_nbdev.data.hemorrhage` (08_data.hemorrhage): Hemorrhage labels and slice stacks
- `strokeseg_nbdev.models.stroke` (11_models.stroke): Gated dilated U-Net
- `strokeseg_nbdev.models.hemorrhage` (12_models.hemorrhage): Hemorrhage classifiers
- `strokeseg_nbdev.losses.stroke` (20_losses.stroke): Joint segmentation and gate loss
- `strokeseg_nbdev.losses.hemorrhage` (21_losses.hemorrhage): Asymmetric Loss
- `strokeseg_nbdev.train.stroke` (22_train.stroke): Training the stroke segmenter
- `strokeseg_nbdev.train.hemorrhage` (23_train.hemorrhage): Training hemorrhage classifiers
- `strokeseg_nbdev.metrics.stroke` (30_metrics.stroke): Stroke metrics
- `strokeseg_nbdev.inference.stroke` (31_inference.stroke): Stroke inference: slices, labelled sets and folders
- `strokeseg_nbdev.metrics.hemorrhage` (32_metrics.hemorrhage): Multi-label metrics
- `strokeseg_nbdev.inference.hemorrhage` (34_inference.hemorrhage): Hemorrhage inference: series, folders and submissions
- `strokeseg_nbdev.interpret.gradcam` (40_interpret.gradcam): Grad-CAM for the gate, the mask and the hemorrhage labels
- `strokeseg_nbdev.interpret.heads` (41_interpret.heads): Interpretable heads for the gate
- `strokeseg_nbdev.interpret.explain` (42_interpret.explain): Explaining a folder
- `strokeseg_nbdev.pretrain.stroke` (50_pretrain.stroke): Self-supervised pretraining on unlabelled slices
- `strokeseg_nbdev.cli` (60_cli): Command line
- `strokeseg_nbdev.demo.stroke` (61_demo.stroke): The stroke demo
- `strokeseg_nbdev.demo.hemorrhage` (62_demo.hemorrhage): The hemorrhage demo
- `strokeseg_nbdev.benchmarks.dicom` (70_benchmarks.dicom): Benchmark: reading DICOM to HU
- `strokeseg_nbdev.benchmarks.stroke` (71_benchmarks.stroke): Benchmark: stroke segmentation from 34 labelled slices
- `strokeseg_nbdev.benchmarks.hemorrhage` (72_benchmarks.hemorrhage): Benchmark: ASL vs BCE, one slice vs 2.5D
- `strokeseg_nbdev.benchmarks.predict` (73_benchmarks.predict): Benchmark: prediction speed and memory
- `strokeseg_nbdev.benchmarks.train` (74_benchmarks.train): Benchmark: training throughput

Written by tools/make_readme.py from the notebooks' titles."""

__version__ = "0.0.1"

import warnings as _warnings
# fastai's modules call `torch.jit.script` at import, deprecated in recent torch: noise a user cannot act on
_warnings.filterwarnings('ignore', message=r'`torch.jit.script` is deprecated', category=FutureWarning)

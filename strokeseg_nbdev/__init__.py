"""Deep learning on small brain-CT datasets: stroke segmentation from 34 labelled slices, hemorrhage labels, interpretability, on a synthetic DICOM cohort

Modules:

- `strokeseg_nbdev.benchmarks.dicom`: Is `find_series` + `read_series` at least as fast as the three lines everyone writes by hand with pydicom?
- `strokeseg_nbdev.benchmarks.hemorrhage`: The hemorrhage comparison of the demo with more seeds, more patients and, on a GPU, the DLCV hemorrhage project's own recipe: enough repetitions to tell the arms apart.
- `strokeseg_nbdev.benchmarks.predict`: How fast does the package turn slices and folders into masks, against MONAI's sliding-window inference, and does its memory stay flat over a long folder?
- `strokeseg_nbdev.benchmarks.stroke`: Which recipe generalises from 34 slices, measured over seeds and held-out patients, against a plain U-Net and against MONAI's U-Net, with every ingredient switched in turn.
- `strokeseg_nbdev.benchmarks.train`: Does the package's fastai training loop cost anything over a plain PyTorch loop, what bounds training (the data pipeline or the model step), and what does the channels-last layout of the weights buy?
- `strokeseg_nbdev.cli`: `strokeseg`: scan a DICOM folder, make the synthetic cohort, run the demo, train, predict, evaluate, explain, for stroke and hemorrhage.
- `strokeseg_nbdev.core`: What every layer shares: the error that names a bad file, atomic writes, the rule that outputs never land in inputs, the patient-level split, and helpers for models, streaming, progress, tables and figures.
- `strokeseg_nbdev.data.augment`: Batch transforms that move a CT tile and its lesion mask together, so that the mask stays binary and aligned.
- `strokeseg_nbdev.data.dicom`: Read CT slices and whole series from DICOM into float32 Hounsfield units, window them for a network, and name every file that cannot be read.
- `strokeseg_nbdev.data.hemorrhage`: From an RSNA-style label CSV and a folder of DICOM series to batches of windowed slices with their neighbours and six labels.
- `strokeseg_nbdev.data.labels`: The Kalmutskiy and Berikov paper's label format, both ways: a JPG of the slice with the lesion outlined in green, and the filled lesion mask behind it.
- `strokeseg_nbdev.data.phantom`: A synthetic head-CT cohort, built in 3-D: strokes and bleeds in realistic places and densities, written as DICOM series, green-outline label JPGs and RSNA-style labels.
- `strokeseg_nbdev.data.stroke`: From a folder of DICOM series and a folder of green-outline label JPGs to fastai `DataLoaders` of tiles, split by patient.
- `strokeseg_nbdev.data.tiles`: Cut a slice into a grid of sub-images for training and prediction, stitch predictions back, and sample lesion and lesion-free tiles in a chosen ratio.
- `strokeseg_nbdev.demo.hemorrhage`: `strokeseg demo --task hemorrhage`: BCE vs Asymmetric Loss, single slice vs two kinds of 2.5D, over several patient splits, with intervals, per-class decisions, calibration, series-level scores and Grad-CAM.
- `strokeseg_nbdev.demo.stroke`: `strokeseg demo`: make the cohort, train on 34 labelled slices, score the plain U-Net and the proposed pipeline on held-out patients, write the report.
- `strokeseg_nbdev.inference.hemorrhage`: From a folder of CT series to the five hemorrhage labels per slice: probabilities, an RSNA-format submission, and scores against labels.
- `strokeseg_nbdev.inference.stroke`: From a slice in Hounsfield units to a stroke mask at the slice's own size: window, tiles, flip test-time augmentation, stitching, the classifier gate, the largest component; then the same over labelled slices (evaluate) and over DICOM folders (predict).
- `strokeseg_nbdev.interpret.explain`: What `strokeseg explain` writes for each slice: the prediction, a Grad-CAM overlay, and a one-line summary a doctor can check.
- `strokeseg_nbdev.interpret.gradcam`: Where in the slice did the evidence for a decision come from: class activation maps computed with `pytorch_grad_cam`, overlaid on the windowed slice, and scored for faithfulness.
- `strokeseg_nbdev.interpret.heads`: A decision tree, k nearest neighbours or a logistic regression on the encoder's pooled features, in place of the linear classifier layer: rules a doctor can read, and training tiles shown as evidence.
- `strokeseg_nbdev.losses.hemorrhage`: The multi-label loss of Ben-Baruch et al. (2020) for hemorrhage labels, where most slices are negative for most classes.
- `strokeseg_nbdev.losses.stroke`: The Kalmutskiy and Berikov paper's loss: weighted cross-entropy of the classifier plus weighted cross-entropy of the segmenter, with soft Dice as an alternative.
- `strokeseg_nbdev.metrics.hemorrhage`: How good hemorrhage probabilities are: per-class and macro ROC AUC, the RSNA weighted log loss and F1, per slice and per series; intervals by a patient-level bootstrap; per-class thresholds and calibration fitted on validation patients.
- `strokeseg_nbdev.metrics.stroke`: How good a stroke mask is: pixel overlap, slice-level detection, the gate's ROC AUC, FROC, per slice and per patient.
- `strokeseg_nbdev.models.hemorrhage`: A ResNet trained from scratch that gives one logit per hemorrhage class for a CT slice, and two ways to let it see the neighbouring slices.
- `strokeseg_nbdev.models.stroke`: The paper's stroke segmenter and the plain U-Net, from the same parts: a ResNet encoder (its convolutions dilated in the paper's), fastai's `DynamicUnet` on top, and a classifier on the encoder output that can veto the mask.
- `strokeseg_nbdev.pretrain.stroke`: Teach the stroke model's encoder what head CT looks like from slices nobody labelled: masked-image reconstruction, then a file of encoder weights a recipe can start from.
- `strokeseg_nbdev.recipe`: Everything that makes a model, in one object saved inside the model file: input windows, working size, tiles, network, loss, training schedule and inference settings.
- `strokeseg_nbdev.train.hemorrhage`: The DLCV hemorrhage project's recipe (batch 20, lr 1e-4, step schedule, a 5-slice refining stage) as a fastai Learner, one training workflow from labelled series to a model file, and the experiment that compares BCE with ASL and single slices with two 2.5D models.
- `strokeseg_nbdev.train.stroke`: One training workflow, from labelled slices and a recipe to a model file: the fastai `Learner`, the one-cycle schedule, model selection on validation, checkpoints that resume, ensembles and the patch-then-tile curriculum."""

__version__ = "0.0.1"

import warnings as _warnings
# fastai's modules call `torch.jit.script` at import, deprecated in recent torch: noise a user cannot act on
_warnings.filterwarnings('ignore', message=r'`torch.jit.script` is deprecated', category=FutureWarning)

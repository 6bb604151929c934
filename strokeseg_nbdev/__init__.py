"""Deep learning on small brain-CT datasets: stroke segmentation from 34 labelled slices, hemorrhage labels, interpretability, on a synthetic DICOM cohort

Modules:

- `strokeseg_nbdev.data.labels`: The Kalmutskiy and Berikov paper's label format, both ways: a JPG of the slice with the lesion outlined in green, and the filled lesion mask behind it.
- `strokeseg_nbdev.losses.stroke`: The Kalmutskiy and Berikov paper's loss: weighted cross-entropy of the classifier plus weighted cross-entropy of the segmenter, with soft Dice as an alternative.
- `strokeseg_nbdev.models.stroke`: The stroke segmenter: a ResNet encoder with dilated convolutions, fastai's `DynamicUnet` on top, and a classifier on the encoder output that decides whether the mask is kept."""

__version__ = "0.0.1"

import warnings as _warnings
# fastai's modules call `torch.jit.script` at import, deprecated in recent torch: noise a user cannot act on
_warnings.filterwarnings('ignore', message=r'`torch.jit.script` is deprecated', category=FutureWarning)

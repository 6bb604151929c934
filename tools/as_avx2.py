#!/usr/bin/env python3
"""Run a `strokeseg` command as it runs on a CPU without AVX-512: what the demo's time is on such a machine.

A CPU with AVX512-BF16 (an Intel Xeon with AMX) trains in bfloat16 (`precision='auto'`); one with AVX2 only (many
laptops, the AMD EPYC of earlier measurements) trains in float32, with narrower vector kernels. This runs the
command on the machine at hand with both limits set:

- ATen's vectorised kernels limited to AVX2 (`ATEN_CPU_CAPABILITY=avx2`),
- oneDNN's convolutions limited to AVX2 (`ONEDNN_MAX_CPU_ISA=AVX2`),
- torch told that the CPU has neither AVX512-BF16 nor AMX, so `precision='auto'` trains in float32
  (`train.stroke.training_dtype`).

It measures the instruction set, not the chip: the clock, the caches and the memory stay this machine's, so an
older or slower AVX2 CPU takes longer (see `index`, "Install and run").

    python tools/as_avx2.py demo --out /tmp/demo_avx2      # any strokeseg command and its options
"""
import os, sys

LIMITS = dict(ATEN_CPU_CAPABILITY='avx2', ONEDNN_MAX_CPU_ISA='AVX2')

def main():
    if any(os.environ.get(k) != v for k,v in LIMITS.items()):
        # both are read when torch loads: start again with them set, before anything imports torch
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], {**os.environ, **LIMITS})
    import torch
    torch.cpu._is_avx512_bf16_supported = lambda: False
    torch.cpu._is_amx_tile_supported = lambda: False
    print(f"as a CPU without AVX-512: torch's CPU capability {torch.backends.cpu.get_cpu_capability()}, "
          f"oneDNN limited to {os.environ['ONEDNN_MAX_CPU_ISA']}, training in float32", file=sys.stderr, flush=True)
    from strokeseg_nbdev.cli import main as strokeseg
    return strokeseg(sys.argv[1:])

if __name__ == '__main__': sys.exit(main())

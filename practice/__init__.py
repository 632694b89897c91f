"""practice: a private rehearsal studio for job and informational interviews."""

import os

__version__ = "0.1.0"

# CTranslate2 (the default engine) multiplies matrices with Intel's MKL on Intel processors and
# with oneDNN on others, chosen once, when it is first imported. With MKL the engine took far
# more memory: a 3-minute answer peaked at 576 MiB against 307 MiB with oneDNN (the same
# machine, ``CT2_USE_MKL=1``: benchmarks/README.md, "Memory"), past issue 14's 400 MiB. Every
# figure of ours was measured with oneDNN, so every processor uses it unless the user chose.
os.environ.setdefault("CT2_USE_MKL", "0")

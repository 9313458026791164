"""Cold import time of each function's handler module, against ``import boto3`` plus one client.

Each import runs in a fresh interpreter (nothing cached in memory; the files are in the OS page
cache, as on a warm Lambda host), five times, and the median is printed. Interpreter start-up is
not counted, only the import, so the figure is what our code adds to a cold start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

RUNS = 5
BASELINE = "import boto3; boto3.client('dynamodb', region_name='us-east-1')"
_TIMER = "import time; t = time.perf_counter(); {code}; print((time.perf_counter() - t) * 1000)"


def time_import(code: str, code_dir: Path, runs: int = RUNS) -> float:
    """Median milliseconds ``code`` takes in a fresh interpreter whose path starts at ``code_dir``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code_dir),
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "bench",
    }
    samples = []
    for _ in range(runs):
        finished = subprocess.run(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", _TIMER.format(code=code)],
            capture_output=True,
            text=True,
            env=env,
            cwd=code_dir,
            check=False,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"{code} failed:\n{finished.stderr[-2000:]}")
        samples.append(float(finished.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def run(repo_root: Path, runs: int = RUNS) -> list[str]:
    """One line per function of the template, then the baseline."""
    from infra.local.template import load_template

    lines = []
    functions = load_template(repo_root / "infra" / "template.yaml").functions
    baseline = time_import(BASELINE, functions[0].code_dir if functions else repo_root, runs)
    for function in functions:
        module = function.handler.rpartition(".")[0]
        ms = time_import(f"import {module}", function.code_dir, runs)
        ratio = ms / baseline
        lines.append(f"{function.logical_id:<28} import {module:<22} {ms:7.0f} ms  ({ratio:4.2f}x the baseline)")
    lines.append(f"{'baseline':<28} {BASELINE:<29} {baseline:7.0f} ms")
    return lines

"""Regenerate the README's sample output from a real demo run (never by hand).

    python -m lead_scoring.readme_sample

runs `lead-scoring demo --limit 5` in a temporary copy of the project (so the
checkout's seeds stay as they are) and writes the end of its output between
the README's `demo-output` markers. tests/test_demo.py checks that the README
shows what the demo prints.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from lead_scoring.dbt_runner import PROJECT_DIR, copy_project

START, END = "<!-- demo-output:start -->", "<!-- demo-output:end -->"
FIRST_LINE = "[lead-scoring] predictive model (trained"
LAST_LINE = "leads per stage:"
# Lines that name a path of the run (they differ between runs and machines).
PATH_LINES = ("model written to", "data tests on ", "report written to")
DEMO_ARGS = ["demo", "--limit", "5"]


def sample_block(stdout: str) -> str:
    """The demo's summary: from the predictive model's line to the stage counts."""
    lines = stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(FIRST_LINE))
    last = next(i for i, line in enumerate(lines) if line.startswith(LAST_LINE))
    kept = [re.sub(r" in \S*suggested_rules ", " in warehouse/suggested_rules ", line)
            for line in lines[first:last + 1]
            if not any(marker in line for marker in PATH_LINES)]
    return "\n".join(kept)


def readme_block(readme: Path = PROJECT_DIR / "README.md") -> str:
    text = readme.read_text()
    match = re.search(re.escape(START) + r"\n```\n(.*?)\n```\n" + re.escape(END), text, re.S)
    if match is None:
        raise ValueError(f"{readme} has no {START} ... {END} block")
    return match.group(1)


def run_demo() -> str:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder) / "project")
        result = subprocess.run(
            [sys.executable, "-m", "lead_scoring.cli", *DEMO_ARGS], cwd=folder,
            capture_output=True, text=True, check=True,
            env={**os.environ, "LEAD_SCORING_PROJECT_DIR": str(project)})
        return result.stdout


def main() -> int:
    readme = PROJECT_DIR / "README.md"
    block = sample_block(run_demo())
    text = readme.read_text()
    start, end = text.index(START), text.index(END)
    readme.write_text(text[:start] + f"{START}\n```\n{block}\n```\n" + text[end:])
    print(f"README sample output rewritten ({len(block.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

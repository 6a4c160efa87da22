"""Run the benchmarks and print one table: what ``osa`` costs beside the natural baselines.

Every measurement is a whole process, started from the repository root with
this interpreter and ``PYTHONPATH`` set to the repository, so that the working
tree's ``osa_agreements`` is measured (not a copy installed elsewhere). Each
command runs once unmeasured (to warm the disk cache and write bytecode), then
``--runs`` times; the table shows the median wall time and the largest peak
resident set size (RSS) of those runs. Both are taken by ``launch.py``, a
small wrapper that starts the command and reads its ``os.wait4`` usage.

The drafts come from ``benchmarks/generate.py``, which this script runs first.
Results also go to ``benchmarks/data/results.json``.

Usage: ``python benchmarks/run.py [--runs 5] [--batch-runs 3] [--markdown] [--no-generate]``.
Exit status: 0 when every command ran (targets met or not), 1 when a command failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
DATA = BENCH / "data"
SIZES = (50, 500, 5000)
COMPARE_SIZES = (5000, 50000)   # pairs: the draft sent, and the counterpart's copy with untracked edits
BATCH = 200
PYTHON = sys.executable
OSA = (PYTHON, "-m", "osa_agreements.cli")
CHECK_STATUSES = frozenset({0, 1})      # 1: a clause modified or missing, still a finished check
COMPARE_STATUSES = frozenset({1})       # the pairs differ: 1 is a finished comparison
PROGRAMMES = tuple(sorted(str(p.relative_to(REPO)) for p in (REPO / "examples").glob("*.yaml")))


@dataclass(frozen=True)
class Command:
    """One row of the table: a command line and what a successful run looks like."""

    key: str
    label: str
    argv: tuple[str, ...]
    ok: frozenset[int] = frozenset({0})
    runs: int = 5
    reports: int | None = None      # an osa check: how many drafts its JSON report must hold
    env: tuple[tuple[str, str], ...] = ()   # settings added to the environment


@dataclass
class Result:
    """The runs of one Command: wall times, peak RSS, and why it failed if it did."""

    key: str
    label: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        """Return the median wall time in seconds, or None when the command failed."""
        return statistics.median(self.seconds) if self.seconds and self.error is None else None


@dataclass(frozen=True)
class Target:
    """One target of the issue, judged on this run: ``met`` is None when it could not be judged."""

    row: str
    text: str
    value: float | None
    limit: float
    at_most: bool

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.limit if self.at_most else self.value >= self.limit


# --- running one process -----------------------------------------------------------------------


def environment(**extra: str) -> dict[str, str]:
    """Return the children's environment: the repository first on the import path.

    Bytecode is written (as an installed package has it), and the validation cache
    is the benchmark's own, warmed by the first run of each command.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["OSA_CACHE_DIR"] = str(DATA / "cache")
    env.update(extra)
    return env


def run_once(argv: tuple[str, ...], env: tuple[tuple[str, str], ...] = ()) -> tuple[float, int, int, str, str]:
    """Run ``argv`` under launch.py; return wall seconds, peak RSS in bytes, exit status, stdout, stderr."""
    with tempfile.TemporaryDirectory() as scratch:
        report, out, err = (Path(scratch) / name for name in ("report.json", "stdout", "stderr"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            subprocess.run((PYTHON, str(BENCH / "launch.py"), str(report), *argv), cwd=REPO, env=environment(**dict(env)),
                           stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, check=True)
        run = json.loads(report.read_text())
        text = (path.read_text("utf-8", "replace") for path in (out, err))
        return run["seconds"], run["peak_rss_bytes"], run["status"], *text


def failure(command: Command, status: int, stderr: str) -> str | None:
    """Return why a run failed, or None when it succeeded."""
    # An uncaught exception also exits with 1, which osa check uses for "clause modified".
    if status not in command.ok or "Traceback (most recent call last)" in stderr:
        last = stderr.strip().splitlines()[-1:] or ["(no output)"]
        return f"exit status {status}: {last[0]}"
    return None


def validate_check(command: Command) -> str | None:
    """Run an osa check once with a JSON report; return why it is not a finished check, or None."""
    seconds, rss, status, stdout, stderr = run_once(command.argv + ("--format", "json"), command.env)
    problem = failure(command, status, stderr)
    if problem:
        return problem
    try:
        documents = json.loads(stdout)["documents"]
    except (ValueError, KeyError) as exc:
        return f"no JSON report: {exc}"
    errors = [d["path"] for d in documents if d.get("verdict") == "error"]
    if len(documents) != command.reports or errors:
        return f"{len(documents)} report(s) of {command.reports}, unreadable: {errors[:3]}"
    return None


def measure(command: Command) -> Result:
    """Return the Result of one warm-up run (the validation for a check) and ``command.runs`` runs."""
    result = Result(command.key, command.label, list(command.argv))
    if command.reports is not None:
        result.error = validate_check(command)
    else:
        _, _, status, _, stderr = run_once(command.argv, command.env)
        result.error = failure(command, status, stderr)
    rss = []
    for _ in range(command.runs if result.error is None else 0):
        seconds, peak, status, _, stderr = run_once(command.argv, command.env)
        result.error = failure(command, status, stderr)
        if result.error:
            break
        result.seconds.append(seconds)
        rss.append(peak)
    result.peak_rss_mb = max(rss) / 2**20 if rss else None
    return result


# --- what is measured --------------------------------------------------------------------------


def draft_path(size: int) -> str:
    return str((DATA / f"note-{size}.docx").relative_to(REPO))


def commands(runs: int, batch_runs: int) -> list[Command]:
    """Return every row of the table, in the order printed."""
    rows = [
        Command("python", "start-up: python", (PYTHON, "-c", "pass"), runs=runs),
        Command("click", "start-up: python + click", (PYTHON, "-c", "import click"), runs=runs),
        Command("click_lxml", "start-up: python + click + lxml",
                (PYTHON, "-c", "import click, zipfile, lxml.etree"), runs=runs),
        Command("help", "osa --help", (*OSA, "--help"), runs=runs),
        Command("check_cold", f"osa check, {SIZES[0]:,} ¶, library validated (no cache)",
                (*OSA, "check", draft_path(SIZES[0])), CHECK_STATUSES, runs, reports=1, env=(("OSA_CACHE_DIR", ""),)),
    ]
    for size in SIZES:
        path = draft_path(size)
        rows += [
            Command(f"floor_{size}", f"floor: unzip + lxml, {size:,} ¶", (PYTHON, "benchmarks/floor.py", path),
                    runs=runs),
            Command(f"docx_{size}", f"python-docx read, {size:,} ¶",
                    (PYTHON, "benchmarks/python_docx_read.py", path), runs=runs),
            Command(f"check_{size}", f"osa check, {size:,} ¶", (*OSA, "check", path), CHECK_STATUSES,
                    runs, reports=1),
        ]
    for size in COMPARE_SIZES:
        sent, returned = (str((DATA / f"{name}-{size}.docx").relative_to(REPO)) for name in ("sent", "returned"))
        redline = str((DATA / "drafts" / f"redline-{size}.docx").relative_to(REPO))
        if size != SIZES[-1]:
            rows.append(Command(f"check_sent_{size}", f"osa check, {size:,} ¶ (the draft sent)",
                                (*OSA, "check", sent), CHECK_STATUSES, batch_runs, reports=1))
        rows.append(Command(f"compare_{size}", f"osa compare, 2 drafts of {size:,} ¶, {size * 6 // 100:,} edits",
                            (*OSA, "compare", sent, returned, "-o", redline, "--force"), COMPARE_STATUSES,
                            runs if size == COMPARE_SIZES[0] else batch_runs))
    batch = str((DATA / "batch").relative_to(REPO))
    for jobs in (1, 2):
        rows.append(Command(f"batch_jobs{jobs}", f"osa check {BATCH} drafts of 50 ¶, --jobs {jobs}",
                            (*OSA, "check", batch, "--jobs", str(jobs)), CHECK_STATUSES, batch_runs,
                            reports=BATCH))
    out = str((DATA / "drafts").relative_to(REPO))
    rows += [
        Command("draft_1", "osa draft, 1 programme (2 Notes)",
                (*OSA, "draft", PROGRAMMES[0], "--out-dir", out, "--force"), runs=runs),
        Command(f"draft_{len(PROGRAMMES)}", f"osa draft, {len(PROGRAMMES)} programmes ({2 * len(PROGRAMMES)} Notes)",
                (*OSA, "draft", *PROGRAMMES, "--out-dir", out, "--force"), runs=batch_runs),
    ]
    return rows


def targets(results: dict[str, Result]) -> list[Target]:
    """Return the issue's targets judged on ``results``."""
    def ratio(a: str, b: str) -> float | None:
        x, y = results[a].median, results[b].median
        return x / y if x is not None and y is not None else None

    big, mid, small = (f"check_{n}" for n in reversed(SIZES))
    speedup = ratio("batch_jobs1", "batch_jobs2")
    return [
        Target("help", "≤ 2× python + click start-up", ratio("help", "click"), 2.0, True),
        Target(small, "≤ 2× python + click + lxml start-up", ratio(small, "click_lxml"), 2.0, True),
        Target(mid, f"≤ 12× the {SIZES[0]:,} ¶ check", ratio(mid, small), 12.0, True),
        Target(big, f"≤ 12× the {SIZES[1]:,} ¶ check", ratio(big, mid), 12.0, True),
        Target(big, "≤ 2× the floor", ratio(big, f"floor_{SIZES[-1]}"), 2.0, True),
        Target(big, "faster than python-docx", ratio(big, f"docx_{SIZES[-1]}"), 1.0, True),
        Target("batch_jobs2", "≥ 1.7× faster than --jobs 1", speedup, 1.7, False),
        Target(f"compare_{COMPARE_SIZES[0]}", f"≤ 3× osa check on one {COMPARE_SIZES[0]:,} ¶ draft",
               ratio(f"compare_{COMPARE_SIZES[0]}", f"check_{COMPARE_SIZES[0]}"), 3.0, True),
        Target(f"compare_{COMPARE_SIZES[1]}", f"≤ 12× the {COMPARE_SIZES[0]:,} ¶ comparison",
               ratio(f"compare_{COMPARE_SIZES[1]}", f"compare_{COMPARE_SIZES[0]}"), 12.0, True),
    ]


def derived(results: dict[str, Result]) -> dict[str, float | None]:
    """Return marginal costs in milliseconds: per draft of a batch, per programme, per 1,000 paragraphs."""
    def per(key: str, count: int, minus: str | None = None, less: int = 0) -> float | None:
        x = results[key].median
        y = results[minus].median if minus else 0.0
        return None if x is None or y is None else 1000 * (x - y) / (count - less)

    small, big = SIZES[0], SIZES[-1]
    last = f"draft_{len(PROGRAMMES)}"
    return {
        "check_ms_per_draft_jobs1": per("batch_jobs1", BATCH),
        "check_ms_per_draft_jobs2": per("batch_jobs2", BATCH),
        "draft_ms_per_extra_programme": per(last, len(PROGRAMMES), "draft_1", 1),
        "check_ms_per_1000_paragraphs": per(f"check_{big}", big // 1000, f"check_{small}", small / 1000),
        "floor_ms_per_1000_paragraphs": per(f"floor_{big}", big // 1000, f"floor_{small}", small / 1000),
        "python_docx_ms_per_1000_paragraphs": per(f"docx_{big}", big // 1000, f"docx_{small}", small / 1000),
    }


def format_derived(values: dict[str, float | None]) -> str:
    """Return the marginal costs as one line each."""
    return "\n".join(f"{name.replace('_', ' ')}: " + ("—" if v is None else f"{v:,.1f}")
                     for name, v in values.items())


# --- the table ---------------------------------------------------------------------------------


def table_rows(results: list[Result], goals: list[Target]) -> list[list[str]]:
    """Return the table's cells: one line per result, one more per extra target of that result."""
    by_key = {r.key: r for r in results}
    lines = []
    for result in results:
        size = result.key.removeprefix("check_")
        ratios = [_times(result, by_key.get(f"{base}_{size}")) if size.isdigit() else ""
                  for base in ("floor", "docx")]
        time_ms = f"{result.median * 1000:,.0f}" if result.median is not None else "FAILED"
        rss = f"{result.peak_rss_mb:,.0f}" if result.median is not None else ""
        mine = [g for g in goals if g.row == result.key] or [None]
        for index, goal in enumerate(mine):
            cells = [result.label, time_ms, rss, *ratios] if index == 0 else [""] * 5
            lines.append(cells + _goal_cells(goal))
    return lines


def _times(result: Result, base: Result | None) -> str:
    if base is None or result.median is None or base.median is None:
        return ""
    return f"{result.median / base.median:.2f}×"


def _goal_cells(goal: Target | None) -> list[str]:
    if goal is None:
        return ["", ""]
    value = "—" if goal.value is None else f"{goal.value:.2f}×"
    verdict = {True: "met", False: "NOT MET", None: "not judged"}[goal.met]
    return [f"{goal.text} ({value})", verdict]


HEADER = ["measurement", "time (ms)", "peak RSS (MB)", "× floor", "× python-docx", "target (this run)", "met"]
NUMERIC = {1, 2, 3, 4}


def format_table(rows: list[list[str]], markdown: bool) -> str:
    """Return the rows as aligned text, or as a Markdown table."""
    if markdown:
        align = ["---:" if i in NUMERIC else "---" for i in range(len(HEADER))]
        return "\n".join("| " + " | ".join(r) + " |" for r in [HEADER, align, *rows])
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    def line(r):
        return "  ".join(c.rjust(w) if i in NUMERIC else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(HEADER), line(["-" * w for w in widths]), *map(line, rows)]).rstrip()


# --- the machine and the record ----------------------------------------------------------------


def machine() -> dict:
    """Return what the figures depend on: processor, cores, memory, system, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        memory_gb = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory_gb, "system": platform.platform(),
            "python": platform.python_version(), "commit": _git("rev-parse", "--short", "HEAD"),
            "uncommitted_changes": bool(_git("status", "--porcelain"))}


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(("git", *args), cwd=REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def record(results: list[Result], goals: list[Target], margins: dict, about: dict) -> dict:
    """Return the JSON record of this run."""
    return {
        "date": about["date"],
        "machine": {k: v for k, v in about.items() if k != "date"},
        "results": [{**asdict(r), "median_seconds": r.median} for r in results],
        "targets": [{**asdict(g), "met": g.met} for g in goals],
        "marginal_ms": margins,
    }


# --- main --------------------------------------------------------------------------------------


def generate() -> None:
    """Write the drafts with the generator, in its own process like everything measured."""
    print("generating drafts ...", file=sys.stderr)
    subprocess.run((PYTHON, "benchmarks/generate.py", "--sizes", *map(str, SIZES), "--batch", str(BATCH),
                    "--compare-sizes", *map(str, COMPARE_SIZES)),
                   cwd=REPO, env=environment(), check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (median shown)")
    parser.add_argument("--batch-runs", type=int, default=3, help="measured runs of the batches and drafting")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-generate", action="store_true", help="reuse the drafts in benchmarks/data")
    args = parser.parse_args(argv)
    if not args.no_generate:
        generate()
    (DATA / "drafts").mkdir(parents=True, exist_ok=True)
    about = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), **machine()}
    results = []
    for command in commands(args.runs, args.batch_runs):
        print(f"measuring {command.label} ...", file=sys.stderr)
        results.append(measure(command))
    goals = targets({r.key: r for r in results})
    margins = derived({r.key: r for r in results})
    print(f"\n{about['date']}; {about['cpu']}, {about['cores']} cores, {about['memory_gb']} GB; "
          f"{about['system']}; Python {about['python']}\n")
    print(format_table(table_rows(results, goals), args.markdown))
    print(f"\nmarginal costs (ms)\n{format_derived(margins)}")
    for failed in (r for r in results if r.error):
        print(f"\nFAILED {failed.label}: {failed.error}\n  {' '.join(failed.argv)}")
    (DATA / "results.json").write_text(json.dumps(record(results, goals, margins, about), indent=2) + "\n")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

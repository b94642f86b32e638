"""CI runs the README's test command, read out of the README: the two cannot drift apart."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / ".ci" / "run"


def _command(which):
    return subprocess.run([sys.executable, str(ROOT / ".ci" / "readme_command.py"), which],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_the_readme_holds_a_test_command_and_a_main_command():
    tests, main = _command("tests"), _command("main")
    setup = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test,launchers,sweepers]"'
    assert tests == f"{setup} && pytest"
    assert main.startswith(setup) and main.endswith("expressivity reproduce --profile quick")


def test_ci_runs_the_readme_test_command_and_sets_no_environment_of_its_own():
    script = CI.read_text()
    lines = [line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert 'command="$(python3 .ci/readme_command.py tests)"' in lines
    assert 'bash -euo pipefail -c "$command"' in lines
    # Nothing else installs the project, runs the tests or sets variables for them.
    assert not [line for line in lines if re.match(r"(export|env|pytest|pip|python3 -m)\b", line)]
    assert not re.search(r"\b[A-Z_]+_NUM_THREADS=", script)


def test_a_readme_without_the_section_is_refused(tmp_path):
    sys.path.insert(0, str(ROOT / ".ci"))
    try:
        from readme_command import readme_commands
    finally:
        sys.path.pop(0)
    text = "# x\n## Two commands\n```bash\na\n```\n```bash\nb\n```\n## Next\n```bash\nc\n```\n"
    assert readme_commands(text) == ["a", "b"]
    with pytest.raises(SystemExit, match="Two commands"):
        readme_commands("# x\n## Other\n")

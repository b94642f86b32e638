"""Print one of README.md's two commands (``tests`` or ``main``), exactly as written.

The README's "Two commands" section holds two ```bash blocks: the first sets up
and runs the tests, the second sets up and runs the main job. CI runs the first
through this script, so what CI tests is what the README tells a user to run;
tests/test_readme_commands.py checks that both blocks exist and hold one line each.
"""
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
WHICH = ("tests", "main")


def readme_commands(text):
    """The ```bash blocks of the "## Two commands" section, in order (one command each)."""
    section = re.search(r"^## Two commands\n(.*?)(?=^## )", text, re.S | re.M)
    if section is None:
        raise SystemExit("README.md has no '## Two commands' section")
    blocks = re.findall(r"^```bash\n(.*?)^```", section.group(1), re.S | re.M)
    return [block.strip() for block in blocks]


def main(argv):
    if len(argv) != 1 or argv[0] not in WHICH:
        raise SystemExit(f"usage: readme_command.py {{{'|'.join(WHICH)}}}")
    commands = readme_commands(README.read_text(encoding="utf-8"))
    if len(commands) != len(WHICH) or any("\n" in c for c in commands):
        raise SystemExit(f"README.md's '## Two commands' must hold {len(WHICH)} one-line "
                         f"```bash blocks; found {len(commands)}")
    print(commands[WHICH.index(argv[0])])


if __name__ == "__main__":
    main(sys.argv[1:])

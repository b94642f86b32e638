import sys
from pathlib import Path

# Lets tests import helpers that live beside them (scalar_autodiff).
sys.path.insert(0, str(Path(__file__).parent))

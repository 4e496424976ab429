"""Puts the user guide (docs/user/*.md) into the README between the USER-DOCS markers.

.venv/bin/python scripts/readme.py          # update README.md
.venv/bin/python scripts/readme.py --check  # exit 1 if README.md is out of date (make test)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["accounts", "participants", "records", "counselling", "accompaniment", "network", "roadmap", "aid",
         "psychology"]  # fmt: skip
START, END = "<!-- USER-DOCS -->", "<!-- /USER-DOCS -->"


def guide() -> str:
    files = {path.stem: path for path in (ROOT / "docs" / "user").glob("*.md")}
    names = [name for name in ORDER if name in files] + sorted(set(files) - set(ORDER))
    parts = ["## User guide", "", "What each role can do, and where. (German UI names in parentheses.)", ""]
    for name in names:
        text = files[name].read_text(encoding="utf-8").strip()
        # Each file's headings move down two levels under "User guide".
        text = re.sub(r"^(#+) ", lambda m: "#" * min(len(m.group(1)) + 2, 6) + " ", text, flags=re.MULTILINE)
        parts += [text, ""]
    return "\n".join(parts)


def main() -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if START not in readme:
        print("README.md has no USER-DOCS marker")
        return 1
    if END not in readme:
        readme = readme.replace(START, START + "\n" + END)
    before, rest = readme.split(START, 1)
    after = rest.split(END, 1)[1]
    updated = f"{before}{START}\n{guide()}\n{END}{after}"
    if "--check" in sys.argv:
        if updated != readme:
            print("README.md is out of date with docs/user/: run .venv/bin/python scripts/readme.py")
            return 1
        return 0
    (ROOT / "README.md").write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

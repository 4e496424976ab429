"""Builds static/vendor/bootstrap-icons/ from the full set in vendor-src/bootstrap-icons/, keeping
only the icons MIRA uses (the full font is 130 KB; a page should weigh far less on a first load).

    .venv/bin/python scripts/subset_icons.py          # rebuild after using a new icon
    .venv/bin/python scripts/subset_icons.py --check  # exit 1 if an icon in use is missing

Icons are found as `bi-<name>` in templates, Python and JS under mira/ and static/mira/.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "vendor-src" / "bootstrap-icons"
TARGET = ROOT / "static" / "vendor" / "bootstrap-icons"
RULE = re.compile(r"\.bi-([a-z0-9-]+)::?before\{content:\"\\([0-9a-f]+)\"\}")


def icons_in_use(available: set[str]) -> set[str]:
    used = set()
    for path in [*ROOT.joinpath("mira").rglob("*"), *ROOT.joinpath("static", "mira").rglob("*")]:
        if path.suffix not in {".html", ".py", ".js"} or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used.update(name for name in re.findall(r"\bbi-([a-z0-9-]+)", text) if name in available)
        # names handed to templates as data, e.g. MenuEntry(..., "folder2-open", ...) or register_event_kind(..., "pencil")
        used.update(name for name in re.findall(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""", text) if name in available)
    return used


def main() -> int:
    css = (SOURCE / "bootstrap-icons.min.css").read_text(encoding="utf-8")
    codepoints = dict(RULE.findall(css))
    used = sorted(icons_in_use(set(codepoints)))
    rules = "".join(f'.bi-{name}::before{{content:"\\{codepoints[name]}"}}' for name in used)
    head = css[: css.index(".bi-123::before")]
    head = re.sub(r',url\("fonts/bootstrap-icons\.woff\?[0-9a-f]+"\) format\("woff"\)', "", head)
    new_css = head + rules + "\n"
    if "--check" in sys.argv:
        current = (TARGET / "bootstrap-icons.min.css").read_text(encoding="utf-8")
        missing = [name for name in used if f".bi-{name}::before" not in current]
        if missing:
            print(f"Icons in use but not in the subset: {missing}. Run: .venv/bin/python scripts/subset_icons.py")
            return 1
        return 0
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    font = subset.load_font(str(SOURCE / "bootstrap-icons.woff2"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[int(codepoints[name], 16) for name in used])
    subsetter.subset(font)
    TARGET.joinpath("fonts").mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET / "fonts" / "bootstrap-icons.woff2"), options)
    (TARGET / "bootstrap-icons.min.css").write_text(new_css, encoding="utf-8")
    (TARGET / "LICENSE").write_text((SOURCE / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    size = (TARGET / "fonts" / "bootstrap-icons.woff2").stat().st_size
    print(f"{len(used)} icons, font {size / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

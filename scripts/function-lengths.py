#!/usr/bin/env python3
"""Lists the longest functions of src/ (lines from a definition at column 0 to its closing brace
at column 0), for the code-review figures of docs/architecture.md.

Usage: scripts/function-lengths.py [--top N] [--over LINES] [SRC_DIR]
Prints "lines  file:line  name" for the N longest, then how many exceed LINES."""
import argparse
import pathlib
import re

DEFINITION = re.compile(r"^[A-Za-z_][^;{}()]*?([A-Za-z_][\w:~<>]*)\s*\(.*\)\s*(const\s*)?(noexcept\s*)?(->[^{]*)?\{\s*$")


def functions(path):
    lines = path.read_text(errors="replace").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        start = i
        # A definition may span several lines: join until the line ending in '{'.
        text = line
        while (DEFINITION.match(text) is None and i + 1 < len(lines) and not text.endswith((";", "}"))
               and text and not text.startswith((" ", "#", "/", "}")) and len(text) < 600 and "(" in text):
            i += 1
            text += " " + lines[i].strip()
        match = DEFINITION.match(text)
        if match and not text.startswith(("namespace", "struct", "class", "enum", "union", "extern")):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("}"):
                end += 1
            yield end - start + 1, start + 1, match.group(1)
            i = end
        i += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--over", type=int, default=100)
    parser.add_argument("src", nargs="?", default="src")
    args = parser.parse_args()
    found = []
    for path in sorted(pathlib.Path(args.src).rglob("*.cpp")):
        for length, line, name in functions(path):
            found.append((length, f"{path}:{line}", name))
    found.sort(reverse=True)
    for length, where, name in found[: args.top]:
        print(f"{length:5d}  {where}  {name}")
    print(f"functions over {args.over} lines: {sum(1 for f in found if f[0] > args.over)} of {len(found)}")


if __name__ == "__main__":
    main()

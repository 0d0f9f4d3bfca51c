#!/usr/bin/env python3
"""Which public headers (include/genodose/<module>/) does anything outside their module use?

Usage: scripts/header-usage.py [--private-only] [REPO_DIR]      (default: the repository of this script)

For every header under include/genodose/<module>/ it prints who includes it with
`#include "genodose/<module>/<name>"`:
  other    modules other than its own (library code in src/ and include/; the executables
           src/main.cpp and src/torch_main.cpp count as "programs")
  tests    tests of other modules (tests/unit/<other>/, and fuzz harnesses of another module)
  via      public headers of its own module that include it (it is then part of their
           interface: a module that includes them sees it too)
A header that other modules and their tests do not include is used only inside its module;
unless a header that is public includes it ("via"), it belongs beside the sources in
src/<module>/. The summary counts both.
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"genodose/([a-z_]+)/([A-Za-z0-9_.]+)"', re.M)


def owning_module(path: Path, fuzz_modules: dict) -> tuple:
    """(module, is_test) of the file that does the including."""
    parts = path.parts
    if parts[0] == "include":
        return parts[2], False
    if parts[0] == "src":
        if len(parts) == 2:  # src/main.cpp, src/torch_main.cpp: the executables, above cli
            return "programs", False
        return parts[1], False
    if parts[:2] == ("tests", "unit") and len(parts) > 3:
        return parts[2], True
    if parts[:2] == ("tests", "fuzz"):
        return fuzz_modules.get(path.stem, "fuzz"), True
    return "tests", True


def fuzz_harness_modules(repo: Path) -> dict:
    """fuzz_<target> -> the module whose library it links (tests/fuzz/targets.cmake)."""
    targets = repo / "tests/fuzz/targets.cmake"
    if not targets.exists():
        return {}
    found = re.findall(r"set\(GENODOSE_FUZZ_LIB_([a-z_]+) genodose_([a-z_]+)\)", targets.read_text())
    return {f"fuzz_{target}": module for target, module in found}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    private_only = "--private-only" in sys.argv[1:]
    repo = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    fuzz_modules = fuzz_harness_modules(repo)

    headers = sorted(p.relative_to(repo) for p in (repo / "include/genodose").glob("*/*.hpp"))
    used_by = {h: {"other": set(), "tests": set(), "own": set()} for h in headers}
    sources = [p for d in ("src", "include", "tests") for p in (repo / d).rglob("*")
               if p.suffix in (".cpp", ".hpp", ".in") and p.is_file()]
    for source in sources:
        relative = source.relative_to(repo)
        module, is_test = owning_module(relative, fuzz_modules)
        for header_module, name in INCLUDE.findall(source.read_text(errors="replace")):
            header = Path("include/genodose", header_module, name)
            if header not in used_by:
                continue  # generated (version.hpp) or missing
            if module == header_module:
                kind = "own"
            else:
                kind = "tests" if is_test else "other"
            used_by[header][kind].add(module)

    only_own = [h for h in headers if not used_by[h]["other"] and not used_by[h]["tests"]]
    # Public: used outside the module, or included by a public header of the module (iterated,
    # since that header may itself be public only because another public header includes it).
    public = set(headers) - set(only_own)
    via = defaultdict(set)
    changed = True
    while changed:
        changed = False
        for header in sorted(public):
            for _, name in INCLUDE.findall((repo / header).read_text(errors="replace")):
                included = Path(header.parent, name)
                if included in used_by and included.parent == header.parent:
                    via[included].add(header.name)
                    if included not in public:
                        public.add(included)
                        changed = True
    private = [h for h in headers if h not in public]

    rows = private if private_only else headers
    print(f"{'header':<36} {'other modules':<30} {'tests of other modules':<30} via")
    for header in rows:
        u = used_by[header]
        name = str(header.relative_to("include/genodose"))
        other = ",".join(sorted(u["other"])) or "-"
        tests = ",".join(sorted(u["tests"])) or "-"
        through = ",".join(sorted(via[header])) or "-"
        print(f"{name:<36} {other:<30} {tests:<30} {through}")
    print(f"\n{len(headers)} public headers; {len(only_own)} are included by no other module (nor by "
          f"another module's tests), of which {len(only_own) - len(private)} are included by a public "
          f"header of their module and {len(private)} by nothing public: "
          + (", ".join(str(h.relative_to("include/genodose")) for h in private) or "none") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: argument parsing, exit codes and wiring. No analysis happens here.

Exit codes: 0 no findings at or above --fail-on; 1 findings; 2 usage, config or internal error.
Files that could not be analysed are reported on stderr (and in JSON/SARIF) and do not stop the scan.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional

from keylint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


class UsageError(Exception):
    pass


def _codes_arg(text: str) -> List[str]:
    from keylint.config import CODE_RE

    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    bad = [c for c in codes if not CODE_RE.match(c)]
    if bad:
        raise argparse.ArgumentTypeError(f"not a rule code or prefix: {', '.join(bad)} (expected e.g. KEY1 or KEY301)")
    return codes


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other usage error
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="keylint", description="Find credential anti-patterns in Python code bases.")
    parser.add_argument("--version", action="version", version=f"keylint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="scan files and directories (default: .)")
    check.add_argument("paths", nargs="*", default=None, metavar="PATH")
    check.add_argument("--format", "-f", choices=FORMATS, default="text")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--select", type=_codes_arg, metavar="CODES", help="only these codes/prefixes (comma-separated)")
    check.add_argument("--extend-select", type=_codes_arg, metavar="CODES", help="add codes to the selection (e.g. opt-in rules)")
    check.add_argument("--ignore", type=_codes_arg, metavar="CODES", help="skip these codes/prefixes")
    check.add_argument("--fail-on", choices=("error", "warning", "note"), help="lowest severity that fails the run (default: note)")
    check.add_argument("--config", metavar="FILE", help="pyproject.toml or keylint.toml to read instead of the nearest pyproject.toml")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument("--statistics", action="store_true", help="print a count per rule")
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    check.add_argument("--diff", "--changed-since", dest="diff", metavar="REV", help="scan only files changed against a git revision")
    semgrep = check.add_mutually_exclusive_group()
    semgrep.add_argument("--semgrep", dest="semgrep", action="store_const", const=True, help="run the bundled Semgrep rules (non-Python files)")
    semgrep.add_argument("--no-semgrep", dest="semgrep", action="store_const", const=False, help="do not run Semgrep")
    check.set_defaults(semgrep=None)

    baseline = sub.add_parser("baseline", help="record current findings so that later checks report only new ones")
    baseline.add_argument("paths", nargs="*", default=None, metavar="PATH")
    baseline.add_argument("--output", "-o", default=".keylint-baseline.json", metavar="FILE")
    baseline.add_argument("--config", metavar="FILE")
    baseline.add_argument("--no-cache", action="store_true")
    baseline.add_argument("--jobs", "-j", type=int, metavar="N")
    baseline.set_defaults(semgrep=None, select=None, extend_select=None, ignore=None, fail_on=None, diff=None)

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument("--semgrep-path", action="store_true", help="print the directory of the bundled Semgrep rules")

    explain = sub.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"keylint: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("keylint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback (KEYLINT_DEBUG=1 shows it)
        if os.environ.get("KEYLINT_DEBUG"):
            raise
        from keylint.detectors import redact_known_formats

        detail = redact_known_formats(str(exc).splitlines()[0] if str(exc) else "")
        print(f"keylint: internal error: {type(exc).__name__}: {detail[:200]}", file=sys.stderr)
        return EXIT_ERROR


def _main(argv: List[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command == "rules":
        return _rules(args)
    if args.command == "explain":
        return _explain(args)
    return _check(args)


def _load_config(args, paths):
    from keylint.config import ConfigError, load_config

    try:
        if args.config:
            config = load_config(Path(args.config), explicit=True)
        else:
            config = load_config(start=Path(paths[0]) if paths else Path.cwd())
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "select", None):
        config.select = args.select
    if getattr(args, "extend_select", None):
        config.extend_select = config.extend_select + args.extend_select
    if getattr(args, "ignore", None):
        config.ignore = config.ignore + args.ignore
    if getattr(args, "fail_on", None):
        config.fail_on = args.fail_on
    if getattr(args, "semgrep", None) is not None:
        config.semgrep = args.semgrep
    if getattr(args, "jobs", None) is not None:
        if args.jobs < 0:
            raise UsageError("--jobs must be >= 0")
        config.jobs = args.jobs
    return config


def _check(args) -> int:
    from keylint import scan as scanning
    from keylint.findings import Severity

    paths = args.paths or ["."]
    config = _load_config(args, paths)
    root = os.getcwd()
    changed_since = getattr(args, "diff", None)
    try:
        result, notices = scanning.run(
            paths,
            config,
            root=root,
            use_cache=not args.no_cache,
            changed_since=changed_since,
            config_dir=os.path.dirname(os.path.abspath(config.source)) if config.source else root,
        )
    except ValueError as exc:
        if changed_since and str(exc).startswith("--diff"):  # git could not list the changed files
            raise UsageError(str(exc)) from None
        raise
    for notice in notices:
        print(f"keylint: {notice}", file=sys.stderr)

    for error in result.errors:
        where = f"{error.path}:{error.line}" if error.line else error.path
        print(f"keylint: {_one_line(where)}: {_one_line(error.reason)}", file=sys.stderr)

    if args.command == "baseline":
        from keylint import baseline

        try:
            count = baseline.write(args.output, result.findings)
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None
        print(f"keylint: wrote {count} finding(s) to {args.output}", file=sys.stderr)
        return EXIT_OK

    if args.baseline:
        from keylint import baseline

        try:
            result.findings = baseline.filter_new(args.baseline, result.findings)
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None

    from keylint.report import RenderOptions, render

    to_tty = args.output is None and sys.stdout.isatty()
    options = RenderOptions(
        color=to_tty and not os.environ.get("NO_COLOR") or bool(os.environ.get("FORCE_COLOR")) and args.output is None,
        statistics=args.statistics,
        quiet=args.quiet,
        tool_version=__version__,
        scan_root=root,
        fail_on=config.fail_on,
    )
    output = render(args.format, result, options)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(output)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    elif output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
        sys.stdout.flush()

    if args.exit_zero:
        return EXIT_OK
    threshold = Severity(config.fail_on).rank
    failing = any(f.severity.rank >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _one_line(text: str) -> str:
    """File names may hold newlines; never let one break the one-line-per-problem promise."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _rules(args) -> int:
    from keylint.rules import all_rules

    if args.semgrep_path:
        from keylint.semgrep import rules_directory

        print(rules_directory())
        return EXIT_OK
    rules = all_rules()
    if args.format == "json":
        import json

        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "confidence": r.confidence.value,
             "cwe": f"CWE-{r.cwe}", "summary": r.short_description(), "default_enabled": r.default_enabled}
            for r in rules
        ]
        print(json.dumps(data, indent=2))
    elif args.format == "markdown":
        print("| code | name | severity | CWE | what it finds |")
        print("|---|---|---|---|---|")
        for r in rules:
            opt = " (opt-in)" if not r.default_enabled else ""
            print(f"| {r.code} | {r.name}{opt} | {r.severity.value} | CWE-{r.cwe} | {r.short_description()} |")
    else:
        for r in rules:
            opt = "  (opt-in)" if not r.default_enabled else ""
            print(f"{r.code}  {r.name:<38} {r.severity.value:<8} {r.short_description()}{opt}")
    return EXIT_OK


def _explain(args) -> int:
    from keylint.rules import RULES

    rule = RULES.get(args.code.upper())
    if rule is None:
        raise UsageError(f"unknown rule code {args.code!r}; `keylint rules` lists them")
    print(f"{rule.code} {rule.name}  [{rule.severity.value}, CWE-{rule.cwe}{', opt-in' if not rule.default_enabled else ''}]")
    print()
    print(rule.docs())
    return EXIT_OK

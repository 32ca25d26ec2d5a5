"""The ``taf`` command line: list, describe, presets, run, profile, compare.

Bad input prints one clear sentence on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__, registry
from .api import compare_models, profile_model
from .chain import to_json
from .data.presets import ARCH_FIELDS
from .markdown import result_markdown
from .model import hub
from .params import INPUT_FORMS, ParamError, safe_text, show
from .textfmt import format_compare, format_profile, format_result, format_value

EXIT_BAD_INPUT = 2
#: the only other failure status: the output could not be written (a full disk, a closed stdout)
EXIT_CANNOT_WRITE = 1
#: a config file (or standard input) is read up to this many bytes; real config.json files are < 100 kB
MAX_CONFIG_FILE_BYTES = 1_000_000
#: --config's help: the architecture fields a config.json fills (``ARCH_FIELDS``, defined once)
CONFIG_HELP = f"config.json whose architecture fills {', '.join(ARCH_FIELDS)} (explicit name=value still override)"


class CliError(Exception):
    pass


class OutputError(Exception):
    """Standard output could not be written."""


def say_error(message: str) -> None:
    """One sentence on stderr; nothing (and no traceback) when stderr is closed or unwritable."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"taf: error: {safe_text(message)}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def emit(text: str) -> None:
    """Write one result to stdout (flushed here, so a full disk is reported, not a traceback at exit)."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed")
    try:
        stream.write(safe_text(text) + "\n")
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise OutputError(getattr(exc, "strerror", None) or str(exc)) from None


def parse_assignments(items: Sequence[str]) -> dict:
    """['T_eval=32k', 'has_SWA=true'] → {'T_eval': '32k', 'has_SWA': 'true'}."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"expected name=value, got {item!r} (for example T_eval=32k)")
        if name.strip() in params:
            raise CliError(f"parameter {name.strip()!r} is given twice")
        params[name.strip()] = value
    return params


def read_config_file(path: str) -> str:
    """The text of a config.json file (``-`` = standard input), at most MAX_CONFIG_FILE_BYTES;
    CliError if it cannot be read, is larger, or is not UTF-8 text."""
    name = "standard input" if path == "-" else f"config file {safe_text(path)!r}"
    limit = MAX_CONFIG_FILE_BYTES
    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise CliError("cannot read standard input ('-'): it is closed; pass a config.json file or pipe one in")
            data = stream.read(limit + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}")
    except ValueError:  # a closed standard input
        raise CliError(f"cannot read {name}: it is closed")
    if len(data) > limit:
        raise CliError(f"cannot read {name}: it is larger than {limit:,} bytes, the limit for a config.json")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"cannot read {name}: it is not UTF-8 text (byte {exc.start + 1:,})")


def _emit_error(result: dict) -> int:
    say_error(result["error"]["message"])
    return EXIT_BAD_INPUT


def cmd_list(args) -> int:
    recipes = registry.list_recipes()
    if args.json:
        emit(to_json(recipes))
        return 0
    lines = [f"{r['id']:<5} {r['name']:<34} {r['description']}" for r in recipes]
    lines.append("\nRun `taf describe ID` for a recipe's parameters, `taf presets` for the model presets.")
    emit("\n".join(lines))
    return 0


def cmd_describe(args) -> int:
    try:
        recipe = registry.get_recipe(args.recipe)
    except ParamError as err:
        return _emit_error(err.as_result())
    info = recipe.describe()
    if args.json:
        emit(to_json(info))
        return 0
    lines = [f"{info['id']} · {info['name']} — {info['description']}", f"sections: {', '.join(info['sections'])}\n"]
    for p in recipe.params:
        shown = format_value(p.default) if p.default is not None else "none"
        default = "required" if p.required else f"default {shown}"
        if p.default_from:
            default = f"default: {p.default_from}"
        preset = "  (from preset)" if p.preset_key else ""
        unit = f" [{p.unit}]" if p.unit else ""
        lines.append(f"  {p.name}{unit}: {p.allowed_text()}; {default}{preset}")
        lines.append(f"      {p.help}")
    lines.append("\n" + INPUT_FORMS)
    emit("\n".join(lines))
    return 0


def cmd_presets(args) -> int:
    presets = registry.list_presets()
    if args.json:
        emit(to_json(presets))
        return 0
    emit(
        "\n".join(
            f"{row['id']:<36} θ={format_value(row['theta']):<12} T_train={row['T_train']:<7,} "
            f"N={row['n_params']:.3g}"
            for row in presets
        )
    )
    return 0


def model_params(args) -> dict:
    """name=value pairs, plus the model as --config FILE or --preset ID. The CLI only gathers what was
    typed: which value wins (typed > the model's > default) is ``taf.registry.value_source``'s rule."""
    params = parse_assignments(args.assignments)
    for what, flag, name, value in (
        ("config.json", "--config FILE", "config", args.config),
        ("preset", "--preset ID", "preset", args.preset),
    ):
        if value:
            if name in params:
                raise CliError(f"give the {what} either as {flag} or as {name}=..., not both")
            params[name] = read_config_file(value) if name == "config" else value
    return params


def cmd_run(args) -> int:
    params = model_params(args)
    result = registry.run_recipe(args.recipe, **params)
    if "error" in result:
        return _emit_error(result)
    if args.markdown:
        emit(result_markdown(result))
    else:
        emit(registry.dumps(result) if args.json else read_as(args.recipe, params) + format_result(result))
    return 0


def read_as(recipe_id: str, params: dict) -> str:
    """The rule behind each value typed with a multiplier or unit (``T_eval = 32k: k = 1,000 …``)."""
    notes = registry.input_notes(recipe_id, params)
    return "".join(f"(read {name} = {params[name]}: {note})\n" for name, note in notes.items())


def cmd_profile(args) -> int:
    params = model_params(args)
    card = profile_model(**params)
    if "error" in card:
        return _emit_error(card)
    emit(registry.dumps(card) if args.json else format_profile(card))
    return 0


def cmd_compare(args) -> int:
    shared = parse_assignments(args.assignments)
    models = [{"preset": p} for p in (args.preset or [])]
    table = compare_models(models, args.recipe, shared)
    if "error" in table:
        return _emit_error(table)
    emit(registry.dumps(table) if args.json else format_compare(table))
    return 0


def cmd_model(args) -> int:
    """M-1 on a config.json file, or on a Hugging Face model's config.json fetched by its id (org/name)."""
    params = parse_assignments(args.assignments)
    if "config" in params:
        raise CliError(
            f"config={show(params['config'])} is not used: `taf model` reads the config from its "
            f"file argument ({safe_text(args.config)!r}); drop config="
        )
    source = args.config
    if os.path.isdir(source):  # a downloaded model folder
        source = os.path.join(source, "config.json")
    if source != "-" and not os.path.exists(source) and hub.is_model_id(source):
        try:
            text = hub.fetch_config(source, args.revision)
        except ParamError as err:
            say_error(err.error["message"])
            return EXIT_BAD_INPUT
        shown_source = hub.config_url(source, args.revision)
    else:
        text = read_config_file(source)
        shown_source = source
    params["config"] = text
    result = registry.run_recipe("M-1", **params)
    if "error" in result:
        say_error(f"{shown_source}: {result['error']['message']}")
        return EXIT_BAD_INPUT
    if args.json:
        emit(registry.dumps(result))
        return 0
    shown = dict(result, inputs=dict(result["inputs"], config=f"{shown_source} ({len(text):,} characters)"))
    emit(result_markdown(shown) if args.markdown else format_result(shown))
    return 0


def cmd_models(args) -> int:
    """Search the model catalog by name (every word must match); no query lists the featured presets."""
    hits = registry.search_models(" ".join(args.query), args.limit)
    if args.json:
        emit(to_json(hits))
        return 0
    if not hits:
        emit(f"no catalog model matches {' '.join(args.query)!r}; any Hugging Face model: taf model org/name")
        return 0
    emit(
        "\n".join(
            f"{h['id']:<48} {h['family']:<14} {h['total_params'] / 1e9:>9,.2f} B"
            + ("" if h["active_params"] == h["total_params"] else f" ({h['active_params'] / 1e9:,.2f} B active)")
            for h in hits
        )
    )
    return 0


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one sentence on stderr (status 2), like every other bad input."""

    def error(self, message: str) -> NoReturn:
        say_error(f"{message} (see `{self.prog} --help`)")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="taf",
        description="TAF Browser: LLM viability questions answered as chains of formulas.",
        epilog=INPUT_FORMS,
    )
    parser.add_argument("--version", action="version", version=f"taf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the recipes")
    p.add_argument("--json", action="store_true", help="print list_recipes() as JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("describe", help="show a recipe's parameters")
    p.add_argument("recipe", metavar="RECIPE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("presets", help="list the model presets")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("run", help="run one recipe")
    p.add_argument("recipe", metavar="RECIPE", help="recipe id, e.g. X-2")
    p.add_argument("assignments", nargs="*", metavar="name=value")
    p.add_argument("--preset", metavar="ID", help="model preset filling the architecture parameters")
    p.add_argument(
        "--config",
        metavar="FILE",
        help=CONFIG_HELP,
    )
    p.add_argument("--json", action="store_true", help="print exactly run_recipe_json()")
    p.add_argument("--markdown", action="store_true", help="print the result as Markdown (the chain as a table)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("profile", help="the TAF card of one model (every applicable recipe)")
    p.add_argument("assignments", nargs="*", metavar="name=value")
    p.add_argument("--preset", metavar="ID")
    p.add_argument(
        "--config",
        metavar="FILE",
        help=CONFIG_HELP,
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("model", help="M-1: read a config.json — exact parameters, KV cache per token, θ, T_train")
    p.add_argument(
        "config",
        metavar="CONFIG",
        help="path to a Hugging Face config.json ('-' reads standard input), or a model id (org/name) "
        "whose config.json is fetched from huggingface.co",
    )
    p.add_argument("--revision", default="main", help="branch, tag or commit of a fetched config.json (default main)")
    p.add_argument("assignments", nargs="*", metavar="name=value", help="e.g. kv_dtype_bytes=1")
    p.add_argument("--json", action="store_true", help="print exactly run_recipe_json('M-1', ...)")
    p.add_argument("--markdown", action="store_true", help="print the result as Markdown")
    p.set_defaults(func=cmd_model)

    p = sub.add_parser("models", help="search the model catalog by name (e.g. taf models qwen3 30b)")
    p.add_argument("query", nargs="*", metavar="WORD")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="print taf.search_models() as JSON")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("compare", help="one recipe over 2–6 models side by side")
    p.add_argument("recipe", metavar="RECIPE")
    p.add_argument("assignments", nargs="*", metavar="name=value", help="parameters shared by every model")
    p.add_argument("--preset", metavar="ID", action="append", help="a model preset (repeat 2–6 times)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # name=value pairs may come before or after options (argparse stops a nargs="*"
    # positional at the first option), so collect the leftovers here.
    try:
        args, extras = parser.parse_known_args(argv)
    except SystemExit as exit_:  # --help, --version (0) or a usage error (2, already printed)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    options = [e for e in extras if e.startswith("-")]
    if options or (extras and not hasattr(args, "assignments")):
        say_error(f"unrecognized arguments: {' '.join(options or extras)} (see taf --help)")
        return EXIT_BAD_INPUT
    if extras:
        args.assignments = list(args.assignments) + extras
    try:
        return args.func(args)
    except CliError as err:
        say_error(str(err))
        return EXIT_BAD_INPUT
    except OutputError as err:
        say_error(f"cannot write output: {err}")
        _silence_stdout()
        return EXIT_CANNOT_WRITE
    except BrokenPipeError:
        # the reader went away (`taf run ... | head`): stop quietly, as Unix tools do
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of unwritable output stays quiet."""
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

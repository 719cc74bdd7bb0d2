// Command-line options for the `verdict` subcommands, read with Node's util.parseArgs
// (`--name value`, `--name=value`, `-h`, `--` before a file named like an option) instead of
// a hand-written loop per command. Failures come back as the short sentence the commands
// print, naming the option, rather than as a thrown error.
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export type ReadArgs<O extends Options> =
  | { values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"]; positionals: string[] }
  /** `option` is set when an option was given without its value: the command says what it needs */
  | { error: string; option?: string };

export function readArgs<O extends Options>(args: string[], options: O): ReadArgs<O> {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    const named = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return { error: `unknown option ${named ?? message}` };
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && named) {
      if (/does not take an argument/.test(message)) return { error: `${named} takes no value` };
      return { error: `${named} needs a value`, option: named };
    }
    return { error: message };
  }
}

/** `--help` or `-h` anywhere: help wins over every other problem. */
export const asksForHelp = (args: string[]) => args.some((a) => a === "--help" || a === "-h");

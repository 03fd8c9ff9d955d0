//! A query may begin with the exclusion operator, as typed: `aes-search "-Telegram sommet"` or
//! `aes-search -Telegram sommet` search instead of failing on an unknown `-T`. Only a command line
//! that clap refused is read again, so every one it accepted keeps its meaning (`-n5` is still
//! `--limit 5`, and an unknown `--jsn` is still an error, which `allow_hyphen_values` would lose).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Parser;

/// Put before a word read again as a query word, so clap takes it for a value. The system passes
/// arguments as C strings, so no real argument holds it: [`unmark`] removes exactly what we added.
const MARK: char = '\0';

/// Parses `args` as clap would; when that fails, reads again as query words the arguments that
/// start with one `-` and hold a space (never a flag here), then each word clap refuses as an
/// unknown short flag, as long as `query` finds every such word among the query's words. Otherwise
/// the first error stands. The query words come back marked: pass them through [`unmark`].
pub fn parse<T: Parser>(
    args: Vec<OsString>,
    query: impl Fn(&T) -> Option<&[String]>,
) -> Result<T, clap::Error> {
    let refused = match T::try_parse_from(&args) {
        Ok(opts) => return Ok(opts),
        Err(err) => err,
    };
    let mut args = args;
    let mut marked = mark_spaced_words(&mut args);
    let mut culprit = unknown_short_word(&refused, &args);
    // Each round marks one more argument, so this ends.
    loop {
        if let Some(i) = culprit {
            args[i] = marked_word(&args[i]);
            marked += 1;
        }
        if marked == 0 {
            return Err(refused);
        }
        match T::try_parse_from(&args) {
            Ok(opts) if query(&opts).is_some_and(|q| marked_count(q) == marked) => return Ok(opts),
            Ok(_) => return Err(refused),
            Err(err) => culprit = unknown_short_word(&err, &args),
        }
        if culprit.is_none() {
            return Err(refused);
        }
    }
}

/// The query as typed: the marks that [`parse`] added removed.
pub fn unmark(query: &str) -> String {
    query.replace(MARK, "")
}

/// Marks the arguments before `--` that start with one `-` and hold whitespace; returns how many.
fn mark_spaced_words(args: &mut [OsString]) -> usize {
    let spaced: Vec<usize> = flag_positions(args)
        .filter(|&i| args[i].to_string_lossy().contains(char::is_whitespace))
        .collect();
    for &i in &spaced {
        args[i] = marked_word(&args[i]);
    }
    spaced.len()
}

/// The argument clap refused as an unknown short flag (`-T` for `-Telegram`): the first one
/// before `--` that starts with that flag. Clap cannot have taken an earlier one as an option's
/// value, as it reads no value that starts with `-` there.
fn unknown_short_word(err: &clap::Error, args: &[OsString]) -> Option<usize> {
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(flag)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    if flag.starts_with("--") {
        return None;
    }
    flag_positions(args).find(|&i| args[i].to_string_lossy().starts_with(flag.as_str()))
}

/// Where flags can be: the arguments after the program's name that start with one `-`, up to `--`.
fn flag_positions(args: &[OsString]) -> impl Iterator<Item = usize> + '_ {
    args.iter()
        .enumerate()
        .skip(1)
        .take_while(|(_, a)| *a != "--")
        .filter(|(_, a)| {
            let a = a.to_string_lossy();
            a.starts_with('-') && !a.starts_with("--") && a.len() > 1
        })
        .map(|(i, _)| i)
}

fn marked_word(arg: &OsString) -> OsString {
    let mut word = OsString::from(MARK.to_string());
    word.push(arg);
    word
}

fn marked_count(words: &[String]) -> usize {
    words.iter().filter(|w| w.starts_with(MARK)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Parser, Debug)]
    struct Opts {
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        index: Option<String>,
        query: Vec<String>,
    }

    fn run(args: &[&str]) -> Result<(String, usize, bool), String> {
        let args = std::iter::once("aes-search").chain(args.iter().copied());
        parse::<Opts>(args.map(OsString::from).collect(), |o| Some(&o.query))
            .map(|o| (unmark(&o.query.join(" ")), o.limit, o.json))
            .map_err(|e| e.kind().to_string())
    }

    #[test]
    fn hyphen_words_are_query_words_and_flags_stay_flags() {
        // A table: arguments, then the query, limit and --json they read as.
        type Case<'a> = (&'a [&'a str], (&'a str, usize, bool));
        let table: &[Case] = &[
            (&["-Telegram sommet"], ("-Telegram sommet", 10, false)),
            (&["-Telegram", "sommet"], ("-Telegram sommet", 10, false)),
            (
                &["sommet", "-Telegram", "--json"],
                ("sommet -Telegram", 10, true),
            ),
            (&["--json", "-niger sommet"], ("-niger sommet", 10, true)),
            (
                &["-Telegram", "-cookies", "sommet"],
                ("-Telegram -cookies sommet", 10, false),
            ),
            (
                &["-Telegram", "-n5", "sommet"],
                ("-Telegram sommet", 5, false),
            ),
            (&["-n5", "sommet"], ("sommet", 5, false)),
            (&["--", "-x"], ("-x", 10, false)),
            (&["-2024", "sommet"], ("-2024 sommet", 10, false)),
        ];
        for (args, want) in table {
            let want = (want.0.to_string(), want.1, want.2);
            assert_eq!(run(args), Ok(want), "{args:?}");
        }
    }

    #[test]
    fn a_refused_command_line_keeps_its_first_error() {
        let table: &[(&[&str], &str)] = &[
            (&["--jsn", "x"], "unexpected argument found"),
            (&["-Telegram", "--jsn"], "unexpected argument found"),
            (&["--index", "-x y"], "unexpected argument found"),
            (&["-nation"], "invalid value for one of the arguments"),
        ];
        for (args, kind) in table {
            assert_eq!(run(args).map(|_| ()), Err(kind.to_string()), "{args:?}");
        }
    }
}

//! A minimal command line parser shared by the bench binaries (no dependency needed for
//! `--quick`, `--runs N` and a few `--name value` options).

use std::collections::BTreeMap;
use std::str::FromStr;

/// Parsed command line: `--quick`, `--runs N`, and the binary's own `--name value` options.
#[derive(Debug, Default)]
pub struct Args {
    /// `--quick`: the CI smoke run (few runs, small inputs).
    pub quick: bool,
    /// `--runs N`: how many measured runs each median is taken over.
    pub runs: Option<usize>,
    options: BTreeMap<String, String>,
}

impl Args {
    /// Parses `std::env::args()`. `options` lists the `--name value` options this binary takes
    /// as `(name, description)`; `--help` prints them with `about` and exits.
    pub fn parse(about: &str, options: &[(&str, &str)]) -> Args {
        match Self::parse_from(std::env::args().skip(1), options) {
            Ok(Some(args)) => args,
            Ok(None) => {
                println!("{}", usage(about, options));
                std::process::exit(0);
            }
            Err(message) => {
                eprintln!("error: {message}\n\n{}", usage(about, options));
                std::process::exit(2);
            }
        }
    }

    /// Parses the given arguments; `Ok(None)` means `--help` was asked for.
    pub fn parse_from(
        args: impl IntoIterator<Item = String>,
        options: &[(&str, &str)],
    ) -> Result<Option<Args>, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            match name.as_str() {
                "--help" | "-h" => return Ok(None),
                "--quick" => parsed.quick = true,
                _ => {
                    let key = name
                        .strip_prefix("--")
                        .filter(|key| *key == "runs" || options.iter().any(|(n, _)| n == key))
                        .ok_or_else(|| format!("unknown argument `{arg}`"))?;
                    let value = inline
                        .or_else(|| args.next())
                        .ok_or_else(|| format!("`--{key}` needs a value"))?;
                    if key == "runs" {
                        let runs: usize = value.parse().map_err(|_| format!("`--runs {value}`: not a number"))?;
                        parsed.runs = Some(runs.max(1));
                    } else {
                        parsed.options.insert(key.to_owned(), value);
                    }
                }
            }
        }
        Ok(Some(parsed))
    }

    /// The number of runs: `--runs`, else `quick` in quick mode and `full` otherwise.
    pub fn runs_or(&self, quick: usize, full: usize) -> usize {
        self.runs.unwrap_or(if self.quick { quick } else { full })
    }

    /// The raw value of `--name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// A comma-separated list option (`--scales 1,10,100`); exits with a message if an element
    /// does not parse.
    pub fn list<T: FromStr>(&self, name: &str) -> Option<Vec<T>> {
        let raw = self.get(name)?;
        let parsed: Result<Vec<T>, _> = raw.split(',').map(|s| s.trim().parse::<T>()).collect();
        match parsed {
            Ok(list) => Some(list),
            Err(_) => {
                eprintln!("error: `--{name} {raw}` is not a comma-separated list of numbers");
                std::process::exit(2);
            }
        }
    }

    /// A single-valued numeric option; exits with a message if it does not parse.
    pub fn number<T: FromStr>(&self, name: &str) -> Option<T> {
        let raw = self.get(name)?;
        match raw.parse() {
            Ok(value) => Some(value),
            Err(_) => {
                eprintln!("error: `--{name} {raw}` is not a number");
                std::process::exit(2);
            }
        }
    }
}

fn usage(about: &str, options: &[(&str, &str)]) -> String {
    let mut text = format!(
        "{about}\n\nOptions:\n  --quick        CI smoke run: few runs, small inputs\n  --runs N       measured runs per median\n"
    );
    for (name, description) in options {
        text.push_str(&format!("  --{name:<12} {description}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        Args::parse_from(args.iter().map(|s| s.to_string()), &[("scales", "scales")])
    }

    #[test]
    fn flags_and_options() {
        let args = parse(&["--quick", "--runs", "3", "--scales=1,10"]).unwrap().unwrap();
        assert!(args.quick);
        assert_eq!(args.runs_or(1, 5), 3);
        assert_eq!(args.list::<usize>("scales"), Some(vec![1, 10]));
    }

    #[test]
    fn defaults_depend_on_quick() {
        let args = parse(&[]).unwrap().unwrap();
        assert_eq!(args.runs_or(1, 5), 5);
        assert_eq!(args.get("scales"), None);
    }

    #[test]
    fn unknown_and_incomplete_arguments_are_refused() {
        assert!(parse(&["--fast"]).is_err());
        assert!(parse(&["--runs"]).is_err());
        assert!(parse(&["--help"]).unwrap().is_none());
    }
}

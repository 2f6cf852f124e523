//! Credentials and base URL from the environment variables the Atlas CLI and MongoDB's
//! Terraform provider read, so one environment configures all three.
//!
//! Sources, checked for each name below:
//! - Atlas CLI, "Atlas CLI Environment Variables"
//!   (<https://www.mongodb.com/docs/atlas/cli/current/atlas-cli-env-variables/>):
//!   `MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET`, `MONGODB_ATLAS_PUBLIC_API_KEY`,
//!   `MONGODB_ATLAS_PRIVATE_API_KEY`, `MONGODB_ATLAS_ACCESS_TOKEN`. Its base URL setting,
//!   `ops_manager_url`, is read from `MONGODB_ATLAS_OPS_MANAGER_URL` (not on that page; the
//!   CLI's own `CONTRIBUTING.md` and test set-up use it).
//! - Terraform provider, "Guide: Provider Configuration"
//!   (<https://registry.terraform.io/providers/mongodb/mongodbatlas/latest/docs/guides/provider-configuration>)
//!   and its `internal/config/credentials.go` (`NewEnvVars`): `MONGODB_ATLAS_ACCESS_TOKEN`,
//!   `MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET`, `MONGODB_ATLAS_PUBLIC_API_KEY`
//!   or its older name `MONGODB_ATLAS_PUBLIC_KEY`, `MONGODB_ATLAS_PRIVATE_API_KEY` or
//!   `MONGODB_ATLAS_PRIVATE_KEY`, and `MONGODB_ATLAS_BASE_URL`.
//!
//! One difference on purpose: with credentials of two kinds set, Terraform picks one (access
//! token, then service account, then API key) and warns; here that is an error naming the
//! variables, since a library cannot know which one its caller meant.

use crate::auth::Credentials;
use crate::error::Error;
use crate::secret::Secret;

/// `MONGODB_ATLAS_ACCESS_TOKEN`: a bearer token (both tools).
const ACCESS_TOKEN: &[&str] = &["MONGODB_ATLAS_ACCESS_TOKEN"];
/// A service account's client id (both tools).
const CLIENT_ID: &[&str] = &["MONGODB_ATLAS_CLIENT_ID"];
/// A service account's client secret (both tools).
const CLIENT_SECRET: &[&str] = &["MONGODB_ATLAS_CLIENT_SECRET"];
/// An API key's public key: the Atlas CLI's name, then Terraform's older one.
const PUBLIC_KEY: &[&str] = &["MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PUBLIC_KEY"];
/// An API key's private key: the Atlas CLI's name, then Terraform's older one.
const PRIVATE_KEY: &[&str] = &["MONGODB_ATLAS_PRIVATE_API_KEY", "MONGODB_ATLAS_PRIVATE_KEY"];
/// The base URL: Terraform's name, then the Atlas CLI's.
const BASE_URL: &[&str] = &["MONGODB_ATLAS_BASE_URL", "MONGODB_ATLAS_OPS_MANAGER_URL"];

/// What the environment configures.
#[derive(Debug)]
pub(crate) struct FromEnv {
    /// The credentials.
    pub(crate) credentials: Credentials,
    /// The base URL, if set.
    pub(crate) base_url: Option<String>,
}

/// One variable as found: the name it was set under and its value.
type Found = Option<(&'static str, String)>;

/// Reads the configuration through `var` (the process environment, or a test's map). An empty
/// variable counts as unset, as in both tools. Every problem is named in one error: variables
/// missing for the credentials begun, credentials of more than one kind, two names of one
/// variable set to different values. Values never appear in the message.
pub(crate) fn read(var: impl Fn(&str) -> Option<String>) -> Result<FromEnv, Error> {
    let mut problems = Vec::new();
    let mut get = |names: &'static [&'static str]| -> Found {
        // Surrounding blanks are no part of a value (a value of blanks is no value), and two
        // base URLs that differ only by a final `/` are the same.
        let set: Vec<(&'static str, String)> = names
            .iter()
            .filter_map(|name| var(name).map(|v| (*name, v.trim().to_owned())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
        if set.iter().any(|(_, v)| !same(v, &set[0].1)) {
            let names: Vec<&str> = set.iter().map(|(n, _)| *n).collect();
            problems.push(format!(
                "{} are set to different values (keep one)",
                names.join(" and ")
            ));
        }
        set.into_iter().next()
    };
    let token = get(ACCESS_TOKEN);
    let (client_id, client_secret) = (get(CLIENT_ID), get(CLIENT_SECRET));
    let (public_key, private_key) = (get(PUBLIC_KEY), get(PRIVATE_KEY));
    let base_url = get(BASE_URL).map(|(_, url)| url);

    let name = |found: &Found| found.as_ref().map(|(n, _)| *n);
    let kinds: Vec<String> = [
        ("an access token", vec![name(&token)]),
        ("a service account", vec![name(&client_id), name(&client_secret)]),
        ("an API key", vec![name(&public_key), name(&private_key)]),
    ]
    .into_iter()
    .filter_map(|(kind, names)| {
        let set: Vec<&str> = names.into_iter().flatten().collect();
        (!set.is_empty()).then(|| format!("{kind} ({})", set.join(", ")))
    })
    .collect();
    if kinds.len() > 1 {
        problems.push(format!(
            "credentials of more than one kind are set: {} (keep one)",
            kinds.join("; ")
        ));
    }
    let mut pair = |a: &Found, a_names: &[&str], b: &Found, b_names: &[&str]| {
        for (found, other, missing) in [(a, b, b_names), (b, a, a_names)] {
            if found.is_some() && other.is_none() {
                problems.push(format!(
                    "{} is set but {} is not",
                    name(found).unwrap_or_default(),
                    missing[0]
                ));
            }
        }
    };
    pair(&client_id, CLIENT_ID, &client_secret, CLIENT_SECRET);
    pair(&public_key, PUBLIC_KEY, &private_key, PRIVATE_KEY);
    if kinds.is_empty() {
        problems.push(format!(
            "no credentials: set {} and {} (a service account), {} and {} (an API key), or {}",
            CLIENT_ID[0], CLIENT_SECRET[0], PUBLIC_KEY[0], PRIVATE_KEY[0], ACCESS_TOKEN[0]
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Config(format!("from the environment: {}", problems.join("; "))));
    }
    let credentials = match (token, client_id, client_secret, public_key, private_key) {
        (Some((_, token)), ..) => Credentials::Bearer(Secret::new(token)),
        (_, Some((_, client_id)), Some((_, secret)), ..) => Credentials::ServiceAccount {
            client_id,
            client_secret: Secret::new(secret),
        },
        (.., Some((_, public_key)), Some((_, private_key))) => Credentials::ApiKey {
            public_key,
            private_key: Secret::new(private_key),
        },
        // Every other combination is one of the problems above.
        _ => Credentials::None,
    };
    Ok(FromEnv { credentials, base_url })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    fn problem(pairs: &[(&str, &str)]) -> String {
        read(env(pairs)).unwrap_err().to_string()
    }

    #[test]
    fn each_kind_of_credentials_and_the_base_url_under_either_tools_names() {
        let found = read(env(&[
            ("MONGODB_ATLAS_CLIENT_ID", "id"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "secret"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "https://cloud.mongodbgov.com"),
        ]))
        .unwrap();
        assert!(matches!(found.credentials, Credentials::ServiceAccount { ref client_id, .. } if client_id == "id"));
        assert_eq!(found.base_url.as_deref(), Some("https://cloud.mongodbgov.com"));
        for (public, private) in [
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"),
            ("MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_KEY"),
            ("MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"),
        ] {
            let found = read(env(&[(public, "pub"), (private, "priv")])).unwrap();
            assert!(
                matches!(found.credentials, Credentials::ApiKey { ref public_key, ref private_key }
                    if public_key == "pub" && private_key.expose() == "priv"),
                "{public} + {private}"
            );
            assert_eq!(found.base_url, None);
        }
        let found = read(env(&[
            ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
            ("MONGODB_ATLAS_BASE_URL", "u"),
        ]))
        .unwrap();
        assert!(matches!(found.credentials, Credentials::Bearer(ref t) if t.expose() == "tok"));
        // The same value under both names is no conflict.
        let same = [
            ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
            ("MONGODB_ATLAS_BASE_URL", "u"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "u"),
        ];
        assert!(read(env(&same)).is_ok());
    }

    #[test]
    fn every_missing_or_conflicting_variable_is_named_and_no_value_is_shown() {
        let message = problem(&[]);
        for name in [
            "MONGODB_ATLAS_CLIENT_ID",
            "MONGODB_ATLAS_CLIENT_SECRET",
            "MONGODB_ATLAS_PUBLIC_API_KEY",
            "MONGODB_ATLAS_PRIVATE_API_KEY",
            "MONGODB_ATLAS_ACCESS_TOKEN",
        ] {
            assert!(message.contains(name), "{message}");
        }
        let message = problem(&[
            ("MONGODB_ATLAS_CLIENT_ID", "id"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "PRIV-VALUE"),
        ]);
        assert!(
            message.contains("MONGODB_ATLAS_CLIENT_ID is set but MONGODB_ATLAS_CLIENT_SECRET is not"),
            "{message}"
        );
        assert!(
            message.contains("MONGODB_ATLAS_PRIVATE_KEY is set but MONGODB_ATLAS_PUBLIC_API_KEY is not"),
            "{message}"
        );
        assert!(message.contains("more than one kind"), "{message}");
        let message = problem(&[
            ("MONGODB_ATLAS_CLIENT_ID", "id"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "SA-SECRET"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "KEY-SECRET"),
        ]);
        assert!(
            message.contains("a service account (MONGODB_ATLAS_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET)")
                && message.contains("an API key (MONGODB_ATLAS_PUBLIC_API_KEY, MONGODB_ATLAS_PRIVATE_API_KEY)"),
            "{message}"
        );
        let message = problem(&[
            ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "KEY-SECRET"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "OTHER-SECRET"),
        ]);
        assert!(
            message.contains("MONGODB_ATLAS_PRIVATE_API_KEY and MONGODB_ATLAS_PRIVATE_KEY are set to different values"),
            "{message}"
        );
        for shown in [problem(&[("MONGODB_ATLAS_CLIENT_SECRET", "SA-SECRET")]), message] {
            assert!(!shown.contains("KEY-SECRET") && !shown.contains("SA-SECRET") && !shown.contains("OTHER-SECRET"));
        }
        // An empty variable is unset.
        assert!(problem(&[("MONGODB_ATLAS_ACCESS_TOKEN", "")]).contains("no credentials"));
    }

    #[test]
    fn the_same_base_url_with_and_without_a_final_slash_is_no_conflict_and_blanks_are_no_value() {
        let found = read(env(&[
            ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
            ("MONGODB_ATLAS_BASE_URL", "https://cloud.mongodb.com/"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", " https://cloud.mongodb.com "),
            ("MONGODB_ATLAS_CLIENT_ID", "   "),
        ]));
        assert!(found.is_ok(), "{:?}", found.err());
        let message = problem(&[
            ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
            ("MONGODB_ATLAS_BASE_URL", "https://a.example"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "https://b.example"),
        ]);
        assert!(message.contains("are set to different values"), "{message}");
    }

    #[test]
    fn the_worst_environment_is_named_whole_within_a_kilobyte() {
        let message = problem(&[
            ("MONGODB_ATLAS_CLIENT_ID", "a"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "b"),
            ("MONGODB_ATLAS_PUBLIC_KEY", "c"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "d"),
            ("MONGODB_ATLAS_ACCESS_TOKEN", "e"),
            ("MONGODB_ATLAS_BASE_URL", "https://a.example"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "https://b.example"),
        ]);
        assert!(message.len() <= 1024, "{} bytes: {message}", message.len());
        assert!(!message.contains("more)"), "not cut: {message}");
        for name in [
            "MONGODB_ATLAS_CLIENT_SECRET",
            "MONGODB_ATLAS_OPS_MANAGER_URL",
            "MONGODB_ATLAS_ACCESS_TOKEN",
        ] {
            assert!(message.contains(name), "{message}");
        }
    }
}

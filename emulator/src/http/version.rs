//! Versioned media types: which API version a request asks for, and Atlas' answers when it
//! asks for none, a malformed one, one that is gone, or one the resource never had.
//!
//! - No versioned `Accept` (or `*/*`, `application/json`): 406 `INVALID_VERSION_DATE`,
//!   "Invalid accept header or version date." (reference README; the message as quoted by
//!   public projects that hit it).
//! - A version the resource had and retired: 410 `VERSION_GONE`, "Version 2023-02-01 of
//!   api/atlas/v2/groups/…/clusters is no longer available." (mongodb/mongodb-atlas-cli#4472).
//!   Atlas deletes a version twelve months after a newer one deprecates it (docs/atlas/api/
//!   versioned-api-overview); the emulator reads every date before the operation's oldest
//!   documented version as such a retired one (GUESS: Atlas keeps no list of them public).
//! - A well-formed date the resource never had (newer than its versions, or between two):
//!   406 `INVALID_VERSION_DATE`.
// GUESS: the last rule; Atlas' answer to an unknown future or in-between date is undocumented.

use crate::codes;
use crate::error::ApiError;
use crate::spec::OpSpec;

/// The version a request negotiated, or the error Atlas answers.
pub fn negotiate(op: &OpSpec, accept: Option<&str>, request_path: &str) -> Result<String, ApiError> {
    let asked: Vec<(String, String)> = accept
        .unwrap_or("")
        .split(',')
        .filter_map(|range| vendor_type(range.split(';').next().unwrap_or("")))
        .collect();
    let invalid = || {
        ApiError::new(
            406,
            codes::INVALID_VERSION_DATE,
            "Invalid accept header or version date.",
        )
    };
    if let Some((version, _)) = asked
        .iter()
        .find(|(version, suffix)| *suffix == op.response.media_suffix && op.versions.contains(version))
    {
        return Ok(version.clone());
    }
    let Some((version, suffix)) = asked.first() else {
        return Err(invalid());
    };
    let oldest = op.versions.first().map(String::as_str).unwrap_or("");
    if is_date(version) && version.as_str() < oldest && *suffix == op.response.media_suffix {
        let path = request_path.trim_start_matches('/');
        return Err(ApiError::new(
            410,
            codes::VERSION_GONE,
            format!("Version {version} of {path} is no longer available."),
        )
        .with_parameters([version.clone(), path.to_owned()]));
    }
    Err(invalid())
}

/// `(date, suffix)` of `application/vnd.atlas.<date>+<suffix>`.
fn vendor_type(media_type: &str) -> Option<(String, String)> {
    let rest = media_type.trim().to_ascii_lowercase();
    let rest = rest.strip_prefix("application/vnd.atlas.")?;
    let (date, suffix) = rest.split_once('+')?;
    Some((date.to_owned(), suffix.to_owned()))
}

fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn op(name: &str) -> &'static OpSpec {
        Spec::get().unwrap().op(name).unwrap()
    }

    #[test]
    fn documented_versions_pass_and_others_get_atlas_answers() {
        let list = op("listStreamWorkspaces");
        let ok = negotiate(list, Some("application/vnd.atlas.2023-02-01+json"), "/p");
        assert_eq!(ok, Ok("2023-02-01".to_owned()));
        let with_params = negotiate(
            list,
            Some("text/html, application/vnd.atlas.2023-02-01+json;charset=utf-8"),
            "/p",
        );
        assert_eq!(with_params, Ok("2023-02-01".to_owned()));
        for missing in [
            None,
            Some("*/*"),
            Some("application/json"),
            Some("application/vnd.atlas.yesterday+json"),
        ] {
            assert_eq!(negotiate(list, missing, "/p").unwrap_err().status, 406, "{missing:?}");
        }
        let gone = negotiate(list, Some("application/vnd.atlas.2022-01-01+json"), "/api/x").unwrap_err();
        assert_eq!((gone.status, gone.code.as_ref()), (410, "VERSION_GONE"));
        assert_eq!(gone.detail, "Version 2022-01-01 of api/x is no longer available.");
        assert_eq!(
            negotiate(list, Some("application/vnd.atlas.2099-01-01+json"), "/p")
                .unwrap_err()
                .status,
            406
        );
    }

    #[test]
    fn downloads_need_the_gzip_suffix() {
        let logs = op("downloadAuditLogs");
        assert!(negotiate(logs, Some("application/vnd.atlas.2023-02-01+gzip"), "/p").is_ok());
        assert_eq!(
            negotiate(logs, Some("application/vnd.atlas.2023-02-01+json"), "/p")
                .unwrap_err()
                .status,
            406
        );
    }
}

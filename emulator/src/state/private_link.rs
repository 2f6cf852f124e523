//! Private Link connections of a project (AWS PrivateLink, Azure Private Link, GCP PSC).
//!
//! States as MongoDB's Terraform provider waits for them: a new connection is worked on until
//! it is `DONE` (or `FAILED`); a deleted one is `DELETING` until it is gone (404).

use serde_json::{Map, Value};

use super::common::{conflict, find_mut, invalid, missing, Call, Delays, Outcome, Timed};
use super::ids;
use super::model::{Group, PlState, PrivateLink};
use crate::codes;
use crate::error::ApiError;

/// Drops the connections whose deletion has finished.
fn settle(group: &mut Group) {
    group.private_links.retain_mut(|p| p.state.current() != PlState::Gone);
}

fn find<'a>(group: &'a mut Group, id: &str) -> Result<&'a mut PrivateLink, ApiError> {
    settle(group);
    let (code, kind) = (codes::STREAM_PRIVATE_LINK_NOT_FOUND, "Private Link connection");
    find_mut(&mut group.private_links, id, |p| &p.id, code, kind)
}

pub(crate) fn list(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    settle(group);
    Ok(Outcome::List(
        group
            .private_links
            .iter_mut()
            .map(|p| p.view(call.group(), call.base_url))
            .collect(),
    ))
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let link = find(group, call.params.path("connectionId"))?;
    Ok(Outcome::Json(link.view(call.group(), call.base_url)))
}

/// The provider/vendor rules the spec's descriptions of `StreamsPrivateLinkConnection` state.
fn check(doc: &Map<String, Value>) -> Result<(), ApiError> {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("");
    let provider = text("provider");
    // "Valid values are AWS, AZURE, and GCP."
    if !matches!(provider, "AWS" | "AZURE" | "GCP") {
        return Err(invalid(
            codes::INVALID_ENUM_VALUE,
            format!("An invalid enumeration value {provider} was specified."),
        )
        .with_parameters([provider]));
    }
    let vendor = text("vendor");
    // arn: "Required for AWS Provider and MSK vendor."
    if provider == "AWS" && vendor == "MSK" && !doc.contains_key("arn") {
        return Err(missing("arn"));
    }
    // dnsDomain: required for AWS + CONFLUENT, and AZURE + EVENTHUB or CONFLUENT.
    let needs_domain = matches!(
        (provider, vendor),
        ("AWS", "CONFLUENT") | ("AZURE", "EVENTHUB" | "CONFLUENT")
    );
    if needs_domain && !doc.contains_key("dnsDomain") {
        return Err(missing("dnsDomain"));
    }
    // dnsSubDomain: "Required for AWS Provider and CONFLUENT vendor" (may be empty).
    if (provider, vendor) == ("AWS", "CONFLUENT") && !doc.contains_key("dnsSubDomain") {
        return Err(missing("dnsSubDomain"));
    }
    Ok(())
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    check(&doc)?;
    // The spec: "Omitting the vendor field will default to using the GENERIC vendor."
    doc.entry("vendor").or_insert_with(|| Value::from("GENERIC"));
    let state = Timed::moving(PlState::Working, PlState::Done, delays.private_link_ready);
    let mut link = PrivateLink {
        id: ids::object_id(),
        doc,
        state,
        error: None,
    };
    let answer = link.view(call.group(), call.base_url);
    group.private_links.push(link);
    Ok(Outcome::Json(answer))
}

/// Only `dnsDomain` can change: the spec allows it "only when no domain is currently set, or
/// when the connection is in `IDLE` state" (the emulator never shows `IDLE`).
pub(crate) fn update(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let body = call.object();
    let link = find(group, call.params.path("connectionId"))?;
    if let Some(domain) = body.get("dnsDomain") {
        if link.doc.get("dnsDomain").is_some_and(|d| d != domain) {
            return Err(conflict(
                codes::CANNOT_MODIFY,
                format!("The DNS domain of Private Link connection {} is already set.", link.id),
            )
            .with_parameters(["dnsDomain"]));
        }
        link.doc.insert("dnsDomain".into(), domain.clone());
    }
    Ok(Outcome::Json(link.view(call.group(), call.base_url)))
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let link = find(group, call.params.path("connectionId"))?;
    if link.state.pending() != Some(PlState::Gone) {
        link.state
            .go(Some(PlState::Deleting), PlState::Gone, delays.private_link_delete);
    }
    settle(group);
    Ok(Outcome::Empty)
}

/// Test hook: the connection fails at once with `message` as its `errorMessage`.
pub(crate) fn fail(group: &mut Group, id: &str, message: &str) -> Result<(), crate::Error> {
    settle(group);
    let link = group
        .private_links
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(|| crate::Error::NotFound {
            kind: "Private Link connection",
            name: id.to_owned(),
        })?;
    link.state.set(PlState::Failed);
    link.error = Some(message.to_owned());
    Ok(())
}

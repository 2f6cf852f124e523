//! Incoming VPC peering connections: requests from a customer's AWS account to the Atlas
//! Stream Processing VPC, which the customer accepts or rejects through the API.
//!
//! Atlas has no operation that *creates* one (the request starts on the AWS side), so they are
//! added by seed data or [`crate::Emulator::add_vpc_peering`].

use serde_json::Value;

use super::common::{find_mut, invalid, Call, Delays, Outcome, Timed};
use super::ids;
use super::model::{Group, PeerState, Peering, PeeringSeed};
use crate::codes;
use crate::error::ApiError;

/// Adds a pending request; AWS lets one wait a week for an answer.
pub(crate) fn add(group: &mut Group, group_id: &str, seed: PeeringSeed) -> String {
    let id = ids::object_id();
    group.peerings.push(Peering {
        id: id.clone(),
        group: group_id.to_owned(),
        seed,
        state: Timed::at(PeerState::Pending),
        expires: chrono::Utc::now() + chrono::Duration::days(7),
    });
    id
}

fn settle(group: &mut Group) {
    group.peerings.retain_mut(|p| p.state.current() != PeerState::Gone);
}

fn find<'a>(group: &'a mut Group, id: &str) -> Result<&'a mut Peering, ApiError> {
    settle(group);
    let (code, kind) = (codes::VPC_PEERING_CONNECTION_NOT_FOUND, "VPC peering connection");
    find_mut(&mut group.peerings, id, |p| &p.id, code, kind)
}

/// `listVpcPeeringConnections` (the requests of one requester account) or
/// `listActivePeeringConnections` (`active`: every active one).
pub(crate) fn list(group: &mut Group, call: &Call<'_>, active: bool) -> Result<Outcome, ApiError> {
    settle(group);
    let requester = call.params.text("requesterAccountId");
    let items = group
        .peerings
        .iter_mut()
        .filter_map(|p| {
            let wanted = if active {
                p.state.current() == PeerState::Active
            } else {
                Some(p.seed.requester_account_id.as_str()) == requester
            };
            wanted.then(|| p.view(call.base_url))
        })
        .collect();
    Ok(Outcome::List(items))
}

/// `:accept` (`accept`) or `:reject`: only a pending request, and for `:accept` only with the
/// requester's account and VPC as the challenge body.
pub(crate) fn decide(group: &mut Group, call: &Call<'_>, delays: &Delays, accept: bool) -> Result<Outcome, ApiError> {
    let challenge = call.object();
    let peering = find(group, call.params.path("id"))?;
    if peering.state.pending().is_some() || peering.state.current() != PeerState::Pending {
        let (local, cloud) = peering.state.current().statuses();
        return Err(ApiError::new(
            409,
            codes::VPC_PEERING_INVALID_STATE,
            format!(
                "VPC peering connection {} is {local}/{cloud}, not pending acceptance.",
                peering.id
            ),
        )
        .with_parameters([peering.id.clone()]));
    }
    for (field, expected) in [
        ("requesterAccountId", &peering.seed.requester_account_id),
        ("requesterVpcId", &peering.seed.requester_vpc_id),
    ] {
        // GUESS: a challenge value that is sent must match; one left out is not checked.
        if let Some(sent) = challenge.get(field).and_then(Value::as_str) {
            if sent != expected {
                return Err(invalid(
                    codes::VPC_PEERING_INVALID_STATE,
                    format!(
                        "The challenge value {field} does not match VPC peering connection {}.",
                        peering.id
                    ),
                )
                .with_parameters([field]));
            }
        }
    }
    let (meanwhile, target) = if accept {
        (PeerState::Accepting, PeerState::Active)
    } else {
        (PeerState::Rejecting, PeerState::Rejected)
    };
    peering.state.go(Some(meanwhile), target, delays.vpc_peering);
    Ok(Outcome::Empty)
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let peering = find(group, call.params.path("id"))?;
    if peering.state.pending() != Some(PeerState::Gone) {
        peering
            .state
            .go(Some(PeerState::Deleting), PeerState::Gone, delays.vpc_peering);
    }
    settle(group);
    Ok(Outcome::Empty)
}

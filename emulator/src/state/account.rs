//! Account details: the cloud account and network Atlas Stream Processing runs in, for a
//! project and region (what a customer needs to set up peering or private endpoints).

use serde_json::json;

use super::common::{invalid, Call, Outcome};
use super::ids;
use crate::codes;
use crate::error::ApiError;

/// `getAccountDetails`. The answer is stable for one project, provider and region, so two
/// calls agree, as they do against Atlas.
pub(crate) fn details(call: &Call<'_>) -> Result<Outcome, ApiError> {
    // GUESS: the provider is read case-insensitively (the spec: one of "aws", "azure", "gcp").
    let provider = call.params.text("cloudProvider").unwrap_or("").to_ascii_lowercase();
    let region = call.params.text("regionName").unwrap_or("");
    let seed = format!("{}/{provider}/{region}", call.group());
    // GUESS: every value below is made up in the shape each cloud uses for such ids; the CIDR
    // block is the one Atlas documents as its default for new VPCs (192.168.248.0/21).
    let cidr = "192.168.248.0/21";
    let answer = match provider.as_str() {
        "aws" => json!({
            "cloudProvider": "aws",
            "awsAccountId": ids::digits(&seed, 12),
            "cidrBlock": cidr,
            "vpcId": format!("vpc-{}", ids::stable_hex(&seed, 17)),
        }),
        "azure" => {
            let hex = ids::stable_hex(&seed, 32);
            json!({
                "cloudProvider": "azure",
                "azureSubscriptionId": format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]),
                "cidrBlock": cidr,
                "virtualNetworkName": format!("vnet_{}", ids::stable_hex(&seed, 24)),
            })
        }
        "gcp" => json!({
            "cloudProvider": "gcp",
            "gcpProjectId": format!("p-{}", ids::stable_hex(&seed, 22)),
            "cidrBlock": cidr,
            "vpcNetworkName": format!("nt-{}", ids::stable_hex(&seed, 24)),
        }),
        other => {
            return Err(invalid(
                codes::INVALID_ENUM_VALUE,
                format!("An invalid enumeration value {other} was specified."),
            )
            .with_parameters([other]))
        }
    };
    Ok(Outcome::Json(answer))
}

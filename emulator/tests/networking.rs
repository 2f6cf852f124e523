//! Private Link and VPC peering connections, account details, gzip log downloads.

mod common;

use std::io::Read as _;
use std::time::Duration;

use atlas_streams_emulator::{Delays, PeeringSeed};
use common::{complete, Api, Emulator, GROUP};
use serde_json::json;

#[tokio::test]
async fn private_link_lifecycle_with_delays() {
    let delays = Delays {
        private_link_ready: Duration::from_millis(150),
        private_link_delete: Duration::from_millis(150),
        ..Delays::default()
    };
    let emulator = Emulator::builder().delays(delays).start().await.unwrap();
    let api = Api::new(&emulator);
    let base = "/streams/privateLinkConnections";
    let body = json!({"provider": "AWS", "vendor": "CONFLUENT", "region": "us-east-1",
        "serviceEndpointId": "com.amazonaws.vpce.us-east-1.vpce-svc-1", "dnsDomain": "abc.aws.confluent.cloud", "dnsSubDomain": []});
    let created = api
        .post(base, "createPrivateLinkConnection", &body)
        .await
        .expect(200, None);
    complete("createPrivateLinkConnection", &created);
    assert_eq!(created["state"], "WORKING");
    let id = created["_id"].as_str().unwrap().to_owned();
    let path = format!("{base}/{id}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ready = api.get(&path, "getPrivateLinkConnection").await.expect(200, None);
    assert_eq!(ready["state"], "DONE");
    assert!(ready["interfaceEndpointId"].as_str().unwrap().starts_with("vpce-"));
    assert_eq!(ready["providerAccountId"].as_str().unwrap().len(), 12);

    // `vendor` defaults to GENERIC; the provider/vendor rules of the spec's descriptions hold.
    let generic = api
        .post(base, "createPrivateLinkConnection", &json!({"provider": "GCP"}))
        .await
        .expect(200, None);
    assert_eq!(generic["vendor"], "GENERIC");
    let msk = json!({"provider": "AWS", "vendor": "MSK"});
    api.post(base, "createPrivateLinkConnection", &msk)
        .await
        .expect(400, Some("MISSING_ATTRIBUTE"));
    let bad_arn = json!({"provider": "AWS", "vendor": "MSK", "arn": "arn:aws:s3:::bucket"});
    api.post(base, "createPrivateLinkConnection", &bad_arn)
        .await
        .expect(400, Some("INVALID_ATTRIBUTE"));
    let mars = json!({"provider": "MARS"});
    api.post(base, "createPrivateLinkConnection", &mars)
        .await
        .expect(400, Some("INVALID_ENUM_VALUE"));
    api.post(base, "createPrivateLinkConnection", &json!({}))
        .await
        .expect(400, Some("MISSING_ATTRIBUTE"));

    // Only an unset domain can be set.
    let other = json!({"dnsDomain": "other.example.com"});
    api.patch(&path, "updatePrivateLinkConnection", &other)
        .await
        .expect(409, Some("STREAM_CANNOT_MODIFY_ATTRIBUTE"));
    let generic_path = format!("{base}/{}", generic["_id"].as_str().unwrap());
    let set = api
        .patch(&generic_path, "updatePrivateLinkConnection", &other)
        .await
        .expect(200, None);
    assert_eq!(set["dnsDomain"], "other.example.com");

    let page = api.get(base, "listPrivateLinkConnections").await.expect(200, None);
    complete("listPrivateLinkConnections", &page);
    assert_eq!(page["totalCount"], 2);

    // Delete: DELETING for a while, then gone.
    let deleted = api.delete(&path, "deletePrivateLinkConnection").await.expect(202, None);
    assert_eq!(deleted, json!({}));
    assert_eq!(
        api.get(&path, "getPrivateLinkConnection").await.json()["state"],
        "DELETING"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let gone = api.get(&path, "getPrivateLinkConnection").await;
    gone.expect(404, Some("STREAM_PRIVATE_LINK_NOT_FOUND"));

    emulator
        .fail_private_link(GROUP, generic["_id"].as_str().unwrap(), "Endpoint rejected")
        .unwrap();
    let failed = api.get(&generic_path, "getPrivateLinkConnection").await.json();
    assert_eq!(
        (failed["state"].as_str(), failed["errorMessage"].as_str()),
        (Some("FAILED"), Some("Endpoint rejected"))
    );
}

#[tokio::test]
async fn vpc_peering_accept_reject_delete() {
    let emulator = Emulator::builder()
        .delays(Delays {
            vpc_peering: Duration::from_millis(100),
            ..Delays::default()
        })
        .start()
        .await
        .unwrap();
    let api = Api::new(&emulator);
    let seed = |vpc: &str| PeeringSeed {
        requester_account_id: "111122223333".into(),
        requester_vpc_id: vpc.into(),
        requester_cidr: Some("10.0.0.0/16".into()),
        name: None,
    };
    let first = emulator.add_vpc_peering(GROUP, seed("vpc-a"));
    let second = emulator.add_vpc_peering(GROUP, seed("vpc-b"));
    let list = "/streams/vpcPeeringConnections?requesterAccountId=111122223333";
    let page = api.get(list, "listVpcPeeringConnections").await.expect(200, None);
    complete("listVpcPeeringConnections", &page);
    assert_eq!(page["totalCount"], 2);
    assert_eq!(page["results"][0]["localStatus"], "NONE");
    assert_eq!(page["results"][0]["cloudStatus"], "pending-acceptance");
    let other = api
        .get(
            "/streams/vpcPeeringConnections?requesterAccountId=999",
            "listVpcPeeringConnections",
        )
        .await;
    assert_eq!(other.json()["totalCount"], 0);

    // Accept: the challenge values must match.
    let accept = format!("/streams/vpcPeeringConnections/{first}:accept");
    let wrong = json!({"requesterAccountId": "111122223333", "requesterVpcId": "vpc-zzz"});
    let answer = api.post(&accept, "acceptVpcPeeringConnection", &wrong).await;
    answer.expect(400, Some("VPC_PEERING_CONNECTION_INVALID_STATE"));
    let right = json!({"requesterAccountId": "111122223333", "requesterVpcId": "vpc-a"});
    api.post(&accept, "acceptVpcPeeringConnection", &right)
        .await
        .expect(202, None);
    let active = "/streams/activeVpcPeeringConnections";
    assert_eq!(
        api.get(active, "listActivePeeringConnections").await.json()["totalCount"],
        0
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    let page = api.get(active, "listActivePeeringConnections").await.expect(200, None);
    assert_eq!(page["results"][0]["_id"], first.as_str());
    assert_eq!(page["results"][0]["localStatus"], "ACTIVE");
    // Accepting twice is refused.
    let again = api.post(&accept, "acceptVpcPeeringConnection", &right).await;
    again.expect(409, Some("VPC_PEERING_CONNECTION_INVALID_STATE"));

    let reject = format!("/streams/vpcPeeringConnections/{second}:reject");
    api.post(&reject, "rejectVpcPeeringConnection", &json!({}))
        .await
        .expect(202, None);
    tokio::time::sleep(Duration::from_millis(150)).await;
    let page = api.get(list, "listVpcPeeringConnections").await.json();
    let rejected = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["_id"] == second.as_str())
        .unwrap();
    assert_eq!(rejected["cloudStatus"], "rejected");

    let delete = format!("/streams/vpcPeeringConnections/{first}");
    api.delete(&delete, "deleteVpcPeeringConnection")
        .await
        .expect(202, None);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(api.get(list, "listVpcPeeringConnections").await.json()["totalCount"], 1);
    let answer = api.delete(&delete, "deleteVpcPeeringConnection").await;
    answer.expect(404, Some("VPC_PEERING_CONNECTION_NOT_FOUND"));
}

#[tokio::test]
async fn account_details_per_provider() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    let details = |provider: &str| format!("/streams/accountDetails?cloudProvider={provider}&regionName=US_EAST_1");
    let aws = api.get(&details("aws"), "getAccountDetails").await.expect(200, None);
    complete("getAccountDetails", &aws);
    assert_eq!(aws["cloudProvider"], "aws");
    assert_eq!(aws["awsAccountId"].as_str().unwrap().len(), 12);
    assert!(aws["vpcId"].as_str().unwrap().starts_with("vpc-"));
    // Stable across calls, as the real account is.
    assert_eq!(api.get(&details("aws"), "getAccountDetails").await.json(), aws);
    let azure = api.get(&details("azure"), "getAccountDetails").await.expect(200, None);
    assert!(azure["azureSubscriptionId"].is_string() && azure["virtualNetworkName"].is_string());
    let gcp = api.get(&details("gcp"), "getAccountDetails").await.expect(200, None);
    assert!(gcp["gcpProjectId"].is_string() && gcp["vpcNetworkName"].is_string());
    api.get(&details("oracle"), "getAccountDetails")
        .await
        .expect(400, Some("INVALID_ENUM_VALUE"));
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip body");
    text
}

#[tokio::test]
async fn log_downloads_are_gzip() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    api.workspace("ws").await;
    api.processor("ws", "p1").await;
    api.processor("ws", "p2").await;
    for (path, operation, suffix) in [
        ("/streams/ws/auditLogs", "downloadAuditLogs", "_audit.log.gz"),
        (
            "/streams/ws:downloadOperationalLogs",
            "downloadOperationalLogs",
            "_queries.gz",
        ),
    ] {
        let version = common::version(operation);
        let url = api.url(&format!("{path}?startDate=1700000000&endDate=1700003600&spName=p2"));
        let gzip = format!("application/vnd.atlas.{version}+gzip");
        let answer = api.raw("GET", &url, Some(&gzip), None).await;
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(answer.header("content-type"), Some(gzip.as_str()));
        let disposition = answer.header("content-disposition").unwrap();
        assert!(
            disposition.contains(&format!("ws_p2_1700000000_1700003600{suffix}")),
            "{disposition}"
        );
        let text = gunzip(&answer.bytes);
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(text.contains("p2") && !text.contains("p1"), "{text}");
        // "The API does not support direct calls with the json response schema."
        let json_accept = format!("application/vnd.atlas.{version}+json");
        api.raw("GET", &url, Some(&json_accept), None)
            .await
            .expect(406, Some("INVALID_VERSION_DATE"));
        // Every processor when no name is given.
        let all = api.raw("GET", &api.url(path), Some(&gzip), None).await;
        assert_eq!(gunzip(&all.bytes).lines().count(), 4);
        let unknown = api
            .raw("GET", &api.url(&format!("{path}?spName=nope")), Some(&gzip), None)
            .await;
        unknown.expect(404, Some("STREAM_PROCESSOR_NOT_FOUND"));
        let inverted = api
            .raw(
                "GET",
                &api.url(&format!("{path}?startDate=20&endDate=10")),
                Some(&gzip),
                None,
            )
            .await;
        inverted.expect(400, Some("VALIDATION_ERROR"));
    }
    let missing = api.url("/streams/nope/auditLogs");
    let answer = api
        .raw("GET", &missing, Some("application/vnd.atlas.2023-02-01+gzip"), None)
        .await;
    answer.expect(404, Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));
}

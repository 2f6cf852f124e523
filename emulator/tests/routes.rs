//! Every operation of `spec/` is routed: counted from the IR independently of the emulator, and
//! each one answers something other than the generic route miss.

mod common;

use atlas_streams_generator::ir::{Api as IrApi, ParamLocation};
use common::{Api, Emulator, GROUP};
use serde_json::json;

fn ir() -> IrApi {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-streams.yaml");
    let source = std::fs::read_to_string(path).expect("spec/ is readable");
    atlas_streams_generator::generate_from_str(path.as_ref(), &source)
        .expect("the spec generates")
        .api
}

#[test]
fn every_operation_of_the_spec_is_in_the_route_table() {
    let ir = ir();
    let routed = Emulator::operations().unwrap();
    assert_eq!(routed.len(), ir.operations.len());
    assert_eq!(ir.operations.len(), 37, "spec/ has 37 operations");
    for op in &ir.operations {
        assert!(
            routed
                .iter()
                .any(|r| r.name == op.name && r.path == op.path && r.method == op.method.as_str()),
            "{} {} {} is not routed",
            op.method.as_str(),
            op.path,
            op.name
        );
    }
}

#[tokio::test]
async fn every_operation_answers_something_other_than_a_route_miss() {
    let emulator = Emulator::start().await.unwrap();
    let api = Api::new(&emulator);
    for op in ir().operations {
        let mut path = op.path.clone();
        for param in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
            let value = if param.wire_name == "groupId" { GROUP } else { "x" };
            path = path.replace(&format!("{{{}}}", param.wire_name), value);
        }
        let version = op.versions.last().unwrap();
        let accept = format!("application/vnd.atlas.{version}+{}", op.response.media_suffix);
        let url = format!("{}{path}", emulator.base_url());
        let body = op.body.as_ref().map(|_| json!({}));
        let answer = api.raw(op.method.as_str(), &url, Some(&accept), body.as_ref()).await;
        let miss = answer.status == 404 && answer.code() == "RESOURCE_NOT_FOUND";
        assert!(
            !miss && answer.status != 405 && answer.status != 501,
            "{} {path} ({}) answered {}: {}",
            op.method.as_str(),
            op.name,
            answer.status,
            answer.text()
        );
    }
    // And a path no operation has is the route miss.
    let miss = api.get("/streams/ws/nothing/here", "listStreamWorkspaces").await;
    miss.expect(404, Some("RESOURCE_NOT_FOUND"));
    let wrong_method = api.call("PUT", "/streams", "listStreamWorkspaces", None).await;
    wrong_method.expect(405, Some("METHOD_NOT_ALLOWED"));
    emulator.shutdown().await;
}

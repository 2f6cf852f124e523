//! Lowering, checked on the IR (no code emitted): the type-mapping rules applied to `spec/`.

use std::path::Path;

use atlas_streams_generator::ir::{Api, Presence, TypeDef, TypeKind, TypeRef};
use atlas_streams_generator::{load, lower};

fn lowered() -> Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/atlas-streams.yaml");
    let loaded = load::load(&spec).expect("spec/ loads");
    lower::lower(&loaded.api).expect("spec/ lowers").api
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn field_names(api: &Api, name: &str) -> Vec<String> {
    match &ty(api, name).kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire_name.clone()).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

#[test]
fn the_connection_union_has_one_variant_per_mapping_entry_in_each_direction() {
    let api = lowered();
    for (union, suffix) in [("StreamsConnection", ""), ("StreamsConnectionRequest", "Request")] {
        let TypeKind::TaggedUnion(u) = &ty(&api, union).kind else {
            panic!("{union} is not a union")
        };
        assert_eq!(u.tag, "type");
        let tags: Vec<&str> = u.variants.iter().map(|v| v.tag_value.as_str()).collect();
        // The seeds' seven (S3 included, which the official `type` enum forgets), then the
        // official spec's other three.
        let expected = [
            // The discriminator mapping's order (MongoDB's, alphabetical).
            "AWSKinesisDataStreams",
            "AWSLambda",
            "AzureBlobStorage",
            "Cluster",
            "GCPPubSub",
            "Https",
            "Kafka",
            "S3",
            "Sample",
            "SchemaRegistry",
        ];
        assert_eq!(tags, expected);
        let kafka = u.variants.iter().find(|v| v.tag_value == "Kafka").unwrap();
        assert_eq!(kafka.ty, format!("StreamsKafkaConnection{suffix}"));
        assert_eq!(u.unknown_variant, "Unknown");
    }
}

#[test]
fn subtypes_inherit_the_parent_properties_but_not_its_tag() {
    let api = lowered();
    // The parent's properties first, in MongoDB's order (alphabetical), then the subtype's own.
    let expected = [
        "id",
        "links",
        "name",
        "region",
        "state",
        "authentication",
        "bootstrapServers",
        "config",
        "networking",
        "security",
    ];
    assert_eq!(field_names(&api, "StreamsKafkaConnection"), expected);
    // The request form drops the readOnly `id`, `state` and `links`.
    assert_eq!(field_names(&api, "StreamsSampleConnectionRequest"), ["name", "region"]);
}

#[test]
fn read_only_is_response_only_and_write_only_is_request_only() {
    let api = lowered();
    let request = field_names(&api, "StreamsTenantRequest");
    assert_eq!(
        request,
        [
            "dataProcessRegion",
            "failoverRegions",
            "name",
            "sampleConnections",
            "streamConfig"
        ]
    );
    let response = field_names(&api, "StreamsTenant");
    for read_only in ["_id", "groupId", "hostnames", "connections", "links"] {
        assert!(
            response.contains(&read_only.to_owned()),
            "{read_only} missing from the response type"
        );
    }
    let secrets = ["password", "clientSecret", "sslKey", "sslKeyPassword"];
    let response = field_names(&api, "StreamsKafkaAuthentication");
    assert!(secrets.iter().all(|s| !response.contains(&s.to_string())));
    let TypeKind::Struct(request) = &ty(&api, "StreamsKafkaAuthenticationRequest").kind else {
        panic!()
    };
    for secret in secrets {
        let field = request.fields.iter().find(|f| f.wire_name == secret).unwrap();
        assert_eq!(field.ty, TypeRef::Secret, "{secret}");
    }
    // Both seed-page variants of Kafka authentication are kept.
    let names = field_names(&api, "StreamsKafkaAuthenticationRequest");
    assert!(names.contains(&"httpsCaPem".to_owned()) && names.contains(&"method".to_owned()));
}

#[test]
fn nullable_optional_properties_are_three_state() {
    let api = lowered();
    let TypeKind::Struct(cluster) = &ty(&api, "StreamsClusterConnectionRequest").kind else {
        panic!()
    };
    let presence = |wire: &str| cluster.fields.iter().find(|f| f.wire_name == wire).unwrap().presence;
    assert_eq!(presence("clusterGroupId"), Presence::OptionalNullable);
    assert_eq!(presence("dbRoleToExecute"), Presence::OptionalNullable);
    assert_eq!(presence("clusterName"), Presence::Optional);
}

#[test]
fn a_one_of_of_string_enums_is_one_enum_and_group_ids_share_one_type() {
    let api = lowered();
    let TypeKind::StringEnum(region) = &ty(&api, "BaseStreamsRegion").kind else {
        panic!()
    };
    let values: Vec<&str> = region.values.iter().map(|v| v.wire.as_str()).collect();
    assert!(values.contains(&"SYDNEY_AUS") && values.contains(&"eastus") && values.contains(&"US_CENTRAL1"));
    assert_eq!(values.len(), 14 + 6 + 3);
    let TypeKind::Pattern(group) = &ty(&api, "GroupId").kind else {
        panic!()
    };
    assert_eq!(group.pattern, "^([a-f0-9]{24})$");
    let TypeKind::Struct(tenant) = &ty(&api, "StreamsTenant").kind else {
        panic!()
    };
    let group_field = tenant.fields.iter().find(|f| f.wire_name == "groupId").unwrap();
    assert_eq!(group_field.ty, TypeRef::Named("GroupId".into()));
    let op = api
        .operations
        .iter()
        .find(|o| o.name == "startStreamProcessor")
        .unwrap();
    assert_eq!(op.params[0].ty, TypeRef::Named("GroupId".into()));
    assert!(op.params[0].validated);
}

#[test]
fn operations_carry_their_documented_versions() {
    let api = lowered();
    let versions = |name: &str| {
        let op = api.operations.iter().find(|o| o.name == name).unwrap();
        (op.versions.clone(), op.default_version.clone())
    };
    // The official spec's version and the seed pages', the newest the default.
    assert_eq!(
        versions("createStreamConnection"),
        (
            vec!["2023-02-01".into(), "2023-11-15".into(), "2025-02-19".into()],
            Some("2025-02-19".into())
        )
    );
    assert_eq!(
        versions("createStreamWorkspace"),
        (
            vec!["2023-02-01".into(), "2025-03-12".into()],
            Some("2025-03-12".into())
        )
    );
    assert_eq!(versions("updateStreamConnection").1.as_deref(), Some("2024-08-05"));
    assert_eq!(versions("startStreamProcessor").1.as_deref(), Some("2024-08-05"));
    // The official spec's versions for the rest.
    assert_eq!(versions("getStreamProcessors").1.as_deref(), Some("2024-05-30"));
    assert_eq!(versions("listStreamConnections").1.as_deref(), Some("2023-02-01"));
    let names: Vec<&str> = api.operations.iter().map(|o| o.method_name.as_str()).collect();
    assert_eq!(names.len(), 37);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted by name");
    let lists: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .map(|o| o.method_name.as_str())
        .collect();
    let expected = [
        "get_stream_processors",
        "list_active_peering_connections",
        "list_failover_connections",
        "list_private_link_connections",
        "list_stream_connections",
        "list_stream_workspaces",
        "list_vpc_peering_connections",
    ];
    assert_eq!(lists, expected);
}

/// `required` in an inline `allOf` member may name a property another member declares (the
/// lists are merged); a name no member declares is still refused, with a suggestion.
#[test]
fn required_in_an_all_of_member_may_name_an_inherited_property() {
    let spec = |required: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Derived'}}
      responses: {{'204': {{description: done}}}}
components:
  schemas:
    Base:
      type: object
      properties:
        label: {{type: string}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            token: {{type: string}}
          required: [{required}]
"
        )
    };
    let lowered = |text: String| lower::lower(&load::parse("allof.yaml".into(), text).expect("loads").api);
    let api = lowered(spec("token, label"))
        .expect("an inherited property may be required")
        .api;
    let TypeKind::Struct(derived) = &ty(&api, "Derived").kind else {
        panic!("Derived is a struct")
    };
    assert!(
        derived.fields.iter().all(|f| f.presence == Presence::Required),
        "{derived:?}"
    );
    let errors = lowered(spec("token, lable")).expect_err("a misspelled name is refused");
    let text = format!("{errors:?}");
    assert!(text.contains("`lable`") && text.contains("label"), "{text}");
}

/// The whole-document check runs beside the other passes on a context of its own; what it
/// finds again (here: a cycle of bare `$ref`s that an operation's response and an unused
/// schema both lead into, at different places) is still reported once, where the passes
/// before it found it.
#[test]
fn a_cycle_of_references_found_by_two_passes_is_reported_once() {
    let spec = r##"
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/A'
components:
  schemas:
    A:
      $ref: '#/components/schemas/B'
    B:
      $ref: '#/components/schemas/A'
    Unused:
      type: object
      properties:
        x:
          $ref: '#/components/schemas/B'
"##;
    let loaded = load::parse("cycle.yaml".into(), spec.to_owned()).expect("the spec loads");
    let diagnostics = match lower::lower(&loaded.api) {
        Ok(lowered) => lowered.warnings,
        Err(diagnostics) => diagnostics,
    };
    let cycles: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.message.contains("cycle of references"))
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        cycles,
        ["#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"],
        "{diagnostics:#?}"
    );
}

//! Every `errorCode` the emulator answers with, in one place, with where each comes from.
//!
//! Sources, strongest first:
//! - **docs**: MongoDB's own pages (the seed pages' examples, the spec's response examples).
//! - **seen**: an Atlas answer quoted verbatim in a public issue or in MongoDB's own client code.
//! - **GUESS**: no public source found; the name follows Atlas' naming style. Each is listed in
//!   the README's table; replace it when the real code is known.

/// docs: the 400 example of every seed page ("No provider AWS exists.").
pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
/// docs: the 404 example of every seed page ("Cannot find resource AWS"). Also the route miss.
pub const RESOURCE_NOT_FOUND: &str = "RESOURCE_NOT_FOUND";
/// docs: the 429 example of the spec (`tooManyRequests`).
pub const RATE_LIMITED: &str = "RATE_LIMITED";
/// docs: the 500 example of every seed page.
pub const UNEXPECTED_ERROR: &str = "UNEXPECTED_ERROR";

/// seen: 410 "Version 2023-02-01 of api/atlas/v2/groups/…/clusters is no longer available."
/// (mongodb/mongodb-atlas-cli#4472).
pub const VERSION_GONE: &str = "VERSION_GONE";
/// seen: 406 "Invalid accept header or version date." for a request without a versioned
/// `Accept` (quoted in two public projects that call the Admin API).
pub const INVALID_VERSION_DATE: &str = "INVALID_VERSION_DATE";
/// seen: 400 "The required attribute databaseName was not specified."
/// (mongodb/mongodbatlas-cloudformation-resources#379).
pub const MISSING_ATTRIBUTE: &str = "MISSING_ATTRIBUTE";
/// seen: 400 "Invalid attribute providerBackupEnabled specified."
/// (mongodb/terraform-provider-mongodbatlas#1245).
pub const INVALID_ATTRIBUTE: &str = "INVALID_ATTRIBUTE";
/// seen: 400 "An invalid enumeration value M0 was specified." (pulumi/pulumi-mongodbatlas#227).
pub const INVALID_ENUM_VALUE: &str = "INVALID_ENUM_VALUE";
/// seen: retried by the Terraform provider when deleting a connection that is still being
/// deployed (`internal/service/streamconnection/state_transition.go`).
pub const STREAM_KAFKA_CONNECTION_IS_DEPLOYING: &str = "STREAM_KAFKA_CONNECTION_IS_DEPLOYING";

/// GUESS: a body that is not JSON at all.
pub const INVALID_JSON: &str = "INVALID_JSON";
/// GUESS: a property of the wrong JSON type; the detail follows the Atlas message "Received
/// JSON for the providerSettings attribute does not match expected format." (quoted in
/// montumodi/mongodb-atlas-api-client#16, without its code).
pub const INVALID_JSON_ATTRIBUTE: &str = "INVALID_JSON_ATTRIBUTE";
/// GUESS: a `groupId` that is not 24 hexadecimal digits.
pub const INVALID_GROUP_ID: &str = "INVALID_GROUP_ID";
/// GUESS: a query parameter of the wrong type or below its minimum.
pub const INVALID_QUERY_PARAMETER: &str = "INVALID_QUERY_PARAMETER";
/// GUESS: a required query parameter (e.g. `requesterAccountId`) is absent.
pub const MISSING_QUERY_PARAMETER: &str = "MISSING_QUERY_PARAMETER";
/// GUESS: a path exists but not with this method.
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// GUESS: wrong, missing or expired credentials.
pub const UNAUTHORIZED: &str = "UNAUTHORIZED";

/// GUESS: no stream workspace of that name in the project.
pub const STREAM_TENANT_NOT_FOUND: &str = "STREAM_TENANT_NOT_FOUND_FOR_NAME";
/// GUESS: no connection of that name in the workspace.
pub const STREAM_CONNECTION_NOT_FOUND: &str = "STREAM_CONNECTION_NOT_FOUND";
/// GUESS: no failover connection of that id under the connection.
pub const STREAM_FAILOVER_CONNECTION_NOT_FOUND: &str = "STREAM_FAILOVER_CONNECTION_NOT_FOUND";
/// GUESS: no stream processor of that name in the workspace.
pub const STREAM_PROCESSOR_NOT_FOUND: &str = "STREAM_PROCESSOR_NOT_FOUND";
/// GUESS: no Private Link connection of that id in the project.
pub const STREAM_PRIVATE_LINK_NOT_FOUND: &str = "STREAM_PRIVATE_LINK_NOT_FOUND";
/// GUESS: no incoming VPC peering connection of that id in the project.
pub const VPC_PEERING_CONNECTION_NOT_FOUND: &str = "VPC_PEERING_CONNECTION_NOT_FOUND";

/// GUESS: a workspace of that name already exists in the project.
pub const DUPLICATE_STREAM_TENANT: &str = "STREAM_TENANT_NAME_ALREADY_EXISTS";
/// GUESS: a connection of that name already exists in the workspace.
pub const DUPLICATE_STREAM_CONNECTION: &str = "STREAM_CONNECTION_NAME_ALREADY_EXISTS";
/// GUESS: a processor of that name already exists in the workspace.
pub const DUPLICATE_STREAM_PROCESSOR: &str = "STREAM_PROCESSOR_NAME_ALREADY_EXISTS";

/// GUESS: the processor is not in a state that allows the call (start a started one, stop a
/// stopped one, modify a running one).
pub const STREAM_PROCESSOR_INVALID_STATE: &str = "STREAM_PROCESSOR_INVALID_STATE_TRANSITION";
/// GUESS: a change the resource cannot take in place (a connection's type or Kafka networking
/// type, a Private Link `dnsDomain` once set and in use).
pub const CANNOT_MODIFY: &str = "STREAM_CANNOT_MODIFY_ATTRIBUTE";
/// GUESS: accept/reject of a VPC peering connection that is no longer pending, or whose
/// challenge values do not match.
pub const VPC_PEERING_INVALID_STATE: &str = "VPC_PEERING_CONNECTION_INVALID_STATE";

/// GUESS: a pipeline that breaks one of the order rules MongoDB's docs state (first stage
/// `$source`, a sink last, window-only stages inside a window, ...), or a stage Atlas does not
/// know; the detail names the place in the pipeline and the rule.
pub const STREAM_PROCESSOR_INVALID_PIPELINE: &str = "STREAM_PROCESSOR_INVALID_PIPELINE";
/// GUESS: a pipeline's `connectionName` that names no connection of the workspace (the docs of
/// each stage say the name is one "from the connection registry").
pub const STREAM_PROCESSOR_CONNECTION_NOT_FOUND: &str = "STREAM_PROCESSOR_CONNECTION_NOT_FOUND";

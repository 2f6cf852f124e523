//! Raw HTTP helpers shared by the emulator's tests: reqwest + serde_json, nothing generated.
#![allow(dead_code)] // each test binary uses its own subset

use reqwest::header::HeaderMap;
use serde_json::Value;

pub use atlas_streams_emulator::Emulator;

/// A project id in the spec's pattern.
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";

/// The newest documented version of each operation (what the generated client sends).
pub fn version(operation: &str) -> String {
    Emulator::operations()
        .expect("the spec lowers")
        .into_iter()
        .find(|o| o.name == operation)
        .and_then(|o| o.versions.last().cloned())
        .unwrap_or_else(|| panic!("no operation {operation}"))
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON (`null` when empty).
    pub fn json(&self) -> Value {
        if self.bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&self.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `errorCode` of an error answer.
    pub fn code(&self) -> String {
        self.json()["errorCode"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts the status and, for an error, the code; returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16, code: Option<&str>) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        if let Some(code) = code {
            assert_eq!(self.code(), code, "unexpected errorCode; body: {}", self.text());
            assert_eq!(
                self.header("content-type"),
                Some("application/json"),
                "errors are plain JSON"
            );
        }
        self.json()
    }
}

/// A raw client bound to one emulator and project.
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub group: String,
}

impl Api {
    pub fn new(emulator: &Emulator) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: emulator.base_url().to_owned(),
            group: GROUP.to_owned(),
        }
    }

    /// `<base>/api/atlas/v2/groups/<group><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/atlas/v2/groups/{}{path}", self.base, self.group)
    }

    /// Sends `method` to the group-relative `path` as `operation`'s documented version.
    pub async fn call(&self, method: &str, path: &str, operation: &str, body: Option<&Value>) -> Answer {
        let accept = format!("application/vnd.atlas.{}+json", version(operation));
        self.raw(method, &self.url(path), Some(&accept), body).await
    }

    pub async fn get(&self, path: &str, operation: &str) -> Answer {
        self.call("GET", path, operation, None).await
    }

    pub async fn post(&self, path: &str, operation: &str, body: &Value) -> Answer {
        self.call("POST", path, operation, Some(body)).await
    }

    pub async fn patch(&self, path: &str, operation: &str, body: &Value) -> Answer {
        self.call("PATCH", path, operation, Some(body)).await
    }

    pub async fn delete(&self, path: &str, operation: &str) -> Answer {
        self.call("DELETE", path, operation, None).await
    }

    /// Any request, with full control over `Accept`.
    pub async fn raw(&self, method: &str, url: &str, accept: Option<&str>, body: Option<&Value>) -> Answer {
        self.send(self.request(method, url, accept, body)).await
    }

    pub fn request(
        &self,
        method: &str,
        url: &str,
        accept: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.http.request(method, url);
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        request
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("the emulator answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body").to_vec();
        Answer { status, headers, bytes }
    }

    /// Creates a workspace in VIRGINIA_USA and checks the answer.
    pub async fn workspace(&self, name: &str) -> Value {
        let body = serde_json::json!({
            "name": name,
            "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
            "sampleConnections": {"solar": true},
        });
        self.post("/streams", "createStreamWorkspace", &body)
            .await
            .expect(200, None)
    }

    /// Creates a Kafka connection.
    pub async fn kafka(&self, workspace: &str, name: &str) -> Value {
        let body = serde_json::json!({
            "name": name, "type": "Kafka", "bootstrapServers": "broker:9092",
            "authentication": {"mechanism": "PLAIN", "username": "svc", "password": "hunter2"},
            "security": {"protocol": "SASL_SSL"},
        });
        let path = format!("/streams/{workspace}/connections");
        self.post(&path, "createStreamConnection", &body)
            .await
            .expect(200, None)
    }

    /// Creates a processor reading from a sample connection.
    pub async fn processor(&self, workspace: &str, name: &str) -> Value {
        let body = serde_json::json!({
            "name": name,
            "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}, {"$emit": {"connectionName": "__testLog"}}],
        });
        let path = format!("/streams/{workspace}/processor");
        self.post(&path, "createStreamProcessor", &body).await.expect(200, None)
    }
}

/// Asserts that `body` has every required property of `operation`'s response type.
#[track_caller]
pub fn complete(operation: &str, body: &Value) {
    let missing = Emulator::missing_required(operation, body).expect("a known operation");
    assert!(missing.is_empty(), "{operation} answer lacks {missing:?}: {body}");
}

//! A consumer of the crate generated from `base.yaml` whose output shows what a caller
//! observes: it runs two operations against a local server and prints the `Accept` header each
//! sent, then prints the values of a decoded response the way the docs ask callers to read
//! them: enums by `as_str()`, unions by `tag()`, key-tagged unions by `key()`. The server answers
//! with values the old spec does not know (`GREEN`, `STRIPED`, a `triangle`, a `$rotate` step),
//! which a newer crate may know; whichever, the steps re-encode as they came.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use atlas_streams::models::{CircleFill, Color, Shape, SquareFill, ThingRequest};
use atlas_streams::Client;

const THING: &str = r#"{"id": "1", "name": "box", "color": "GREEN", "shape": {"kind": "triangle", "base": 3}, "extra": {"fill": "STRIPED"}, "steps": [{"$scale": {"factor": 2}}, {"$rotate": {"degrees": 90}}]}"#;

/// Answers each request on its own connection; sends each request's `Accept` header back.
fn serve(listener: TcpListener, accepts: mpsc::Sender<String>) {
    for stream in listener.incoming() {
        let mut stream = stream.unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let (mut request_line, mut accept, mut length) = (String::new(), String::new(), 0);
        reader.read_line(&mut request_line).unwrap();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "accept" => accept = value.trim().to_owned(),
                "content-length" => length = value.trim().parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        accepts.send(accept.clone()).unwrap();
        let response = if request_line.starts_with("DELETE") {
            "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned()
        } else {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {accept}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{THING}",
                THING.len()
            )
        };
        stream.write_all(response.as_bytes()).unwrap();
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let (sender, accepts) = mpsc::channel();
    std::thread::spawn(move || serve(listener, sender));
    let client = Client::builder().base_url(base_url).bearer_token("token").build().unwrap();

    let thing = client.create_thing(ThingRequest::new("box")).await.unwrap();
    println!("create sent Accept: {}", accepts.recv().unwrap());
    client.delete_thing("box").await.unwrap();
    println!("delete sent Accept: {}", accepts.recv().unwrap());

    println!("color: {:?}", thing.color.as_ref().map(Color::as_str));
    println!("shape: {:?}", thing.shape.as_ref().and_then(Shape::tag));
    println!("circle fill: {}", CircleFill::from("STRIPED").as_str());
    println!("square fill: {}", SquareFill::from("STRIPED").as_str());
    println!("red is red: {}", Color::from("RED") == Color::Red);
    let steps = thing.steps.as_deref().unwrap_or_default();
    println!("steps: {:?}", steps.iter().map(|s| s.key()).collect::<Vec<_>>());
    println!("steps re-encoded: {}", serde_json::to_string(steps).unwrap());
}
